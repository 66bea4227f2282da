#!/usr/bin/env node
// What does unloading a backend cost, and how fast does the hit ratio recover?
// The lifecycle workload (zcache insmod -> rmmod -> insmod under load) once per
// rmmod strategy on the mobile profile: pages dropped, repatriated to RAM and
// written to disk by each rmmod, its CPU time and energy, and the frontswap hit
// ratio before and after; with a directory argument, SVG charts of the pool
// and hit ratios over simulated time for each strategy.
//
//   node examples/lifecycle-study.mjs [PLOT_DIR]
import { simulate, buildReport, writeRunPlots, readTrace } from 'tmemsim';

const trace = 'workloads/lifecycle.json';
const t = readTrace(trace);
let controls = 0;
for (const e of t.events()) if (e.op === 'insmod' || e.op === 'rmmod') controls++;
console.log(`${trace}: ${t.header.config.description}`);
console.log(`${controls} insmod/rmmod events in the trace\n`);

const result = await simulate({ trace, profiles: ['mobile'], rmmodStrategies: ['flush', 'zombie', 'writethrough', 'refuse'], fast: true, series: 100 });
const report = buildReport(result);

const pad = (s, n) => String(s).padEnd(n);
console.log(pad('strategy', 14) + pad('op', 8) + pad('outcome', 9) + pad('dropped', 9) + pad('to RAM', 8) + pad('to disk', 9) + pad('CPU ms', 9) + pad('µJ', 10) + 'swap hit before -> after');
for (const run of report.runs) {
  for (const l of run.backend.lifecycle) {
    if (l.op !== 'rmmod') continue;
    console.log(pad(run.variant, 14) + pad(l.op, 8) + pad(l.outcome, 9) + pad(l.pages_dropped, 9) + pad(l.pages_to_ram, 8) + pad(l.pages_to_disk, 9) + pad((l.cpu_ns / 1e6).toFixed(3), 9) + pad(l.energy_uj.toFixed(0), 10) +
      `${(100 * l.frontswap_hit_before).toFixed(1)} % -> ${(100 * l.frontswap_hit_after).toFixed(1)} %`);
  }
}
console.log();
for (const run of report.runs) {
  console.log(`${pad(run.variant, 14)} energy saved over no backend: ${run.delta.energy_saved_pct.toFixed(1)} %, swap I/O avoided: ${run.delta.swap_io_avoided}`);
}
const dir = process.argv[2];
if (dir) {
  const files = await writeRunPlots(result, dir);
  console.log(`\nwrote ${files.length} charts to ${dir}`);
}
if (!report.verdict.ok) {
  console.error(`the oracle found ${report.verdict.stale} stale and ${report.verdict.lost} lost pages`);
  process.exit(1);
}
