import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Cfs, NONE, TASK_K, TASK_Q, TASK_W, Ticks } from '../../../src/sim/sched.js';

// CFS of 6.1 on one CPU with kswapd as a task, worked by hand (kernel/sched/fair.c): a waking
// task is placed at max(its vruntime, min_vruntime - 3 ms); it preempts the running task when that
// one leads it by more than 1 ms; ticks every 4 ms; sched_slice 6 ms over the runnable tasks
// (3 ms with two, 2 ms with three); min_granularity 0.75 ms.
const MS = 1_000_000;

describe('Cfs: the workload, kswapd and the kworker on one CPU', () => {
  it('kswapd woken after a long sleep gets the full credit and preempts the workload at once', () => {
    const c = new Cfs();
    // The workload alone for 10 ms: vruntime 10 ms. kswapd wakes: max(-3, 10 - 3) = 7 ms; 10 - 7 > 1.
    c.wake(TASK_K, 10 * MS);
    expect(c.vr[TASK_K]).toBe(7 * MS);
    expect(c.resched).toBe(true);
    expect(c.pick(10 * MS)).toBe(TASK_K);
    expect([c.preempted, c.refused]).toEqual([1, 0]);
  });

  it('a kworker woken in kswapd\'s first ms is refused, and gets the CPU at the tick after kswapd\'s slice', () => {
    const c = new Cfs();
    c.wake(TASK_K, 10 * MS);
    c.pick(10 * MS); // kswapd picked at 10 ms, vruntime 7 ms
    // 0.5 ms later: kswapd at 7.5 ms, min_vruntime stays 7.5 (the smallest runnable: kswapd);
    // the kworker is placed at 7.5 - 3 = 4.5 ms: kswapd leads by 3 ms: that preempts.
    // Refused only when the kworker's own vruntime is close: give it one of 7 ms.
    c.vr[TASK_Q] = 7 * MS;
    c.wake(TASK_Q, 10.5 * MS);
    expect(c.vr[TASK_Q]).toBe(7 * MS);
    expect(c.resched).toBe(false); // lead 0.5 ms
    expect(c.refused).toBe(1);
    // No tick until 12 ms: kswapd goes on.
    expect(c.pick(11.9 * MS)).toBe(TASK_K);
    // The tick at 12 ms: three runnable, slice 2 ms; kswapd ran 2 ms, not more: no preemption
    // by the slice; its lead on the leftmost other (the kworker, 7 ms) is 9 - 7 = 2 ms, not > 2.
    expect(c.pick(12 * MS)).toBe(TASK_K);
    // The tick at 16 ms: kswapd ran 6 ms > 2 ms: preempted; the leftmost is the kworker (7 ms).
    expect(c.pick(16 * MS)).toBe(TASK_Q);
  });

  it('a wake-up preempts only when the running task leads by more than 1 ms (wakeup_preempt_entity is strict)', () => {
    for (const [ahead, preempts] of [[MS, false], [MS + 1, true]] as const) {
      const c = new Cfs();
      c.wake(TASK_K, 10 * MS);
      c.pick(10 * MS); // kswapd running from vruntime 7 ms; min_vruntime 10 ms (the workload's)
      // At 12.5 ms kswapd is at 9.5 ms; the kworker's own vruntime is above the floor (10 - 3 =
      // 7 ms), so it is placed there, `ahead` behind kswapd.
      c.vr[TASK_Q] = 9.5 * MS - ahead;
      c.wake(TASK_Q, 12.5 * MS);
      expect([c.vr[TASK_Q], c.resched]).toEqual([9.5 * MS - ahead, preempts]);
    }
  });

  it('a tick preempts on the lead over the leftmost task only after min_granularity (0.75 ms) of the slice', () => {
    // fair.c's rule, with a state this three-task model reaches only when set: kswapd picked at
    // 11.5 ms with the kworker runnable 8.5 ms behind it (far more than the 2 ms slice).
    const c = new Cfs();
    c.wake(TASK_K, 11.5 * MS);
    expect(c.pick(11.5 * MS)).toBe(TASK_K); // vruntime 8.5 ms
    c.vr[TASK_Q] = 0;
    c.runnable[TASK_Q] = true;
    // The tick at 12 ms: kswapd 0.5 ms into its slice, under min_granularity: it goes on.
    expect(c.pick(12 * MS)).toBe(TASK_K);
    // The tick at 16 ms: 4.5 ms into it, more than the slice: the kworker, the leftmost.
    expect(c.pick(16 * MS)).toBe(TASK_Q);
  });

  it('a task that sleeps gives the CPU to the leftmost runnable one; with none the CPU idles', () => {
    const c = new Cfs();
    c.wake(TASK_K, 10 * MS);
    c.pick(10 * MS); // kswapd at 7 ms
    c.sleep(TASK_K, 11 * MS); // kswapd ran 1 ms: 8 ms
    expect(c.vr[TASK_K]).toBe(8 * MS);
    expect(c.pick(11 * MS)).toBe(TASK_W); // the workload, still at 10 ms
    c.sleep(TASK_W, 12 * MS); // it waits for a read: 11 ms
    expect(c.pick(12 * MS)).toBe(NONE);
    c.wake(TASK_W, 12.2 * MS); // a short sleep: max(11, 11 - 3) = 11 ms, its own vruntime
    expect(c.vr[TASK_W]).toBe(11 * MS);
    expect(c.pick(12.2 * MS)).toBe(TASK_W);
  });

  it('two tasks that stay runnable take turns at the ticks, each about a tick at a time', () => {
    const c = new Cfs();
    c.wake(TASK_K, 10 * MS);
    const seq: number[] = [];
    for (let t = 10; t <= 30; t += 0.5) seq.push(c.pick(t * MS));
    // kswapd from 10 ms (vruntime 7) to the tick at 16 ms (ran 6 ms > 3 ms: its slice with two);
    // then the workload (10 ms against kswapd's 13 ms) to the tick at 20 ms (4 ms > 3 ms), and so on.
    const at = (ms: number): number => seq[(ms - 10) * 2]!;
    expect([at(10), at(15.5), at(16), at(19.5), at(20), at(23.5), at(24)]).toEqual([TASK_K, TASK_K, TASK_W, TASK_W, TASK_K, TASK_K, TASK_W]);
  });

  it('a long sleeper is placed 3 ms behind the running task, whatever its own vruntime', () => {
    const c = new Cfs();
    c.pick(50 * MS);
    c.wake(TASK_Q, 50 * MS); // placed at 47 ms, preempts
    expect(c.pick(50 * MS)).toBe(TASK_Q);
    c.sleep(TASK_Q, 50.1 * MS); // 47.1 ms
    expect(c.pick(50.1 * MS)).toBe(TASK_W);
    // At 60 ms the workload has run 59.9 ms (the kworker had 0.1 ms): kswapd is placed at 56.9 ms.
    c.wake(TASK_K, 60 * MS);
    expect(c.vr[TASK_K]).toBe(56.9 * MS);
  });
});

describe('Cfs.sleepAlone: the idle turn of a workload that waits alone on a read, in one step', () => {
  it('leaves the state sleep, pick, wake and pick leave, whatever the tasks did before', () => {
    fc.assert(
      fc.property(
        // A history: the tasks woken and put to sleep, ticks and picks, at rising times.
        fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 1, max: 3 * MS })), { maxLength: 40 }),
        fc.integer({ min: 0, max: 9 * MS }),
        fc.integer({ min: 1, max: 20 * MS }),
        (history, gap, wait) => {
          const a = new Cfs();
          let now = 0;
          for (const [op, dt] of history) {
            now += dt;
            if (op === 0) a.wake(TASK_K, now);
            else if (op === 1) a.wake(TASK_Q, now);
            else if (op === 2 && a.curr !== NONE) a.sleep(a.curr, now);
            else if (op === 3) a.pick(now);
            else if (op === 4) a.wake(TASK_W, now); // the workload back from a read, with its credit
            else if (op === 5) a.vmpressure(dt % 700); // a reclaim pass's scan
            else a.tick(now);
          }
          // Back to the workload alone (what afterEvent checks before it takes the shortcut).
          a.sleep(TASK_K, now);
          a.sleep(TASK_Q, now);
          a.wake(TASK_W, now);
          expect(a.pick(now)).toBe(TASK_W);
          now += gap;
          // A tick at the event's end (runWork's) may have asked to preempt the lone workload.
          a.tick(now);
          // The clone shares a's Ticks (immutable; structuredClone would drop its class).
          const b = Object.assign(Object.create(Object.getPrototypeOf(a)), structuredClone({ ...a }), { ticks: (a as unknown as { ticks: Ticks }).ticks }) as Cfs;
          b.vr.splice(0, 3, ...a.vr);
          b.runnable.splice(0, 3, ...a.runnable);
          a.sleep(TASK_W, now);
          expect(a.pick(now)).toBe(NONE);
          a.wake(TASK_W, now + wait);
          expect(a.pick(now + wait)).toBe(TASK_W);
          b.sleepAlone(TASK_W, now, now + wait);
          expect({ ...b }).toEqual({ ...a });
        },
      ),
      { numRuns: 300, seed: 5 },
    );
  });
});

describe('Cfs.vmpressure: the work vmpressure queues every vmpressure_win (512) pages scanned', () => {
  it('preempts at the next switch, after which the leftmost task runs: the reclaimer itself, or the workload', () => {
    const c = new Cfs();
    c.wake(TASK_K, 10 * MS);
    expect(c.pick(10 * MS)).toBe(TASK_K); // kswapd from vruntime 7 ms; the workload at 10 ms
    c.vmpressure(300);
    expect(c.resched).toBe(false); // 300 < 512
    c.vmpressure(300);
    expect(c.resched).toBe(true); // 600: schedule_work wakes its kworker, which preempts
    // At 10.4 ms kswapd is at 7.4 ms, still the leftmost: after the work it runs on.
    expect(c.pick(10.4 * MS)).toBe(TASK_K);
    expect(c.vmprRuns).toBe(1);
    // The work took tree_scanned: 511 more pages do not queue it again, the 512th does.
    c.vmpressure(511);
    expect(c.resched).toBe(false);
    c.vmpressure(1);
    expect(c.resched).toBe(true);
    // At 13.5 ms kswapd is at 10.5 ms, past the workload's 10 ms: the workload gets the CPU.
    expect(c.pick(13.5 * MS)).toBe(TASK_W);
    expect(c.vmprRuns).toBe(2);
  });

  it('a queued work is not queued again: what is scanned meanwhile goes with it', () => {
    const c = new Cfs();
    c.wake(TASK_K, 10 * MS);
    c.pick(10 * MS);
    c.vmpressure(5000);
    c.vmpressure(5000);
    c.pick(10.1 * MS);
    expect(c.vmprRuns).toBe(1);
    c.vmpressure(511);
    expect(c.resched).toBe(false);
  });

  it('runs once a window crossed between switches, checked against a counter model over random histories', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 1500 })), { maxLength: 200 }),
        (history) => {
          const c = new Cfs();
          // The model: mm/vmpressure.c's tree_scanned and the work's pending bit; the work runs
          // (and takes tree_scanned) at the next switch of the CPU.
          let scanned = 0;
          let pending = false;
          let runs = 0;
          const switched = (): void => {
            if (!pending) return;
            pending = false;
            scanned = 0;
            runs++;
          };
          let now = 0;
          for (const [op, n] of history) {
            now += 1 + n * 1000;
            if (op === 0 || op === 1) {
              c.vmpressure(n);
              scanned += n;
              if (scanned >= 512 && !pending) pending = true;
              // A queued work's kworker always asks for the CPU.
              if (pending) expect(c.resched || c.curr === NONE).toBe(true);
            } else if (op === 2) {
              c.tick(now); // a tick may ask for the switch too
              const switching = c.resched;
              c.pick(now);
              if (switching) switched();
            } else if (op === 3) {
              if (n % 2 === 0) c.wake(n % 3 === 0 ? TASK_K : TASK_Q, now);
              else if (c.curr !== NONE && c.curr !== TASK_W) c.sleep(c.curr, now);
            } else {
              c.switchTo(c.curr, now);
              switched();
            }
          }
          expect(c.vmprRuns).toBe(runs);
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });
});

describe('Ticks: where the scheduler ticks fall (--tick-phase)', () => {
  // An independent count: the ticks are the times phase + k * 4 ms (k >= 0) after time 0; at
  // phase 0 the first is at 4 ms (the tick at 0 is the scheduler's starting point).
  const T = 4 * MS;
  const ticksUpTo = (t: number, phase: number): number => {
    let n = 0;
    for (let x = phase; x <= t; x += T) if (x > 0) n++;
    return n;
  };

  it('counts the ticks up to a time and finds the next one, at any phase', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: T - 1 }), fc.integer({ min: 0, max: 60 * MS }), (phase, t) => {
      const k = new Ticks(phase);
      expect(k.index(t)).toBe(ticksUpTo(t, phase));
      const next = k.after(t);
      expect(next).toBeGreaterThan(t);
      expect(ticksUpTo(next, phase)).toBe(ticksUpTo(t, phase) + 1);
      expect(ticksUpTo(next - 1, phase)).toBe(ticksUpTo(t, phase));
    }), { numRuns: 2000 });
  });

  it('refuses a phase outside one tick', () => {
    for (const bad of [-1, T, 1.5 * T, NaN]) expect(() => new Ticks(bad)).toThrow(RangeError);
  });

  it('moves the tick that preempts a refused kworker: with kswapd picked at 10 ms, the first tick after its 2 ms slice', () => {
    for (const [phase, at] of [[0, 12 * MS], [1 * MS, 13 * MS], [3.5 * MS, 15.5 * MS]] as const) {
      const c = new Cfs(phase);
      c.wake(TASK_K, 10 * MS);
      c.pick(10 * MS);
      c.vr[TASK_Q] = 7 * MS; // refused (lead 0.5 ms), as above
      c.wake(TASK_Q, 10.5 * MS);
      // Preemption points every 0.5 ms, each on or after the ticks before it. kswapd's slice
      // (2 ms) is over at 12 ms and it leads the kworker by the slice then: the first tick past
      // 12 ms preempts it (at phase 0 the tick at 12 ms sees a delta of exactly 2 ms and a lead
      // of exactly 2 ms: not yet; at 3.5 ms the tick at 11.5 ms comes before the slice's end).
      const first = phase === 0 ? 16 * MS : at;
      for (let t = 10.5 * MS; t < first; t += MS / 2) expect(c.pick(t), `phase ${phase}, ${t / MS} ms`).toBe(TASK_K);
      expect(c.pick(first), `phase ${phase}`).toBe(TASK_Q);
    }
  });
});

describe('Cfs.kblockd: the block layer\'s nice -20 kworker, woken by a swap write submitted without a plug', () => {
  it('preempts at the next switch, after which the leftmost task runs, not the one it preempted', () => {
    // The zswap kworker woke at 10 ms with the full credit (7 ms) and preempted kswapd (at 7 ms
    // too: it woke at 10 ms as well); the kworker's allocation reclaimed for 3.5 ms, then its
    // writeback's bio woke kblockd.
    const c = new Cfs();
    c.wake(TASK_K, 10 * MS);
    expect(c.pick(10 * MS)).toBe(TASK_K);
    c.wake(TASK_Q, 10 * MS); // placed at 10 - 3 = 7 ms; kswapd leads by 0: refused
    expect(c.resched).toBe(false);
    c.resched = true; // a switch asked for at 10 ms (the test's: the kworker takes the CPU)
    c.vr[TASK_Q] = 6 * MS;
    expect(c.pick(10 * MS)).toBe(TASK_Q);
    c.kblockd();
    expect(c.resched).toBe(true);
    // At 13.5 ms the kworker is at 9.5 ms, past kswapd's 7 ms: kswapd takes the CPU.
    expect(c.pick(13.5 * MS)).toBe(TASK_K);
    expect(c.kblockdRuns).toBe(1);
  });

  it('leaves the running task on the CPU when it is still the leftmost', () => {
    const c = new Cfs();
    c.wake(TASK_K, 10 * MS);
    c.pick(10 * MS); // kswapd from 7 ms; the workload at 10 ms
    c.kblockd();
    expect(c.pick(10.5 * MS)).toBe(TASK_K); // 7.5 ms < 10 ms
    expect(c.curr).toBe(TASK_K);
  });
});
