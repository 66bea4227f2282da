import { describe, expect, it } from 'vitest';
import { Eevdf } from '../../../src/sim/eevdf.js';
import * as path from 'node:path';
import { NONE, TASK_K, TASK_Q, TASK_W } from '../../../src/sim/sched.js';
import { resolveConfig } from '../../../src/sim/config.js';
import { simulate } from '../../../src/api.js';
import { buildReport } from '../../../src/report/model.js';
import { usageError } from '../../helpers/usage.js';
import type { TraceHeader } from '../../../src/trace/events.js';

// A shipped workload whose zswap shrink worker and kswapd share the CPU with the workload.
const WORKLOAD = path.resolve(__dirname, '../../../workloads/zswap-compressor-switch.json');

// EEVDF of 6.12 on one CPU, worked by hand (kernel/sched/fair.c): a base slice of 0.75 ms; a
// task is eligible when its vruntime is at most the mean of the queued tasks'; a waking task is
// placed at that mean less its lag (0 for a task that never ran), with a deadline a slice on;
// the running task keeps the CPU while it is eligible and on the slice it was picked with
// (RUN_TO_PARITY); otherwise the eligible task with the earliest deadline, a queued task winning
// a tie against the running one; ticks every 4 ms, at which the running task's deadline is
// renewed (and the CPU asked for) once its vruntime passed it.
const MS = 1_000_000;

/** kswapd woken at 10 ms, after the workload ran alone, takes the CPU (the first scenario below). */
function kswapdPicked(): Eevdf {
  const e = new Eevdf();
  e.wake(TASK_K, 10 * MS);
  e.pick(10 * MS);
  return e;
}

/** kswapdPicked, and the workload sleeps on a read at 10.2 ms (eligible: it leaves the queue). */
function kswapdAlone(): Eevdf {
  const e = kswapdPicked();
  e.sleep(TASK_W, 10.2 * MS);
  return e;
}

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
    const e = kswapdPicked();
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

  it('a kworker woken after kswapd used up its slice preempts it: the wake-up renews kswapd\'s deadline, and the tie goes to the kworker', () => {
    // The workload sleeps on a read at 10.2 ms: eligible (10 against the mean 10.1), it leaves the queue.
    const e = kswapdAlone();
    // At 10.8 ms kswapd (10.8) is past its deadline (10.75): a new one, 11.55, and no switch asked
    // (it is alone). The kworker is placed at kswapd's vruntime, deadline 11.55 too.
    e.wake(TASK_Q, 10.8 * MS);
    expect(e.deadline[TASK_K]).toBe(11.55 * MS);
    expect(e.deadline[TASK_Q]).toBe(11.55 * MS);
    // Not on the slice it was picked with: the earliest eligible deadline, a tie the queued kworker wins.
    expect(e.resched).toBe(true);
    expect([e.preempted, e.refused]).toEqual([2, 0]);
    expect(e.pick(10.8 * MS)).toBe(TASK_Q);
  });

  it('a kworker woken while kswapd is not eligible waits when the workload\'s deadline is earlier, and runs at the tick once the workload sleeps', () => {
    const e = kswapdPicked();
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

  it('after a wake-up that preempts, the time to the switch is the woken task\'s (rq_clock_skip_update), up to a tick in between', () => {
    // Each: the kworker woken at `wake` preempts kswapd (alone, its deadline renewed at the
    // wake-up: the tie goes to the kworker); kswapd reaches its preemption point at `point`; the
    // kworker sleeps at `sleep`. kswapd is charged up to `clock` and the kworker from there.
    const cases = [
      // The switch reads the clock of the wake-up: 70 us on the kworker's vruntime (placed at 10.8), not 20.
      { wake: 10.8, point: 10.85, clock: 10.8, sleep: 10.87, kworkerVr: 10.87 },
      // The tick at 12 ms, between the wake-up and the switch, updated the clock.
      { wake: 11.9, point: 12.05, clock: 12, sleep: 12.07, kworkerVr: 11.97 },
    ];
    for (const c of cases) {
      const e = kswapdAlone();
      e.wake(TASK_Q, c.wake * MS);
      expect(e.resched, `${c.wake}`).toBe(true);
      expect(e.pick(c.point * MS), `${c.wake}`).toBe(TASK_Q);
      expect(e.vr[TASK_K], `${c.wake}`).toBeCloseTo(c.clock * MS, 3);
      e.sleep(TASK_Q, c.sleep * MS);
      expect(e.vr[TASK_Q], `${c.wake}`).toBeCloseTo(c.kworkerVr * MS, 3);
    }
  });

  it('vmpressure\'s kworker is an entity of the queue: refused while kswapd is on its first slice, it runs in the switch that picks it and keeps its lag for its next wake-up', () => {
    const e = kswapdAlone();
    // 512 pages scanned (vmpressure_win) at 10.3 ms: the kworker (never ran: lag 0) is placed at
    // kswapd's vruntime, 10.3 ms; kswapd is eligible and on its first slice: no switch.
    e.vmpressure(512, 10.3 * MS);
    expect(e.resched).toBe(false);
    expect(e.vr[3]).toBe(10.3 * MS);
    // kswapd sleeps at 10.9 ms, not eligible (10.9 against the mean 10.6): it stays queued. The
    // pick takes the kworker (eligible), whose work runs in no time: it leaves with a lag of
    // 10.6 - 10.3 = 0.3 ms; then kswapd, delayed, leaves too, and the CPU idles.
    e.sleep(TASK_K, 10.9 * MS);
    expect(e.pick(10.9 * MS)).toBe(NONE);
    expect(e.vmprRuns).toBe(1);
    expect(e.runnable[3]).toBe(false);
    // kswapd wakes at 11 ms (placed at min_vruntime, 10.3) and runs; at 11.1 ms (kswapd at 10.4)
    // the next window: the kworker is placed 0.3 x 2 / 1 = 0.6 ms under kswapd, the mean falls to
    // 10.1 and kswapd is no longer eligible: the kworker preempts.
    e.wake(TASK_K, 11 * MS);
    expect(e.pick(11 * MS)).toBe(TASK_K);
    e.vmpressure(512, 11.1 * MS);
    expect(e.vr[3]).toBeCloseTo(e.vr[TASK_K]! - 0.6 * MS, 3);
    expect(e.resched).toBe(true);
    expect(e.pick(11.15 * MS)).toBe(TASK_K);
    expect(e.vmprRuns).toBe(2);
  });

  it('a task that sleeps while not eligible stays queued (DELAY_DEQUEUE), its vruntime in the mean', () => {
    const e = kswapdPicked();
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

});

describe('the scheduler option (RunOverrides.scheduler, --sched)', () => {
  const header = { format: 'tmemsim-trace', version: 1, config: { ram_mb: 16 } } as TraceHeader;

  it('is cfs-6.1 unless given; refuses an unknown name, and another scheduler with a reclaim model whose kswapd is no task', () => {
    expect(resolveConfig(header, 'x.json', {}).scheduler.name).toBe('cfs-6.1');
    expect(resolveConfig(header, 'x.json', { scheduler: 'eevdf-6.12' }).scheduler.name).toBe('eevdf-6.12');
    const unknown = usageError(() => resolveConfig(header, 'x.json', { scheduler: 'eevdf' }));
    expect(unknown.message).toContain('unknown scheduler "eevdf"');
    expect(unknown.message).toContain('cfs-6.1, eevdf-6.12');
    expect(unknown.where).toEqual({ field: '--sched' });
    for (const reclaim of ['6.1', 'lru-3x']) {
      const e = usageError(() => resolveConfig(header, 'x.json', { scheduler: 'eevdf-6.12', reclaim }));
      expect(e.message, reclaim).toContain(`reclaim ${reclaim} runs kswapd whole after each event`);
      expect(e.where, reclaim).toEqual({ field: '--sched' });
    }
    // The default asks nothing of the reclaim model.
    expect(resolveConfig(header, 'x.json', { scheduler: 'cfs-6.1', reclaim: '6.1' }).scheduler.name).toBe('cfs-6.1');
  });

  it('cfs-6.1 is the default replay, byte for byte; eevdf-6.12 is named in the config, loses nothing and replays the same twice', async () => {
    const report = async (o: { scheduler?: string }) => JSON.stringify(buildReport(await simulate({ trace: WORKLOAD, profiles: ['ssd'], fast: true, baseline: false, ...o })));
    const plain = await report({});
    expect(await report({ scheduler: 'cfs-6.1' })).toBe(plain);
    expect(JSON.parse(plain).config.scheduler).toBeUndefined();
    const eevdf = await report({ scheduler: 'eevdf-6.12' });
    expect(await report({ scheduler: 'eevdf-6.12' })).toBe(eevdf);
    expect(JSON.parse(eevdf).config.scheduler).toBe('eevdf-6.12');
    expect(JSON.parse(eevdf).verdict).toEqual({ stale: 0, lost: 0, ok: true });
  }, 60_000);
});

describe('Eevdf.kblockd: the block layer\'s nice -20 kworker, woken by a swap write submitted without a plug', () => {
  it('asks for a switch; the running task is charged up to the wake-up, the time to the switch is kblockd\'s', () => {
    const e = kswapdPicked();
    const before = e.vr[TASK_K]!;
    e.kblockd(10.3 * MS);
    expect(e.resched).toBe(true);
    // The switch at 10.5 ms: kswapd ran 0.3 ms (to the wake-up), not 0.5.
    e.pick(10.5 * MS);
    expect(e.vr[TASK_K]! - before).toBe(0.3 * MS);
    expect(e.kblockdRuns).toBe(1);
  });

  it('a switch already asked for takes it in: the wake-up adds no skip of its own', () => {
    const e = kswapdPicked();
    e.resched = true;
    e.kblockd(10.3 * MS);
    expect(e.kblockdRuns).toBe(1);
    const before = e.vr[TASK_K]!;
    e.pick(10.5 * MS);
    expect(e.vr[TASK_K]! - before).toBe(0.5 * MS);
  });
});
