import { describe, expect, it } from 'vitest';
import { Eevdf } from '../../../src/sim/eevdf.js';
import { SCHEDULERS as SCHEDULER_NAMES, TASK_K, TASK_Q, TASK_W } from '../../../src/sim/sched.js';
import { resolveConfig } from '../../../src/sim/config.js';
import { UsageError } from '../../../src/errors.js';

// EEVDF of 6.12 on one CPU, worked by hand (kernel/sched/fair.c): a base slice of 0.75 ms; a
// task is eligible when its vruntime is at most the mean of the queued tasks'; a waking task is
// placed at that mean less its lag (0 for a task that never ran), with a deadline a slice on;
// the running task keeps the CPU while it is eligible and on the slice it was picked with
// (RUN_TO_PARITY); otherwise the eligible task with the earliest deadline, a queued task winning
// a tie against the running one; ticks every 4 ms, at which the running task's deadline is
// renewed (and the CPU asked for) once its vruntime passed it.
const MS = 1_000_000;

describe('Eevdf: the workload, kswapd and the kworker on one CPU', () => {
  it('kswapd woken after the workload ran alone takes the CPU: the workload is past its first slice, and a tie of deadlines goes to the queued task', () => {
    const e = new Eevdf();
    e.wake(TASK_K, 10 * MS);
    // The workload's vruntime is 10 ms and its deadline renewed to 10.75 at this update; kswapd
    // is placed at the mean (10 ms, the workload alone) with a deadline of 10.75 ms.
    expect(e.vr[TASK_K]).toBe(10 * MS);
    expect(e.deadline[TASK_K]).toBe(10.75 * MS);
    expect(e.deadline[TASK_W]).toBe(10.75 * MS);
    expect(e.resched).toBe(true);
    expect(e.pick(10 * MS)).toBe(TASK_K);
    expect([e.preempted, e.refused]).toEqual([1, 0]);
  });

  it('a kworker woken in the first slice of an eligible kswapd waits for the tick after that slice (RUN_TO_PARITY)', () => {
    const e = new Eevdf();
    e.wake(TASK_K, 10 * MS);
    e.pick(10 * MS);
    // As if the workload had run 2 ms more: kswapd (10.5 at 10.5 ms) is then under the mean.
    e.vr[TASK_W] = 12 * MS;
    e.wake(TASK_Q, 10.5 * MS);
    // Placed at the mean of the workload and kswapd: (12 + 10.5) / 2 = 11.25 ms.
    expect(e.vr[TASK_Q]).toBe(11.25 * MS);
    expect(e.deadline[TASK_Q]).toBe(12 * MS);
    // Mean of the three 11.25: kswapd (10.5) is eligible and on the slice it was picked with.
    expect(e.resched).toBe(false);
    expect(e.refused).toBe(1);
    expect(e.pick(10.9 * MS)).toBe(TASK_K);
    expect(e.pick(11.99 * MS)).toBe(TASK_K);
    // The tick at 12 ms: kswapd (12 ms) passed its deadline (10.75): a new one, 12.75, and a
    // switch. Mean (12 + 12 + 11.25) / 3 = 11.75: only the kworker is eligible.
    expect(e.pick(12 * MS)).toBe(TASK_Q);
    expect(e.deadline[TASK_K]).toBe(12.75 * MS);
  });

  it('a kworker woken while the running kswapd is not eligible preempts it when its deadline is the earliest', () => {
    const e = new Eevdf();
    e.wake(TASK_K, 10 * MS);
    e.pick(10 * MS);
    // kswapd runs to 10.6 ms; the workload (10 ms) waits. The kworker is placed at the mean of
    // the two, 10.3 ms (deadline 11.05); the mean of the three is 10.3: kswapd (10.6) is not
    // eligible; the workload (deadline 10.75) is, and comes before the kworker: no preemption.
    e.wake(TASK_Q, 10.6 * MS);
    expect(e.vr[TASK_Q]).toBeCloseTo(10.3 * MS, 3);
    expect(e.resched).toBe(false);
    // The workload sleeps on a read (eligible: it leaves the queue, with a lag of 0.3 ms). At the
    // tick at 12 ms kswapd (12 ms) has passed its deadline; the mean of kswapd and the kworker is
    // 11.15 ms: the kworker, the only eligible task, is picked.
    e.sleep(TASK_W, 10.6 * MS);
    expect(e.pick(12 * MS)).toBe(TASK_Q);
  });

  it('a task that sleeps while not eligible stays queued (DELAY_DEQUEUE), its vruntime in the mean', () => {
    const e = new Eevdf();
    e.wake(TASK_K, 10 * MS);
    e.pick(10 * MS);
    // kswapd runs 1 ms and sleeps: 11 ms against the workload's 10 (mean 10.5): not eligible.
    e.sleep(TASK_K, 11 * MS);
    expect(e.runnable[TASK_K]).toBe(false);
    // The pick: the mean is still 10.5 with the delayed kswapd; the workload is eligible and runs.
    expect(e.pick(11 * MS)).toBe(TASK_W);
    // Woken at 11.2 ms while still queued, with a negative lag (mean (10.2 + 11) / 2 = 10.6 < 11):
    // it keeps its vruntime (requeue_delayed_entity places again only a positive lag).
    e.wake(TASK_K, 11.2 * MS);
    expect(e.vr[TASK_K]).toBe(11 * MS);
  });

  it('tmemsim run --sched takes the schedulers by name and refuses others with one line naming them', () => {
    expect(SCHEDULER_NAMES).toEqual(['cfs-6.1', 'eevdf-6.12']);
    const header = { format: 'tmemsim-trace', version: 1, config: { ram_mb: 16 } } as never;
    let err: unknown;
    try {
      resolveConfig(header, 'x.json', { scheduler: 'eevdf' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).message).toContain('unknown scheduler "eevdf"');
    expect((err as UsageError).where).toEqual({ field: '--sched' });
    expect(resolveConfig(header, 'x.json', { scheduler: 'eevdf-6.12' }).scheduler).toBe('eevdf-6.12');
    expect(resolveConfig(header, 'x.json', {}).scheduler).toBe('cfs-6.1');
  });
});
