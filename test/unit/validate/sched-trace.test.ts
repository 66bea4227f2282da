import { describe, expect, it } from 'vitest';
import { analyse, consoleCounters, format, histogram, parseLine, quantiles } from '../../../validation/sched-trace.mjs';

// Lines in the format of a 6.1 ftrace text trace (record.mjs --sched-trace).
const WQ = '0xffff8af782e1bc00';
const OTHER_WQ = '0xffff8af780001000';
const KSWAPD = 'kswapd0-37';
const WL = 'workload-137';
const KW = 'kworker/0:1-17';

function line(task: string, flags: string, ts: number, event: string, body: string): string {
  return `${task.padStart(16)}     [000] ${flags} ${ts.toFixed(6).padStart(12)}: ${event}: ${body}`;
}
const T = {
  mark: (ts: number, name: string, task = WL) => line(task, '.....', ts, 'tracing_mark_write', `tmemsim-mark ${name}`),
  wake: (ts: number) => line(KSWAPD, '.....', ts, 'mm_vmscan_kswapd_wake', 'nid=0 order=0'),
  qwork: (ts: number, task = KSWAPD, wq = WQ) =>
    line(task, '.....', ts, 'qwork', `(queue_work_on+0x0/0x40) wq=${wq} work=0xffff8af78306bc48 shwq=${WQ}`),
  queued: (ts: number, task = KSWAPD) =>
    line(task, 'd..1.', ts, 'workqueue_queue_work', 'work struct=000000004b2e17b5 function=shrink_worker workqueue=zswap-shrink req_cpu=8192 cpu=0'),
  wakeKw: (ts: number, preempt: boolean, task = KSWAPD) =>
    line(task, preempt ? 'dN.4.' : 'd..4.', ts, 'sched_wakeup', 'comm=kworker/0:1 pid=17 prio=120 target_cpu=000'),
  store: (ts: number, ret: number, task = KSWAPD) => line(task, '.....', ts, 'zsstore', `(__frontswap_store+0x59/0xd0 <- zswap_frontswap_store) ret=${ret}`),
  sw: (ts: number, prev: [string, number], state: string, next: [string, number], task: string) =>
    line(task, 'd..2.', ts, 'sched_switch', `prev_comm=${prev[0]} prev_pid=${prev[1]} prev_prio=120 prev_state=${state} ==> next_comm=${next[0]} next_pid=${next[1]} next_prio=120`),
  exec: (ts: number, fn = 'shrink_worker') => line(KW, '.....', ts, 'workqueue_execute_start', `work struct 000000004b2e17b5: function ${fn}`),
};
const kswapd: [string, number] = ['kswapd0', 37];
const workload: [string, number] = ['workload', 137];
const kworker: [string, number] = ['kworker/0:1', 17];

/** A small phase with three waits, each ending differently, computed by hand below. */
function syntheticTrace(): string {
  return [
    '# tracer: nop',
    '#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION',
    T.mark(0.5, 'start'),
    T.sw(0.9, workload, 'R', kswapd, WL),
    T.wake(1.0),
    // wait 1: queued 0.2 ms after kswapd's wake, the wake-up does not preempt, three
    // misses, ended by a tick's preemption of kswapd at 1.0042: 4.0 ms.
    T.qwork(1.0002),
    T.queued(1.0002),
    T.wakeKw(1.00021, false),
    T.store(1.00022, -12), // the queuing store's own return
    T.qwork(1.0010),
    T.store(1.00101, -12),
    T.qwork(1.0020, KSWAPD, OTHER_WQ), // another workqueue: not a shrink queue_work
    T.qwork(1.0030),
    T.store(1.00301, -12),
    T.qwork(1.0040),
    T.store(1.00401, -12),
    T.sw(1.0042, kswapd, 'R+', kworker, KSWAPD),
    T.exec(1.0042),
    T.exec(1.00421, 'vmstat_update'), // another work function: ignored
    T.sw(1.0043, kworker, 'I', kswapd, KW),
    // an accepted store, with nothing pending
    T.store(1.0050, 0),
    // wait 2: the wake-up preempts, the kworker runs before the next store: at once.
    T.qwork(1.0100),
    T.queued(1.0100),
    T.wakeKw(1.01001, true),
    T.store(1.01002, -12),
    T.sw(1.01003, kswapd, 'R+', kworker, KSWAPD),
    T.exec(1.01004),
    T.sw(1.0101, kworker, 'I', workload, KW),
    // wait 3: queued by the workload (direct reclaim), one miss by the workload, ended
    // when kswapd, switched in, sleeps.
    T.qwork(1.0200, WL),
    T.queued(1.0200, WL),
    T.wakeKw(1.02001, false, WL),
    T.store(1.02002, -12, WL),
    T.qwork(1.0210, WL),
    T.store(1.02101, -12, WL),
    T.sw(1.0220, workload, 'D', kswapd, WL),
    T.sw(1.0230, kswapd, 'S', kworker, KSWAPD),
    T.exec(1.0231),
    T.mark(1.0300, 'write', KW),
    // after the last mark: one wait left open at the trace's end
    T.qwork(1.0400),
    T.queued(1.0400),
  ].join('\n');
}

describe('validation/sched-trace.mjs', () => {
  it("measures each kswapd run up to its first store attempt: kswapd's CPU, the pages its shrink_inactive_list calls scanned and reclaimed", () => {
    const inactive = (ts: number, scanned: number, reclaimed: number, task = KSWAPD) =>
      line(task, '.....', ts, 'mm_vmscan_lru_shrink_inactive', `nid=0 nr_scanned=${scanned} nr_reclaimed=${reclaimed} nr_dirty=0 nr_writeback=0 nr_congested=0 nr_immediate=0 nr_activate_anon=0 nr_activate_file=0 nr_ref_keep=20 nr_unmap_fail=0 priority=12 flags=RECLAIM_WB_ANON|RECLAIM_WB_ASYNC`);
    const { phases } = analyse([
      T.mark(0.5, 'start'),
      // Run 1: woken at 1.000 by the workload, on the CPU 1.001-1.002 and from 1.003; two
      // batches (32/5, 32/7), a direct reclaimer's batch (not kswapd's), then its first store
      // (rejected) at 1.0035: CPU 1.0 + 0.5 ms; after it, a batch that no longer counts.
      T.wake(1.0),
      T.sw(1.001, workload, 'R', kswapd, WL),
      inactive(1.0015, 32, 5),
      T.sw(1.002, kswapd, 'R+', workload, KSWAPD),
      inactive(1.0025, 32, 32, WL),
      T.sw(1.003, workload, 'R', kswapd, WL),
      line(KSWAPD, '.....', 1.00305, 'in_shrink_node', '(shrink_node+0x0/0x5a0)'),
      inactive(1.0031, 32, 7),
      line(KSWAPD, '.....', 1.00335, 'out_shrink_node', '(balance_pgdat+0x3c9/0x850 <- shrink_node)'),
      T.store(1.0035, -12),
      inactive(1.0036, 32, 32),
      T.store(1.0037, 0),
      T.sw(1.004, kswapd, 'S', workload, KSWAPD),
      // Run 2: woken, runs, reclaims, sleeps without a store.
      T.wake(1.01),
      T.sw(1.011, workload, 'R', kswapd, WL),
      inactive(1.012, 32, 32),
      T.sw(1.013, kswapd, 'S', workload, KSWAPD),
      T.mark(1.02, 'write'),
    ].join('\n'));
    const w = phases.find((p) => p.name === 'write')!;
    expect(w.kswapdRuns).toHaveLength(2);
    const [r1, r2] = w.kswapdRuns;
    expect(r1.firstStoreCpuMs).toBeCloseTo(1.5, 6);
    expect(r1).toMatchObject({ scanned: 64, reclaimed: 12, firstStoreRejected: true });
    expect(r1.passesUs).toHaveLength(1);
    expect(r1.passesUs[0]).toBeCloseTo(300, 6); // 1.00305 to 1.00335, kswapd on the CPU throughout
    expect(format({ phases })).toContain('| call 1 of the run | 1 | 300 | 300 | 300 |');
    expect(r2).toMatchObject({ firstStoreCpuMs: null, scanned: 32, reclaimed: 32 });
    expect(format({ phases })).toContain('kswapd runs 2, 1 with a store attempt (the first one rejected in 1)');
  });

  it('parses a trace line: task, pid, flags, time, event, body', () => {
    const e = parseLine(T.wakeKw(13.875093, true));
    expect(e).toEqual({ comm: 'kswapd0', pid: 37, flags: 'dN.4.', ts: 13.875093, event: 'sched_wakeup', body: 'comm=kworker/0:1 pid=17 prio=120 target_cpu=000' });
    expect(parseLine('# tracer: nop')).toBeNull();
    expect(parseLine('       <...>-1       [000] d..2.     4.609032: sched_switch: prev_comm=init')?.comm).toBe('<...>');
  });

  it('cuts the trace at the marks and measures each wait, its misses and how it ended', () => {
    const { phases } = analyse(syntheticTrace());
    expect(phases.map((p) => p.name)).toEqual(['start', 'write', '(after write)']);
    const w = phases.find((p) => p.name === 'write')!;
    expect(w.kswapdWakes).toBe(1);
    expect(w.stores).toBe(8);
    expect(w.storesRejected).toBe(7);
    expect(w.queued).toBe(3);
    expect(w.executed).toBe(3);
    expect(w.queueWorkOn).toBe(3 + 4); // the queuing calls and the misses; not the other workqueue's
    expect(w.waits).toHaveLength(3);
    const [a, b, c] = w.waits;
    expect(a.delayMs).toBeCloseTo(4.0, 6);
    expect(a.misses).toBe(3);
    expect(a.stores).toBe(3);
    expect(a.queuer).toBe('kswapd');
    expect(a.sinceKswapdWakeMs).toBeCloseTo(0.2, 6);
    expect(a.queuerRunMs).toBeCloseTo(100.2, 6);
    expect(a.wakeup).toBe('does not preempt');
    expect(a.end).toBe('preempted');
    expect(a.endPrev).toBe('kswapd R+');
    expect(b).toMatchObject({ misses: 0, stores: 0, end: 'at once', wakeup: 'preempts', queuer: 'kswapd' });
    expect(b.delayMs).toBeCloseTo(0.04, 6);
    expect(c).toMatchObject({ misses: 1, stores: 1, end: 'slept or blocked', endPrev: 'kswapd S', queuer: 'workload', sinceKswapdWakeMs: null });
    expect(c.delayMs).toBeCloseTo(3.1, 6);
    const after = phases.find((p) => p.name === '(after write)')!;
    expect(after.waits).toHaveLength(0);
    expect(after.open).toBe(1);
  });

  it('prints the phase with the debugfs difference beside the traced misses', () => {
    const console = [
      '@@mark start', '@@zswap pool_limit_hit 0', '@@zswap reject_reclaim_fail 0', '@@endmark start',
      '@@mark write', '@@zswap pool_limit_hit 7', '@@zswap reject_reclaim_fail 3', '@@endmark write',
      '@@tracestat dropped events: 12',
    ].join('\n');
    const counters = consoleCounters(console);
    expect(counters.get('write')).toEqual({ pool_limit_hit: 7, reject_reclaim_fail: 3 });
    expect(counters.dropped).toBe(12);
    const text = format(analyse(syntheticTrace()), counters);
    expect(text).toContain('misses (queue_work calls while pending) 4; stores while pending 4; debugfs pool_limit_hit 7, reject_reclaim_fail 3, difference 4');
    expect(text).toContain('| at once | 1 | 33 % | 0 |');
  });

  it('quantiles and histogram', () => {
    expect(quantiles([4, 1, 3, 2, 5])).toEqual({ min: 1, q1: 2, median: 3, q3: 4, max: 5 });
    expect(quantiles([])).toBeNull();
    expect(histogram([0.5, 1.2, 1.9, 30], 3)).toEqual([1, 2, 0, 1]);
  });

  it('counts as misses exactly the shrink queue_work calls made while the item is pending (random traces)', () => {
    // An independent model: one work item, pending from its queueing to the worker's start.
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let trial = 0; trial < 50; trial++) {
      const lines: string[] = [T.mark(0.1, 'start')];
      let ts = 1;
      let pending = false;
      let misses = 0, waits = 0, onCpu: 'kswapd' | 'kworker' = 'kswapd';
      lines.push(T.sw(0.5, workload, 'S', kswapd, WL));
      for (let i = 0; i < 200; i++) {
        ts += 0.0001 + rnd() * 0.002;
        const r = rnd();
        if (onCpu === 'kworker') {
          lines.push(T.exec(ts));
          ts += 0.00001;
          lines.push(T.sw(ts, kworker, 'I', kswapd, KW));
          onCpu = 'kswapd';
          pending = false;
          waits++;
        } else if (r < 0.6) {
          // a store that hits the limit
          lines.push(T.qwork(ts));
          if (pending) misses++;
          else {
            lines.push(T.queued(ts));
            lines.push(T.wakeKw(ts, rnd() < 0.5));
            pending = true;
          }
          lines.push(T.store(ts + 0.000001, -12));
        } else if (r < 0.7) {
          lines.push(T.store(ts, 0));
        } else if (pending) {
          lines.push(T.sw(ts, kswapd, rnd() < 0.5 ? 'R+' : 'S', kworker, KSWAPD));
          onCpu = 'kworker';
        }
      }
      lines.push(T.mark(ts + 1, 'end', KSWAPD));
      const p = analyse(lines.join('\n')).phases.find((x) => x.name === 'end')!;
      expect(p.waits.length).toBe(waits);
      expect(p.waits.reduce((a, x) => a + x.misses, 0)).toBe(misses - (pending ? openMisses(lines) : 0));
      expect(p.open).toBe(pending ? 1 : 0);
    }
  });
});

/** The misses of a wait still open at the trace's end (not counted in any closed wait). */
function openMisses(lines: string[]): number {
  let n = 0;
  for (const l of lines) {
    if (l.includes('workqueue_queue_work')) n = 0;
    else if (l.includes(`qwork:`) && l.includes(`wq=${WQ}`)) n++;
  }
  return n;
}
