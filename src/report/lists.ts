/** `tmemsim backends` and `tmemsim compressors`: what can be chosen, with key facts. */

import { BACKENDS } from '../backends/registry.js';
import { COMPRESSORS, compressorAvailable, compressorOptionalPackage } from '../compressors/registry.js';
import { DEFAULT_WIDTH, fitTable, wrapLine } from './layout.js';

/** Per backend: its description, then its parameters with the meaning wrapped to the width. */
export function renderBackendList(width: number = DEFAULT_WIDTH): string {
  const out: string[] = [];
  for (const f of BACKENDS.values()) {
    out.push(wrapLine(`${f.name}: ${f.description} [${f.era}]`, width, 2));
    const rows = f.params.map((p) => [p.name, String(p.default), p.runtime ? 'yes' : 'no', p.doc]);
    out.push(fitTable({ head: ['parameter', 'default', 'runtime', 'meaning'], rows, wrap: [3], width }), '');
  }
  return out.join('\n');
}

/** The compressors; lz4hc and lzo need an optional native package (built at install): whether this install has it. */
export function renderCompressorList(width: number = DEFAULT_WIDTH): string {
  const rows = [...COMPRESSORS.values()].map((c) => {
    const pkg = compressorOptionalPackage(c.name);
    return [c.name, c.description, pkg === undefined || compressorAvailable(c.name) ? 'yes' : `no: npm install ${pkg}`];
  });
  return fitTable({ head: ['compressor', 'what', 'installed'], rows, wrap: [1, 2], width }) + '\n';
}
