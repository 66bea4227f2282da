/**
 * `tmemsim backends`, `tmemsim compressors`, `tmemsim trace formats` and `tmemsim trace generators`: what can be
 * chosen, with key facts.
 */

import { BACKENDS } from '../backends/registry.js';
import { COMPRESSORS, compressorAvailable, compressorOptionalPackage } from '../compressors/registry.js';
import { TRACE_FORMATS } from '../trace/formats/registry.js';
import { GENERATORS } from '../trace/generators/registry.js';
import { DEFAULT_WIDTH, fitTable, wrapLine } from './layout.js';

/** Per backend: its description, then its parameters with the meaning wrapped to the width. */
export function renderBackendList(width: number = DEFAULT_WIDTH): string {
  const out: string[] = [];
  for (const f of BACKENDS.values()) {
    out.push(wrapLine(`${f.name}: ${f.description} [${f.era}]`, width, 2));
    const rows = f.params.map((p) => [p.name, String(p.default), p.runtime ? 'yes' : 'no', p.eras === undefined ? p.doc : `${p.doc} Eras: ${p.eras.join(', ')}.`]);
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

/** Per input format: its name, extensions and description, then its options (aliases, values, default, meaning). */
export function renderTraceFormatList(): string {
  const lines: string[] = [];
  for (const f of TRACE_FORMATS.values()) {
    lines.push(`${f.name} (${f.extensions.join(', ')}): ${f.description}`);
    for (const o of f.options ?? []) {
      const alias = o.aliases?.length ? ` (also ${o.aliases.join(', ')})` : '';
      lines.push(`  ${o.name}${alias} = ${o.values}; default ${o.default}: ${o.doc}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** Per trace generator: its name and description, then its parameters (type, range, default, meaning). */
export function renderGeneratorList(): string {
  const lines: string[] = [];
  for (const g of GENERATORS.values()) {
    lines.push(`${g.name}: ${g.description}`);
    for (const p of g.params) lines.push(`  ${p.name} = ${p.integer ? 'integer' : 'number'} ${p.min}..${p.max}; default ${p.default}: ${p.doc}`);
  }
  return lines.join('\n') + '\n';
}
