import { describe, expect, it } from 'vitest';
import { KworkerSched } from '../../../src/sim/sched.js';

// CFS of 6.1 on one CPU, worked by hand (kernel/sched/fair.c): a sleeper's credit is 3 ms
// (sysctl_sched_latency 6 ms / 2), a wake-up preempts when the running task leads the woken
// one by more than 1 ms (sysctl_sched_wakeup_granularity), ticks come every 4 ms (HZ 250),
// and with three runnable tasks the ideal slice is 6 ms / 3 = 2 ms (min_granularity 0.75 ms).
const MS = 1_000_000;

describe('the kworker beside kswapd and the workload (CFS, one CPU)', () => {
  it('a queue_work in kswapd\'s first ms after a long sleep is refused; it waits for the tick after kswapd has run its slice', () => {
    const s = new KworkerSched();
    // The workload runs 10 ms; kswapd wakes with the full credit: vruntime 10 - 3 = 7 ms.
    s.kswapdWake(10 * MS);
    // 0.5 ms later a store queues the work: the kworker is placed at 7 ms too (it slept long);
    // kswapd leads it by 0.5 ms, not more than 1 ms: no preemption.
    expect(s.wakeKworker(10.5 * MS)).toBe(false);
    expect(s.waiting).toBe(true);
    // check_preempt_tick: kswapd picked at 10 ms with no lead; its slice (2 ms) is over at 12 ms,
    // and the first tick after that is at 16 ms.
    expect(s.readyAt).toBe(16 * MS);
    // A second queue_work while it waits does not wake it again.
    expect(s.wakeKworker(11 * MS)).toBe(false);
    expect([s.preempted, s.refused]).toEqual([0, 1]);
  });

  it('once kswapd has run more than 1 ms the wake-up preempts; after the kworker ran, kswapd leads it again by its own run', () => {
    const s = new KworkerSched();
    s.kswapdWake(10 * MS); // vruntime 7 ms
    expect(s.wakeKworker(11.5 * MS)).toBe(true); // lead 1.5 ms
    s.kworkerRan(11.5 * MS, 11.6 * MS); // the kworker: 7 -> 7.1 ms; kswapd picked again at 8.5 ms
    // At 11.7 ms kswapd is at 8.6 ms, the kworker at 7.1 ms (its credit floor is 7 ms): lead 1.5 ms.
    expect(s.wakeKworker(11.7 * MS)).toBe(true);
    expect([s.preempted, s.refused]).toEqual([2, 0]);
  });

  it('kswapd back from a short nap has little credit: the kworker preempts it at once', () => {
    const s = new KworkerSched();
    s.kswapdWake(10 * MS); // 7 ms
    // kswapd runs 10 ms (to 20 ms) while the workload does not (vruntime frozen at 10 ms): it goes
    // to sleep level with the workload, at 10 ms, not 17 ms.
    s.kswapdSleep(20 * MS);
    // The workload runs 1 ms (vruntime 11 ms); kswapd wakes: max(10, 11 - 3) = 10 ms, 1 ms of credit.
    s.kswapdWake(21 * MS);
    // The kworker, asleep since the start, is placed at 11 - 3 = 8 ms; kswapd at 10.1 ms leads by 2.1 ms.
    expect(s.wakeKworker(21.1 * MS)).toBe(true);
  });

  it('the workload\'s own queue_work (direct reclaim) preempts it: the kworker has its full credit', () => {
    const s = new KworkerSched();
    expect(s.wakeKworker(50 * MS)).toBe(true); // workload at 50 ms, kworker placed at 47 ms
  });

  it('a wake-up the workload refuses waits for its tick: the workload, picked long ago, is past its 3 ms slice', () => {
    const s = new KworkerSched();
    expect(s.wakeKworker(50 * MS)).toBe(true);
    s.kworkerRan(50 * MS, 50.2 * MS); // kworker at 47.2 ms; the workload picked again at 50.2 ms (vruntime 50 ms)
    // 0.1 ms later: the kworker is placed at max(47.2, 50.1 - 3 = 47.1) = 47.2 ms; the workload leads by 2.9 ms:
    // that preempts. It is refused only within 1 ms of the kworker's own vruntime:
    expect(s.wakeKworker(50.3 * MS)).toBe(true);
    s.kworkerRan(50.3 * MS, 53 * MS); // a long run: the kworker at 47.2 + 2.7 = 49.9 ms; the workload at 50.1 ms
    expect(s.wakeKworker(53.5 * MS)).toBe(false); // workload 50.6 ms, kworker 49.9 ms: lead 0.7 ms
    // Two runnable: slice 3 ms. The workload was picked at 53 ms with a lead of 0.2 ms: delta_exec > 3 ms
    // at 56 ms, or >= 0.75 ms with lead 0.2 + delta > 3 ms at 55.8 ms: the tick after 55.8 ms is at 56 ms.
    expect(s.readyAt).toBe(56 * MS);
  });
});
