#!/usr/bin/env node
// Which compressor should a phone's and a laptop's zcache use? A sweep over
// compressors on the swap-heavy app-switch workload, on the mobile (UFS) and
// ssd profiles: compression ratio, CPU, energy against no backend, and the
// storage energy per 4 KiB read below which compressing stops paying.
//
//   node examples/compressor-comparison.mjs [--jobs N]
import { sweep, profiles, compressorAvailable } from 'tmemsim';

const jobs = process.argv.includes('--jobs') ? Number(process.argv[process.argv.indexOf('--jobs') + 1]) : undefined;
const result = await sweep(
  {
    workloads: ['workloads/mobile-app-switch.json'],
    // lzo needs its optional native package (built at install); skipped where it is missing.
    compressors: ['lz4', 'lzo', 'zstd', 'deflate'].filter(compressorAvailable),
    profiles: ['mobile', 'ssd'],
    fast: true,
  },
  { jobs },
);

const pad = (s, n) => String(s).padEnd(n);
const num = (x, d = 2) => (x === null ? '-' : x.toFixed(d));
for (const g of result.groups) {
  const p = profiles[g.profile];
  console.log(`\n${g.workload} on ${g.profile} (${p.cpu.cluster}, ${p.storage.name}: a 4 KiB read costs ${p.storage.readEnergyUJ.value} µJ)`);
  console.log(pad('compressor', 12) + pad('ratio', 8) + pad('CPU ms', 10) + pad('energy mJ', 12) + pad('saved %', 10) + 'break-even read µJ');
  for (const r of result.rows.filter((x) => x.workload === g.workload && x.profile === g.profile)) {
    const m = r.metrics;
    console.log(pad(r.compressor, 12) + pad(num(m.compression_ratio), 8) + pad(num(m.cpu_ns / 1e6), 10) + pad(num(m.energy_uj / 1000, 1), 12) + pad(num(m.energy_saved_pct, 1), 10) + num(m.breakeven_read_uj, 1));
  }
  console.log(`least energy: ${g.best_energy}`);
  for (const line of g.break_even) console.log(`  ${line}`);
}
if (result.verdict.stale > 0 || result.verdict.lost > 0) {
  console.error('the oracle found stale or lost pages');
  process.exit(1);
}
