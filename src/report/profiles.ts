/** `tmemsim profiles`'s text: the list of built-in profiles, or every constant of one with its source. */

import { profileDocument, type FileProfile } from '../profiles/file.js';
import type { Profile } from '../profiles/profile.js';
import { PROFILES } from '../profiles/registry.js';
import { DEFAULT_WIDTH, fitTable, wrapProse } from './layout.js';
import { grouped } from './numbers.js';

function g(x: number): string {
  return Number.isInteger(x) ? grouped(x, 0) : Number(x.toPrecision(4)).toString();
}

/** The built-in profiles, one row each with their key constants, fitted to `width` columns. */
export function renderProfileList(width: number = DEFAULT_WIDTH): string {
  const head = ['profile', 'aliases', 'CPU cluster', 'MHz', 'W', 'lz4 comp cycles', 'lz4 decomp cycles', 'storage', 'read µs / µJ', 'write µs / µJ', 'active / idle W'];
  const rows: string[][] = [];
  for (const p of PROFILES.values()) {
    const lz4 = p.codecs['lz4'];
    const c = (x: { fixedCycles: number; cyclesPerByte: number } | undefined): string => (x ? `${g(x.fixedCycles)} + ${g(x.cyclesPerByte)}/B` : '-');
    const s = p.storage;
    rows.push([
      p.name, p.aliases.join(', '), p.cpu.cluster, g(p.cpu.hz.value / 1e6), g(p.cpu.activePowerW.value), c(lz4?.compress), c(lz4?.decompress), s.name,
      `${g(s.readLatencyUs.value)} / ${g(s.readEnergyUJ.value)}`, `${g(s.writeLatencyUs.value)} / ${g(s.writeEnergyUJ.value)}`, `${g(s.activePowerW.value)} / ${g(s.idlePowerW.value)}`,
    ]);
  }
  return fitTable({ head, rows, keys: [0], width }) + '\n';
}

/** Every constant of one profile with its source. */
export function renderProfile(p: Profile, width: number = DEFAULT_WIDTH): string {
  const f = p as FileProfile;
  const out: string[] = [`${p.name}: ${p.description}`];
  if (f.file) out.push(`  from ${f.file}${f.extends ? `, extending ${f.extends}` : ''}`);
  if (f.calibration) out.push(`  calibrated: ${f.calibration.method} (${f.calibration.date}, ${f.calibration.host_cpu}, node ${f.calibration.node})`);
  const rows: string[][] = [];
  const t = { push: (r: string[]): void => void rows.push(r) };
  const walk = (v: unknown, path: string): void => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      if ('value' in o && 'source' in o) {
        t.push([path, g(o['value'] as number), String(o['source'])]);
        return;
      }
      if ('compress' in o && 'decompress' in o) {
        const c = o as unknown as { compress: { fixedCycles: number; cyclesPerByte: number }; decompress: { fixedCycles: number; cyclesPerByte: number }; source: string };
        t.push([`${path}.compress`, `${g(c.compress.fixedCycles)} + ${g(c.compress.cyclesPerByte)}/B`, c.source]);
        t.push([`${path}.decompress`, `${g(c.decompress.fixedCycles)} + ${g(c.decompress.cyclesPerByte)}/B`, '']);
        return;
      }
      for (const [k, x] of Object.entries(o)) walk(x, path ? `${path}.${k}` : k);
    }
  };
  const { name: _n, aliases: _a, description: _d, ...rest } = profileDocument(p) as Record<string, unknown>;
  delete rest['format'];
  delete rest['version'];
  delete rest['calibration'];
  t.push(['cpu.cluster', p.cpu.cluster, '']);
  t.push(['storage.name', p.storage.name, '']);
  walk(rest, '');
  out.push(fitTable({ head: ['constant', 'value', 'source'], rows, wrap: [2, 1], width }));
  return wrapProse(out.join('\n'), width) + '\n';
}
