/**
 * vmpressure's work as a switch (sim/sched.ts Cfs.vmpressure) seen from the task scheduler
 * (sim/tasks.ts): kswapd's pass asks for the switch; when kswapd is still the leftmost task it is
 * picked again and goes on with its plug held (its writes are not split into another request);
 * when the workload is leftmost it takes the CPU and kswapd's plug is flushed first. The host is
 * a stand-in whose kswapd runs the steps each test gives it.
 */
import { describe, expect, it } from 'vitest';
import { Tasks, type TaskHost } from '../../../src/sim/tasks.js';

const MS = 1_000_000;

/** A host whose kswapd runs `steps` (each: CPU ns it takes, pages it scans; the last ends the run). */
function host(steps: { ns: number; scanned: number }[]) {
  let cpu = 0;
  let plug: number[] | null = null;
  const log: string[] = [];
  let woken = false;
  let i = 0;
  let tasks!: Tasks;
  const reclaim = {
    kswapdWake: () => {
      if (!woken) return false;
      woken = false;
      i = 0;
      return true;
    },
    kswapdStep: () => {
      plug ??= [];
      const s = steps[i++]!;
      cpu += s.ns;
      plug.push(i);
      log.push(`step ${i}`);
      tasks.vmpressure(s.scanned);
      if (i < steps.length) return true; // stopped where a switch is due
      log.push(`plug out ${plug.length}`);
      plug = null; // blk_finish_plug at the end of its pass
      return false;
    },
    kswapdMidBatch: () => false,
  };
  const h: TaskHost = {
    meter: { readWaitNs: 0, peekPendingNs: () => 0 } as unknown as TaskHost['meter'],
    memory: { reclaim, balance: () => {}, kcompactdTick: () => {} } as unknown as TaskHost['memory'],
    simNow: () => cpu,
    eventIndex: 0,
    cpuClock: () => cpu,
    swapPlug: (on) => {
      if (on) plug ??= [];
      else {
        if (plug !== null && plug.length > 0) log.push(`plug out ${plug.length}`);
        plug = null;
      }
    },
    plugHeld: () => plug !== null,
    flushPlug: () => {
      if (plug !== null && plug.length > 0) log.push(`plug out ${plug.length}`);
      if (plug !== null) plug = [];
    },
    parkPlug: () => {
      if (plug === null) return null;
      log.push(`plug kept ${plug.length}`);
      const slots = plug;
      plug = null;
      return { slots, pages: [], requests: slots.length, lastPages: 1 };
    },
    unparkPlug: (p) => {
      log.push(`plug back ${p.slots.length}`);
      plug = p.slots;
    },
  };
  tasks = new Tasks(h, true);
  return {
    tasks,
    log,
    wake: () => void (woken = true),
    run: (ns: number) => void (cpu += ns),
  };
}

describe('vmpressure\'s work as a switch, in the task scheduler', () => {
  it('kswapd still leftmost after the work: it is picked again and keeps its plug (one request)', () => {
    // The workload runs 10 ms; kswapd wakes 3 ms behind it (vruntime 7 ms) and its two steps of
    // 0.5 ms each scan 600 pages: the first crosses vmpressure_win and asks for the switch.
    const h = host([{ ns: 0.5 * MS, scanned: 600 }, { ns: 0.5 * MS, scanned: 10 }]);
    h.run(10 * MS);
    h.wake();
    h.tasks.afterEvent();
    expect(h.log).toEqual(['step 1', 'step 2', 'plug out 2']);
  });

  it('the workload leftmost after the work: it takes the CPU, and kswapd keeps its held writes (no flush on preemption)', () => {
    // The workload runs 12.1 ms (just past a tick); kswapd wakes at vruntime 9.1 ms and its
    // first step runs 3.5 ms (to 12.6 ms, past the workload's 12.1, before the tick at 16 ms)
    // and crosses the window: at the switch the workload is the leftmost task. Without the
    // switch kswapd would run on to its second step.
    const h = host([{ ns: 3.5 * MS, scanned: 600 }, { ns: 0.1 * MS, scanned: 10 }]);
    h.run(12.1 * MS);
    h.wake();
    h.tasks.afterEvent();
    expect(h.log).toEqual(['step 1', 'plug kept 1']);
  });
});
