#!/usr/bin/env node
// tmemsim's side of `validation/sched-trace.mjs`'s kswapd-run table: replays one case as
// `tmemsim validate` does and prints, per phase, for each kswapd run (a wake of kswapd's task
// in the CFS model) its CPU time (the growth of its vruntime) and the pages it reclaimed
// (pgsteal_kswapd) from the wake to its first zswap store attempt. A diagnostic: it wraps
// methods of the built classes (dist/) at run time, reads two of their private members
// (Cfs.updatedAt, Tasks.schedNow: kswapd's CPU up to the store) and changes nothing the
// replay computes.
//
//   npm run build && node validation/kswapd-runs.mjs rw-zsmalloc-lzo
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, '..', 'dist');
const { Cfs, TASK_K } = await import(path.join(dist, 'sim/sched.js'));
const { ZswapBackend } = await import(path.join(dist, 'backends/zswap.js'));
const { Machine } = await import(path.join(dist, 'sim/machine.js'));
const { readReferences, defaultGuestProfile } = await import(path.join(dist, 'validate/reference.js'));
const { replay, eventsOf } = await import(path.join(dist, 'validate/replay.js'));
const { quantiles } = await import(path.join(here, 'sched-trace.mjs'));

const name = process.argv[2];
if (!name) {
  console.error('usage: kswapd-runs.mjs CASE');
  process.exit(2);
}
const dir = path.join(here, 'references');
const ref = readReferences(dir, [name])[0];
// The mark events' indexes name the phases (an event before a mark belongs to its phase).
const marks = [];
let i = 0;
for (const ev of eventsOf(ref)) {
  if (ev.op === 'mark') marks.push([ev.name, i]);
  i++;
}
const phases = marks.map(([n]) => ({ name: n, runs: [] }));
const phaseAt = (index) => phases[marks.findIndex(([, at]) => index <= at)] ?? null;

let machine = null;
let run = null;
const wake = Cfs.prototype.wake;
Cfs.prototype.wake = function (t, now) {
  const asleep = !this.runnable[t];
  wake.call(this, t, now);
  if (t === TASK_K && asleep && machine) {
    run = { cfs: this, vr0: this.vr[TASK_K], steal0: machine.stats.pgsteal_kswapd, cpuMs: null, reclaimed: null, rejected: null };
    phaseAt(machine.eventIndex)?.runs.push(run);
  }
};
const afterEvent = Machine.prototype.afterEvent;
Machine.prototype.afterEvent = function (...a) {
  machine = this;
  return afterEvent.apply(this, a);
};
const store = ZswapBackend.prototype.store;
ZswapBackend.prototype.store = function (...a) {
  const ok = store.apply(this, a);
  if (run && run.cpuMs === null && run.cfs.curr === TASK_K) {
    // kswapd is running: its vruntime at its last update plus the time since.
    const vr = run.cfs.vr[TASK_K] + (machine.tasks.schedNow() - run.cfs.updatedAt);
    run.cpuMs = (vr - run.vr0) / 1e6;
    run.reclaimed = machine.stats.pgsteal_kswapd - run.steal0;
    run.rejected = !ok;
  }
  return ok;
};
await replay(ref, path.join(dir, `${name}.json`), defaultGuestProfile());
const f2 = (x) => (x === null || x === undefined ? '-' : x.toFixed(2));
for (const p of phases) {
  const kr = p.runs.filter((r) => r.cpuMs !== null);
  console.log(`## phase ${p.name}: kswapd runs ${p.runs.length}, ${kr.length} with a store attempt (the first one rejected in ${kr.filter((r) => r.rejected).length})`);
  if (kr.length === 0) continue;
  const c = quantiles(kr.map((r) => r.cpuMs)), rc = quantiles(kr.map((r) => r.reclaimed));
  console.log('| per kswapd run, wake to first store attempt | min | q1 | median | q3 | max |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  console.log(`| kswapd's CPU, ms | ${f2(c.min)} | ${f2(c.q1)} | ${f2(c.median)} | ${f2(c.q3)} | ${f2(c.max)} |`);
  console.log(`| pages reclaimed | ${rc.min} | ${f2(rc.q1)} | ${f2(rc.median)} | ${f2(rc.q3)} | ${rc.max} |`);
}
