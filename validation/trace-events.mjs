#!/usr/bin/env node
// Counts a traced guest run's events per phase: the ftrace text that
// `node validation/record.mjs --sched-trace --events E1,E2,...` writes to
// DIR/<case>-<run>/trace.txt, split at the workload's marks (trace_marker lines
// "tmemsim-mark NAME"; the events before the first mark are left out):
//
//   node validation/trace-events.mjs DIR/<case>-<run>/trace.txt
//
// Each event is counted by name and task. kmem/mm_page_alloc_extfrag (a migratetype
// fallback, mm/page_alloc.c) is also split by its allocation's and the fallback block's
// migratetypes (0 unmovable, 1 movable, 2 reclaimable), and counted as boosting when it
// took less than a whole pageblock (fallback_order < pageblock_order: steal_suitable_fallback
// then calls boost_watermark) and as a block stolen when change_ownership=1.
import * as fs from 'node:fs';

const file = process.argv[2];
if (!file || process.argv.length > 3) {
  console.error('usage: node validation/trace-events.mjs DIR/<case>-<run>/trace.txt');
  process.exit(2);
}
let text;
try {
  text = fs.readFileSync(file, 'utf8');
} catch (e) {
  console.error(`${file}: cannot read (${e.code ?? e.message}); give a trace.txt written by validation/record.mjs --sched-trace`);
  process.exit(2);
}

/** Phase name → Map(key → count); the phase is the mark that ends it. */
const phases = [];
let cur = null;
const line = /^\s*(.+?)-(\d+)\s+\[\d+\]\s+\S+\s+([\d.]+):\s+(\w+):\s*(.*)$/;
for (const l of text.split('\n')) {
  const m = line.exec(l);
  if (!m) continue;
  const [, task, , , event, rest] = m;
  if (event === 'tracing_mark_write') {
    const name = /tmemsim-mark (\S+)/.exec(rest)?.[1];
    if (name === undefined) continue;
    if (cur !== null) cur.name = name;
    cur = { name: `after ${name}`, counts: new Map() };
    phases.push(cur);
    continue;
  }
  if (cur === null) continue;
  const add = (k) => cur.counts.set(k, (cur.counts.get(k) ?? 0) + 1);
  add(`${event} (${task.replace(/\/\d+$/, '/N')})`);
  if (event === 'mm_page_alloc_extfrag') {
    const f = Object.fromEntries([...rest.matchAll(/(\w+)=(\S+)/g)].map((x) => [x[1], x[2]]));
    add(`  fallback ${f.alloc_migratetype} <- ${f.fallback_migratetype}`);
    if (Number(f.fallback_order) < Number(f.pageblock_order)) add('  boosting (less than a pageblock)');
    if (f.change_ownership === '1') add('  block stolen (change_ownership)');
  }
}
// The first entry is the run before its first mark's phase began: "after start" ends at the next mark.
const done = phases.filter((p) => !p.name.startsWith('after ') || p.counts.size > 0);
for (const p of done) {
  console.log(`${p.name}:`);
  for (const [k, v] of [...p.counts].sort((a, b) => (a[0] < b[0] ? -1 : 1))) console.log(`  ${String(v).padStart(8)}  ${k}`);
}
