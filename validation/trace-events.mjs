#!/usr/bin/env node
// Counts a traced guest run's events per phase: the ftrace text that
// `node validation/record.mjs --sched-trace --events E1,E2,...` writes to
// DIR/<case>-<run>/trace.txt, split at the workload's marks (trace_marker lines
// "tmemsim-mark NAME"; a phase is named by the mark that ends it, the events before the
// first mark are left out):
//
//   node validation/trace-events.mjs DIR/<case>-<run>/trace.txt
//
// Each event is counted by name and task (a kworker's number left out).
// kmem/mm_page_alloc_extfrag (a migratetype fallback, mm/page_alloc.c) is also split by its
// allocation's and the fallback block's migratetypes (0 unmovable, 1 movable, 2 reclaimable),
// and counted as boosting when it took less than a whole pageblock (fallback_order <
// pageblock_order: steal_suitable_fallback then calls boost_watermark) and as a block stolen
// when change_ownership=1.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseLine } from './sched-trace.mjs';

/** The trace text → [{ name, counts: Map(key → count) }], one per phase, in order. */
export function countEvents(text) {
  const phases = [];
  let cur = null;
  for (const l of text.split('\n')) {
    const e = parseLine(l);
    if (e === null) continue;
    if (e.event === 'tracing_mark_write') {
      const name = /tmemsim-mark (\S+)/.exec(e.body)?.[1];
      if (name === undefined) continue;
      if (cur !== null) cur.name = name;
      cur = { name: `(after ${name})`, counts: new Map() };
      phases.push(cur);
      continue;
    }
    if (cur === null) continue;
    const add = (k) => cur.counts.set(k, (cur.counts.get(k) ?? 0) + 1);
    add(`${e.event} (${e.comm.replace(/^kworker\/.*/, 'kworker')})`);
    if (e.event === 'mm_page_alloc_extfrag') {
      const f = Object.fromEntries([...e.body.matchAll(/(\w+)=(\S+)/g)].map((x) => [x[1], x[2]]));
      add(`  fallback ${f.alloc_migratetype} <- ${f.fallback_migratetype}`);
      if (Number(f.fallback_order) < Number(f.pageblock_order)) add('  boosting (less than a pageblock)');
      if (f.change_ownership === '1') add('  block stolen (change_ownership)');
    }
  }
  // The last mark opens a phase that only holds what came after it: shown only if not empty.
  return phases.filter((p) => !p.name.startsWith('(after ') || p.counts.size > 0);
}

export function format(phases) {
  const out = [];
  for (const p of phases) {
    out.push(`${p.name}:`);
    for (const [k, v] of [...p.counts].sort((a, b) => (a[0] < b[0] ? -1 : 1))) out.push(`  ${String(v).padStart(8)}  ${k}`);
  }
  return out.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = process.argv[2];
  if (!file || process.argv.length > 3) {
    process.stderr.write('usage: node validation/trace-events.mjs DIR/<case>-<run>/trace.txt\n');
    process.exit(2);
  }
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    process.stderr.write(`trace-events: ${file}: cannot read (${e.code ?? e.message}); give a trace.txt written by validation/record.mjs --sched-trace\n`);
    process.exit(2);
  }
  process.stdout.write(format(countEvents(text)) + '\n');
}
