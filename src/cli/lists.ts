/** `tmemsim backends | compressors | profiles`: what can be chosen, with key facts. */

import type { Command } from 'commander';
import Table from 'cli-table3';
import { TABLE_STYLE } from '../report/table.js';
import { BACKENDS } from '../backends/registry.js';
import { COMPRESSORS, compressorAvailable, compressorOptionalPackage } from '../compressors/registry.js';
import { registerProfiles } from './profiles.js';


export function registerLists(program: Command): void {
  program
    .command('backends')
    .description('list the backends and their parameters')
    .action(() => {
      const t = new Table({ head: ['backend', 'parameter', 'default', 'runtime', 'meaning'], style: TABLE_STYLE, wordWrap: true, colWidths: [10, 36, 10, 9, 60] });
      for (const f of BACKENDS.values()) {
        t.push([{ colSpan: 5, content: `${f.name}: ${f.description} [${f.era}]` }]);
        for (const p of f.params) t.push([f.name, p.name, String(p.default), p.runtime ? 'yes' : 'no', p.doc]);
      }
      process.stdout.write(t.toString() + '\n');
    });
  program
    .command('compressors')
    .description('list the compressors')
    .action(() => {
      // lz4hc and lzo need an optional native package (built at install): say whether this install has it.
      const t = new Table({ head: ['compressor', 'what', 'installed'], style: TABLE_STYLE });
      for (const c of COMPRESSORS.values()) {
        const pkg = compressorOptionalPackage(c.name);
        t.push([c.name, c.description, pkg === undefined || compressorAvailable(c.name) ? 'yes' : `no: npm install ${pkg}`]);
      }
      process.stdout.write(t.toString() + '\n');
    });
  registerProfiles(program);
}
