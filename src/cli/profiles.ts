/** `tmemsim profiles [--show NAME|FILE] [--format table|json]`: the device profiles and their constants. */

import type { Command } from 'commander';
import { fitTable, wrapProse } from '../report/layout.js';
import { widthFor } from './output.js';
import { PROFILES } from '../profiles/registry.js';
import { profileDocument, resolveProfile, type FileProfile } from '../profiles/file.js';
import type { Profile } from '../profiles/profile.js';
import { UsageError } from '../errors.js';


function g(x: number): string {
  return Number.isInteger(x) ? x.toLocaleString('en-US') : Number(x.toPrecision(4)).toString();
}

function listTable(width: number): string {
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
function showTable(p: Profile, width: number): string {
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
        } else process.stdout.write(listTable(widthFor(undefined)));
        return;
      }
      const p = resolveProfile(o.show);
      process.stdout.write(o.format === 'json' ? JSON.stringify(profileDocument(p), null, 2) + '\n' : showTable(p, widthFor(undefined)));
    });
}
