/** `tmemsim backends | compressors | profiles`: what can be chosen, with key facts. */

import type { Command } from 'commander';
import { fitTable, wrapLine } from '../report/layout.js';
import { widthFor } from './output.js';
import { BACKENDS } from '../backends/registry.js';
import { COMPRESSORS, compressorAvailable, compressorOptionalPackage } from '../compressors/registry.js';
import { registerProfiles } from './profiles.js';


export function registerLists(program: Command): void {
  program
    .command('backends')
    .description('list the backends and their parameters')
    .action(() => {
      // Per backend: its description, then its parameters with the meaning wrapped to the width.
      const width = widthFor(undefined);
      const out: string[] = [];
      for (const f of BACKENDS.values()) {
        out.push(wrapLine(`${f.name}: ${f.description} [${f.era}]`, width, 2));
        const rows = f.params.map((p) => [p.name, String(p.default), p.runtime ? 'yes' : 'no', p.doc]);
        out.push(fitTable({ head: ['parameter', 'default', 'runtime', 'meaning'], rows, wrap: [3], width }), '');
      }
      process.stdout.write(out.join('\n'));
    });
  program
    .command('compressors')
    .description('list the compressors')
    .action(() => {
      // lz4hc and lzo need an optional native package (built at install): say whether this install has it.
      const rows = [...COMPRESSORS.values()].map((c) => {
        const pkg = compressorOptionalPackage(c.name);
        return [c.name, c.description, pkg === undefined || compressorAvailable(c.name) ? 'yes' : `no: npm install ${pkg}`];
      });
      process.stdout.write(fitTable({ head: ['compressor', 'what', 'installed'], rows, wrap: [1, 2], width: widthFor(undefined) }) + '\n');
    });
  registerProfiles(program);
}
