/** `tmemsim backends | compressors | profiles`: what can be chosen, with key facts. */

import type { Command } from 'commander';
import { renderBackendList, renderCompressorList } from '../report/lists.js';
import { widthFor } from './output.js';
import { registerProfiles } from './profiles.js';

export function registerLists(program: Command): void {
  program
    .command('backends')
    .description('list the backends and their parameters')
    .action(() => {
      process.stdout.write(renderBackendList(widthFor(undefined)));
    });
  program
    .command('compressors')
    .description('list the compressors')
    .action(() => {
      process.stdout.write(renderCompressorList(widthFor(undefined)));
    });
  registerProfiles(program);
}
