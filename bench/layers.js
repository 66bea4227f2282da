// Where the replay's time goes, by layer: runs `tmemsim run` on a trace under
// node --cpu-prof and sums the profile's self time by the source folder of
// each sampled function (parse, mm, frontends, backends, oracle, cost meter,
// dispatch, start-up, GC). Usage:
//   node bench/layers.js TRACE [tmemsim run options...]
// e.g. node bench/layers.js zipf.oracleGeneral.bin --backend none --fast --no-baseline --ram-mb 489
// Prints one line per layer: seconds, share of the samples, ns per trace event.
// The run gets --jobs 1: its passes run in the profiled thread, not on workers.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { layerOfUrl } from './layer-of.js';

const [trace, ...rest] = process.argv.slice(2);
if (!trace) {
  console.error('usage: node bench/layers.js TRACE [tmemsim run options...]');
  process.exit(2);
}
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tmemsim-layers-'));
// The unbundled CLI (dist/cli/main.js), not bin/tmemsim.js: the bundle puts every layer in one
// file of dist/bin/, and the profile could then not tell the layers apart.
const script = path.join(dir, 'cli.mjs');
fs.writeFileSync(script, `import { main } from ${JSON.stringify(new URL('../dist/cli/main.js', import.meta.url).href)};\nprocess.exitCode = await main(process.argv);\n`);
const r = spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, script, 'run', trace, '--quiet', '--jobs', '1', '--format', 'json', ...rest], { encoding: 'utf8', maxBuffer: 1 << 30 });
if (r.status !== 0) {
  console.error(r.stderr.trim());
  process.exit(r.status ?? 1);
}
const events = (() => {
  const rep = JSON.parse(r.stdout);
  return rep.runs.reduce((n, x) => n + (x.backend?.events ?? 0) + (x.baseline?.events ?? 0), 0);
})();
const prof = JSON.parse(fs.readFileSync(path.join(dir, fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))), 'utf8'));
fs.rmSync(dir, { recursive: true, force: true });

/** The layer of a sampled function, by where its code lives. */
function layerOf(frame) {
  const name = frame.functionName;
  if (name === '(garbage collector)') return 'gc';
  if (name === '(program)' || name === '(idle)' || name === '(root)') return 'other (V8, idle)';
  return layerOfUrl(frame.url);
}

const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const self = new Map();
let total = 0;
prof.samples.forEach((id, i) => {
  const dt = prof.timeDeltas[i] ?? 0;
  total += dt;
  const layer = layerOf(byId.get(id).callFrame);
  self.set(layer, (self.get(layer) ?? 0) + dt);
});
console.log(`${path.basename(trace)} ${rest.join(' ')}: ${events.toLocaleString('en-US')} events, ${(total / 1e6).toFixed(2)} s sampled`);
for (const [layer, us] of [...self].sort((a, b) => b[1] - a[1])) {
  console.log(`  ${layer.padEnd(48)} ${(us / 1e6).toFixed(2).padStart(7)} s  ${((100 * us) / total).toFixed(1).padStart(5)} %  ${((us * 1000) / Math.max(1, events)).toFixed(0).padStart(6)} ns/event`);
}
