#!/usr/bin/env node
// Reads a trace recorded by `node validation/record.mjs --sched-trace` (ftrace text,
// DIR/<case>-<run>/trace.txt) and prints, per phase (the workload's marks, written to
// trace_marker), when zswap's shrink work ran after it was queued:
//
//   node validation/sched-trace.mjs DIR/<case>-<run>/trace.txt [--console DIR/<case>-<run>/console.log]
//
// The guest (Linux 6.1, one CPU) traces: kretprobe zsstore on zswap_frontswap_store
// (every store attempt and its return), kprobe qwork on queue_work_on (wq, work and the
// value of shrink_wq: a call with wq == shrink_wq is a store that hit the pool limit and
// tried to queue the shrink work), workqueue_queue_work filtered to "zswap-shrink" (the
// call that queued it: the item was not pending), workqueue_execute_start (post-filtered
// to shrink_worker), sched_wakeup, sched_switch, and vmscan's kswapd wake and direct
// reclaim begin/end. See docs/validation.md, "Measured: the shrink worker's wait".
//
// A "wait" is one queue_work (workqueue_queue_work) to the next execute_start of
// shrink_worker: there is one shrink work item per pool, so they pair in order. Its
// misses are the shrink queue_work_on calls in between (limit hits that found the item
// pending: in 6.1 each counts pool_limit_hit, and none adds a worker run, so on
// zsmalloc their total is pool_limit_hit - reject_reclaim_fail), beside every store
// attempt in between. How the wait ended is read from the sched_switch that put the
// kworker on the CPU: "at once" when no store came between queue_work and that switch;
// else by the state of the task switched out: R (preempted: by a tick's
// check_preempt_tick, or a wake-up preemption taken late) or S/D (it slept or blocked),
// and which task it was. A wait whose execute_start came without a switch (the kworker
// was already on the CPU) is "kworker running". Whether the queue_work's wake-up of the
// kworker asked to preempt is read from that sched_wakeup's flags (N: need-resched set
// by check_preempt_wakeup). A wait still open at the end of the
// trace is counted apart.
//
// With --console (the run's console.log, by default the one beside the trace), each
// phase's pool_limit_hit - reject_reclaim_fail from debugfs is printed beside the
// traced misses; a phase the trace does not cover whole (events dropped or
// overwritten) says so.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const LINE = /^\s*(.*)-(\d+)\s+\[(\d+)\]\s+(\S+)\s+(\d+\.\d+):\s+(\w+):\s?(.*)$/;

/** One trace line → { comm, pid, flags, ts (s), event, body } or null (headers, blank lines). */
export function parseLine(line) {
  const m = LINE.exec(line);
  if (!m) return null;
  return { comm: m[1].trim(), pid: Number(m[2]), flags: m[4], ts: Number(m[5]), event: m[6], body: m[7] };
}

function fields(body) {
  const out = {};
  for (const m of body.matchAll(/(\w+)=(\S+)/g)) out[m[1]] = m[2];
  return out;
}

const isKswapd = (comm) => /^kswapd/.test(comm);
const isKworker = (comm) => /^kworker/.test(comm);
const role = (comm) => (isKswapd(comm) ? 'kswapd' : isKworker(comm) ? 'kworker' : comm);

function newPhase(name) {
  return { name, t0: null, t1: null, kswapdWakes: 0, stores: 0, storesRejected: 0, queueWorkOn: 0, queued: 0, executed: 0, waits: [], open: 0, kswapdRuns: [] };
}

/**
 * Analyses the trace text. Returns { phases: [...], truncated: {lostBefore, lostAfter} },
 * each phase { name, t0, t1, stores, storesRejected, queueWorkOn, queued, executed,
 * waits: [{ delayMs, misses, stores, queuer, queuerRunMs, sinceKswapdWakeMs, end, endPrev }], open }.
 * Phases are named by the mark that ends them ("(after NAME)" for events after the last mark).
 */
export function analyse(text) {
  const phases = [];
  let phase = newPhase('(before the first mark)');
  phases.push(phase);
  const switchedIn = new Map(); // pid -> ts of its last switch-in
  let running = null; // { pid, comm } on the CPU, from sched_switch
  let kswapdWake = null; // ts of the last mm_vmscan_kswapd_wake
  let lastSwitch = null; // the last sched_switch: { ts, prevComm, prevState, nextComm }
  let pending = null; // the open wait
  let sawShwq = false;
  // kswapd's runs (wake to sleep): its CPU time from the wake to its first store attempt, and the
  // pages its lru_shrink_inactive calls scanned and reclaimed before that attempt.
  let kRun = null;
  let kOnCpu = null; // ts kswapd was switched in (null: off the CPU)
  let kCpuS = 0; // kswapd's CPU time since the trace began
  const kCpu = (ts) => kCpuS + (kOnCpu !== null ? ts - kOnCpu : 0);
  let passIn = null; // kswapd's CPU at its current shrink_node call's entry (record.mjs --kprobes shrink_node)
  for (const line of text.split('\n')) {
    const e = parseLine(line);
    if (!e) continue;
    phase.t0 ??= e.ts;
    phase.t1 = e.ts;
    switch (e.event) {
      case 'tracing_mark_write': {
        const m = /tmemsim-mark (\S+)/.exec(e.body);
        if (!m) break;
        phase.name = m[1];
        phase = newPhase(`(after ${m[1]})`);
        phase.t0 = e.ts;
        phase.t1 = e.ts;
        phases.push(phase);
        break;
      }
      case 'sched_switch': {
        const f = fields(e.body);
        const next = { pid: Number(f.next_pid), comm: f.next_comm };
        switchedIn.set(next.pid, e.ts);
        lastSwitch = { ts: e.ts, prevComm: f.prev_comm, prevState: f.prev_state, nextComm: f.next_comm, storesSinceQueue: pending ? pending.stores : 0 };
        running = next;
        if (isKswapd(f.prev_comm ?? '') && kOnCpu !== null) {
          if (kRun) kRun.cpuS += e.ts - kOnCpu;
          kCpuS += e.ts - kOnCpu;
          kOnCpu = null;
        }
        if (isKswapd(f.next_comm ?? '')) kOnCpu = e.ts;
        break;
      }
      case 'sched_wakeup': {
        // The kworker's wake-up after queue_work: N in the flags is need-resched set by
        // check_preempt_wakeup (wakeup_preempt_entity said preempt), absent when it did not.
        const f = fields(e.body);
        if (pending && pending.wakeup === null && isKworker(f.comm ?? '')) pending.wakeup = e.flags[1] === 'N' ? 'preempts' : 'does not preempt';
        break;
      }
      case 'mm_vmscan_kswapd_wake':
        kswapdWake = e.ts;
        phase.kswapdWakes++;
        kRun = { cpuS: 0, scanned: 0, reclaimed: 0, firstStoreCpuMs: null, firstStoreRejected: null, passesUs: [] };
        phase.kswapdRuns.push(kRun);
        break;
      case 'in_shrink_node':
        if (isKswapd(e.comm)) passIn = kCpu(e.ts);
        break;
      case 'out_shrink_node':
        // A shrink_node call of kswapd's before its first store: its CPU, µs.
        if (isKswapd(e.comm) && passIn !== null && kRun && kRun.firstStoreCpuMs === null) kRun.passesUs.push((kCpu(e.ts) - passIn) * 1e6);
        passIn = null;
        break;
      case 'mm_vmscan_lru_shrink_inactive': {
        if (!isKswapd(e.comm) || !kRun || kRun.firstStoreCpuMs !== null) break;
        const f = fields(e.body);
        kRun.scanned += Number(f.nr_scanned);
        kRun.reclaimed += Number(f.nr_reclaimed);
        break;
      }
      case 'zsstore': {
        const ret = Number(fields(e.body).ret);
        phase.stores++;
        if (ret !== 0) phase.storesRejected++;
        if (isKswapd(e.comm) && kRun && kRun.firstStoreCpuMs === null) {
          kRun.firstStoreCpuMs = (kRun.cpuS + (kOnCpu !== null ? e.ts - kOnCpu : 0)) * 1e3;
          kRun.firstStoreRejected = ret !== 0;
        }
        // The store that queued the work returns after its queue_work: not a store while pending.
        if (pending && pending.ownReturn && e.pid === pending.pid) pending.ownReturn = false;
        else if (pending) pending.stores++;
        break;
      }
      case 'qwork': {
        const f = fields(e.body);
        if (f.shwq === undefined) break;
        sawShwq = true;
        if (f.wq !== f.shwq) break;
        phase.queueWorkOn++;
        if (pending) pending.misses++;
        break;
      }
      case 'workqueue_queue_work': {
        if (!/function=shrink_worker\b/.test(e.body)) break;
        phase.queued++;
        const comm = running && running.pid === e.pid ? running.comm : e.comm;
        const since = switchedIn.get(e.pid);
        pending = {
          phase,
          tq: e.ts,
          pid: e.pid,
          ownReturn: true,
          wakeup: null,
          misses: 0,
          stores: 0,
          queuer: role(comm),
          queuerRunMs: since === undefined ? null : (e.ts - since) * 1e3,
          sinceKswapdWakeMs: isKswapd(comm) && kswapdWake !== null ? (e.ts - kswapdWake) * 1e3 : null,
        };
        break;
      }
      case 'workqueue_execute_start': {
        if (!/function shrink_worker\b/.test(e.body)) break;
        phase.executed++;
        if (!pending) break; // queued before the trace began
        let end, endPrev = null;
        if (!lastSwitch || lastSwitch.nextComm === undefined || !isKworker(lastSwitch.nextComm) || lastSwitch.ts < pending.tq) {
          end = 'kworker running';
        } else if (lastSwitch.storesSinceQueue === 0) {
          end = 'at once';
          endPrev = role(lastSwitch.prevComm);
        } else {
          endPrev = `${role(lastSwitch.prevComm)} ${lastSwitch.prevState}`;
          end = /^R/.test(lastSwitch.prevState) ? 'preempted' : 'slept or blocked';
        }
        // A wait belongs to the phase in which it was queued.
        pending.phase.waits.push({
          delayMs: (e.ts - pending.tq) * 1e3,
          misses: pending.misses,
          stores: pending.stores,
          queuer: pending.queuer,
          queuerRunMs: pending.queuerRunMs,
          sinceKswapdWakeMs: pending.sinceKswapdWakeMs,
          end,
          endPrev,
          wakeup: pending.wakeup ?? 'no kworker wake-up (already runnable)',
        });
        pending = null;
        break;
      }
    }
  }
  if (pending) pending.phase.open++;
  if (!sawShwq) for (const p of phases) p.queueWorkOn = null;
  return { phases: phases.filter((p) => p.t0 !== null) };
}

/** Per-mark debugfs zswap counters from the guest's console (record.mjs's @@ lines). */
export function consoleCounters(text) {
  const marks = new Map();
  let cur = null;
  for (const raw of text.split(/\r?\n/)) {
    const i = raw.indexOf('@@');
    if (i < 0) continue;
    const [tag, k, v] = raw.slice(i + 2).trim().split(/\s+/);
    if (tag === 'mark') marks.set(k, (cur = {}));
    else if (tag === 'endmark') cur = null;
    else if (tag === 'zswap' && cur) cur[k] = Number(v);
    else if (tag === 'tracestat' && k === 'overrun:') marks.overrun = Number(v);
    else if (tag === 'tracestat' && k === 'dropped') marks.dropped = Number(raw.slice(i).split(/\s+/).pop());
  }
  return marks;
}

export function quantiles(xs) {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => {
    const h = (s.length - 1) * p;
    const lo = Math.floor(h);
    return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (h - lo);
  };
  return { min: s[0], q1: q(0.25), median: q(0.5), q3: q(0.75), max: s[s.length - 1] };
}

/** Counts of xs in 1 ms buckets [0,1), [1,2), ... up to [top-1, top), then >= top. */
export function histogram(xs, top = 12) {
  const h = new Array(top + 1).fill(0);
  for (const x of xs) h[Math.min(top, Math.floor(x))]++;
  return h;
}

/** xs grouped by key(x), in first-seen order. */
function groupBy(xs, key) {
  const m = new Map();
  for (const x of xs) {
    const k = key(x);
    if (!m.has(k)) m.set(k, []);
    m.get(k).push(x);
  }
  return m;
}

/** A histogram's markdown table: its 1 ms buckets as columns (the last one open), one row per [name, counts]. */
function histTable(label, n, rows) {
  return [
    `| ${label} | ${Array.from({ length: n }, (_, k) => (k === n - 1 ? `≥${k}` : `${k}–${k + 1}`)).join(' | ')} |`,
    `| --- | ${new Array(n).fill('---').join(' | ')} |`,
    ...rows.map(([name, v]) => `| ${name} | ${v.join(' | ')} |`),
  ];
}

const f2 = (x) => (x === null || x === undefined ? '-' : x.toFixed(2));
const pct = (a, b) => (b === 0 ? '-' : `${((100 * a) / b).toFixed(0)} %`);

/** The report, as text (markdown tables). */
export function format(result, counters = null) {
  const out = [];
  const order = counters ? [...counters.keys()] : [];
  for (const p of result.phases) {
    const w = p.waits;
    out.push(`## phase ${p.name} (trace ${p.t0.toFixed(3)}-${p.t1.toFixed(3)} s)`);
    out.push('');
    out.push(`kswapd wakes ${p.kswapdWakes}; store attempts ${p.stores} (rejected ${p.storesRejected}); shrink queue_work calls ${p.queueWorkOn ?? '-'}; queued ${p.queued}; shrink_worker runs ${p.executed}; waits ${w.length}${p.open ? ` (+${p.open} open at the trace's end)` : ''}`);
    const misses = w.reduce((a, x) => a + x.misses, 0);
    const storesIn = w.reduce((a, x) => a + x.stores, 0);
    let line = `misses (queue_work calls while pending) ${misses}; stores while pending ${storesIn}`;
    const i = order.indexOf(p.name);
    if (counters && i > 0) {
      const a = counters.get(order[i - 1]), b = counters.get(p.name);
      const plh = b.pool_limit_hit - a.pool_limit_hit, rrf = b.reject_reclaim_fail - a.reject_reclaim_fail;
      line += `; debugfs pool_limit_hit ${plh}, reject_reclaim_fail ${rrf}, difference ${plh - rrf}`;
    }
    out.push(line);
    const kr = p.kswapdRuns.filter((r) => r.firstStoreCpuMs !== null);
    if (kr.length > 0) {
      // Traced with mm_vmscan_lru_shrink_inactive (record.mjs since 2026-12-04): what kswapd did before its first store.
      const c = quantiles(kr.map((r) => r.firstStoreCpuMs)), sc = quantiles(kr.map((r) => r.scanned)), rc = quantiles(kr.map((r) => r.reclaimed));
      out.push('');
      out.push(`kswapd runs ${p.kswapdRuns.length}, ${kr.length} with a store attempt (the first one rejected in ${kr.filter((r) => r.firstStoreRejected).length}); from the wake to that first attempt:`);
      out.push('');
      out.push('| per kswapd run | min | q1 | median | q3 | max |');
      out.push('| --- | --- | --- | --- | --- | --- |');
      out.push(`| kswapd's CPU, ms | ${f2(c.min)} | ${f2(c.q1)} | ${f2(c.median)} | ${f2(c.q3)} | ${f2(c.max)} |`);
      out.push(`| pages scanned (lru_shrink_inactive calls done) | ${sc.min} | ${f2(sc.q1)} | ${f2(sc.median)} | ${f2(sc.q3)} | ${sc.max} |`);
      out.push(`| pages reclaimed | ${rc.min} | ${f2(rc.q1)} | ${f2(rc.median)} | ${f2(rc.q3)} | ${rc.max} |`);
      const maxPasses = Math.max(...kr.map((r) => r.passesUs.length));
      if (maxPasses > 0) {
        // Traced with --kprobes shrink_node: kswapd's shrink_node calls before its first store, by their place in the run.
        out.push('');
        out.push('| kswapd\'s shrink_node calls before its first store, CPU µs | calls | q1 | median | q3 |');
        out.push('| --- | --- | --- | --- | --- |');
        for (let i = 0; i < maxPasses; i++) {
          const q = quantiles(kr.filter((r) => r.passesUs.length > i).map((r) => r.passesUs[i]));
          out.push(`| call ${i + 1} of the run | ${kr.filter((r) => r.passesUs.length > i).length} | ${q.q1.toFixed(0)} | ${q.median.toFixed(0)} | ${q.q3.toFixed(0)} |`);
        }
      }
    }
    if (w.length === 0) {
      out.push('');
      continue;
    }
    out.push('');
    const d = quantiles(w.map((x) => x.delayMs));
    const mq = quantiles(w.map((x) => x.misses));
    out.push('| per wait | min | q1 | median | q3 | max | mean |');
    out.push('| --- | --- | --- | --- | --- | --- | --- |');
    out.push(`| queue_work → execute_start, ms | ${f2(d.min)} | ${f2(d.q1)} | ${f2(d.median)} | ${f2(d.q3)} | ${f2(d.max)} | ${f2(w.reduce((a, x) => a + x.delayMs, 0) / w.length)} |`);
    out.push(`| misses | ${mq.min} | ${f2(mq.q1)} | ${f2(mq.median)} | ${f2(mq.q3)} | ${mq.max} | ${f2(misses / w.length)} |`);
    out.push('');
    const h = histogram(w.map((x) => x.delayMs));
    const hm = new Array(h.length).fill(0);
    for (const x of w) hm[Math.min(h.length - 1, Math.floor(x.delayMs))] += x.misses;
    out.push(...histTable('delay, ms', h.length, [['waits', h], ['misses', hm]]));
    out.push('');
    out.push('| queued by | waits | misses | delay median ms | ran since switch-in, median ms | since kswapd wake, median ms |');
    out.push('| --- | --- | --- | --- | --- | --- |');
    const by = groupBy(w, (x) => x.queuer);
    for (const [q, xs] of [...by].sort((a, b) => b[1].length - a[1].length)) {
      const run = xs.map((x) => x.queuerRunMs).filter((x) => x !== null);
      const wake = xs.map((x) => x.sinceKswapdWakeMs).filter((x) => x !== null);
      out.push(`| ${q} | ${xs.length} | ${xs.reduce((a, x) => a + x.misses, 0)} | ${f2(quantiles(xs.map((x) => x.delayMs)).median)} | ${f2(quantiles(run)?.median)} | ${f2(quantiles(wake)?.median)} |`);
    }
    out.push('');
    const kw = w.filter((x) => x.sinceKswapdWakeMs !== null);
    if (kw.length > 0) {
      const hw = histogram(kw.map((x) => x.sinceKswapdWakeMs));
      const hwm = new Array(hw.length).fill(0), hww = new Array(hw.length).fill(0);
      for (const x of kw) {
        const k = Math.min(hw.length - 1, Math.floor(x.sinceKswapdWakeMs));
        hwm[k] += x.misses;
        if (x.misses > 0) hww[k]++;
      }
      out.push(...histTable('queued by kswapd, ms after its wake', hw.length, [['waits', hw], ['waits with misses', hww], ['misses', hwm]]));
      out.push('');
    }
    out.push('| the kworker\'s wake-up | waits | misses | waits with misses | delay median ms | queued by kswapd: ms after its wake, min / median / max |');
    out.push('| --- | --- | --- | --- | --- | --- |');
    const wk = groupBy(w, (x) => x.wakeup);
    for (const [k, xs] of [...wk].sort((a, b) => b[1].length - a[1].length)) {
      const sw = quantiles(xs.map((x) => x.sinceKswapdWakeMs).filter((x) => x !== null));
      const swt = sw ? `${f2(sw.min)} / ${f2(sw.median)} / ${f2(sw.max)}` : '-';
      out.push(`| ${k} | ${xs.length} | ${xs.reduce((a, x) => a + x.misses, 0)} | ${xs.filter((x) => x.misses > 0).length} | ${f2(quantiles(xs.map((x) => x.delayMs)).median)} | ${swt} |`);
    }
    out.push('');
    out.push('| the wait ended | waits | share | misses | delay median ms |');
    out.push('| --- | --- | --- | --- | --- |');
    const ends = new Map();
    for (const x of w) {
      const k = x.endPrev && x.end !== 'at once' ? `${x.end} (${x.endPrev} switched out)` : x.end;
      if (!ends.has(k)) ends.set(k, []);
      ends.get(k).push(x);
    }
    for (const [k, xs] of [...ends].sort((a, b) => b[1].length - a[1].length)) {
      out.push(`| ${k} | ${xs.length} | ${pct(xs.length, w.length)} | ${xs.reduce((a, x) => a + x.misses, 0)} | ${f2(quantiles(xs.map((x) => x.delayMs)).median)} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  let file = null, consolePath = null;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--console') consolePath = args[++i];
    else if (!file) file = args[i];
    else {
      process.stderr.write(`sched-trace: unexpected argument ${args[i]}\n`);
      process.exit(2);
    }
  }
  if (!file) {
    process.stderr.write('usage: node validation/sched-trace.mjs TRACE.txt [--console CONSOLE.log]\n');
    process.exit(2);
  }
  consolePath ??= path.join(path.dirname(file), 'console.log');
  const counters = fs.existsSync(consolePath) ? consoleCounters(fs.readFileSync(consolePath, 'utf8')) : null;
  const result = analyse(fs.readFileSync(file, 'utf8'));
  if (counters && (counters.dropped || counters.overrun)) {
    process.stdout.write(`(the trace lost events: ${counters.dropped ?? 0} dropped when the buffer was full, ${counters.overrun ?? 0} overwritten; a phase cut by that is partial, and its debugfs difference counts the whole phase)\n\n`);
  }
  process.stdout.write(format(result, counters) + '\n');
}
