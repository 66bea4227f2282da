/** `tmemsim profiles [--show NAME|FILE] [--format table|json]`: the device profiles and their constants. */

import type { Command } from 'commander';
import { renderProfile, renderProfileList } from '../report/profiles.js';
import { widthFor } from './output.js';
import { PROFILES } from '../profiles/registry.js';
import { profileDocument, resolveProfile } from '../profiles/file.js';
import { UsageError } from '../errors.js';

export function registerProfiles(program: Command): void {
  program
    .command('profiles')
    .description('list the device profiles and their key constants, or show one (a built-in or a profile file) in full')
    .option('--show <name|file>', 'one profile: a built-in name or alias, or a .json profile file')
    .option('-f, --format <format>', 'table or json (with --show: one loadable profile file; without: an array of the built-ins)', 'table')
    .action((o: { show?: string; format: string }) => {
      if (o.format !== 'table' && o.format !== 'json') throw new UsageError(`unknown format '${o.format}'`, { field: '--format' }, 'table, json');
      if (o.show === undefined) {
        if (o.format === 'json') {
          process.stdout.write(JSON.stringify([...PROFILES.values()].map(profileDocument), null, 2) + '\n');
        } else process.stdout.write(renderProfileList(widthFor(undefined)));
        return;
      }
      const p = resolveProfile(o.show);
      process.stdout.write(o.format === 'json' ? JSON.stringify(profileDocument(p), null, 2) + '\n' : renderProfile(p, widthFor(undefined)));
    });
}
