/**
 * Work items on the simulated clock (TL:kernel/workqueue.c as backends use it:
 * queue_work on a bound workqueue such as zswap's shrink_wq).
 *
 *   queue(work, now):  work already pending → false (queue_work's "already
 *                      queued"), nothing changes; else it becomes pending, due
 *                      at now + WORK_LATENCY_NS, → true.
 *   runDue(now):       every pending item due at or before `now` runs, in
 *                      order of due time then of queueing; an item is no
 *                      longer pending when it starts (process_one_work clears
 *                      PENDING before calling the function), so it may queue
 *                      itself again; one queued again with a due time <= now
 *                      runs in the same call.
 *
 * The simulator runs due work between operations (before every swap-out,
 * swap-in, slot free and page-cache operation, and when the clock moves), so a
 * work item queued by one store runs before a later store, not once per trace
 * event. Deterministic: no wall time, ties broken by queueing order.
 *
 * queue(work, now, held): the kworker's wake-up did not preempt (sim/sched.ts
 * decides): the item is pending but not due until release(now), when the
 * scheduler gives the kworker the CPU.
 *
 * Deviation: a kworker that preempts runs WORK_LATENCY_NS after the
 * queue_work (an estimate), and the work runs on the one simulated timeline
 * (its CPU time is added to the clock like any other work).
 */

/**
 * Where a work item in steps (WorkItem.steps) stops for its kworker's scheduler: before an
 * allocation that may reclaim directly (GFP_KERNEL), and at a cond_resched.
 */
export const enum WorkStep {
  /** The next operation allocates a page that may reclaim directly: a kworker that is a task reclaims in steps first. */
  Alloc,
  /** cond_resched: the kworker may be preempted here. */
  Resched,
}

/**
 * A work_struct: what runs, and a name for reports. `steps`, when present, is the same work as
 * `run` with its preemption points (WorkStep): a kworker that is a task of the scheduler
 * (sim/tasks.ts, the 6.1-cfs models) runs it step by step; `run` is it run whole.
 */
export interface WorkItem {
  readonly name: string;
  run(): void;
  steps?(): Generator<WorkStep, void>;
}

/** Runs a work item's steps whole (no preemption point: a kworker that is not a task). */
export function runSteps(g: Generator<WorkStep, void>): void {
  while (!g.next().done);
}

/**
 * Delay from queue_work to the work running, ns. An estimate [I]: a kworker
 * woken on a CPU that is busy reclaiming runs at its next preemption point
 * (cond_resched in the reclaim loop), tens of microseconds later.
 */
export const WORK_LATENCY_NS = 20_000;

interface Queued {
  readonly item: WorkItem;
  readonly due: number;
  readonly seq: number;
}

export class WorkQueue {
  private readonly items: Queued[] = [];
  private readonly pending = new Set<WorkItem>();
  private seq = 0;
  /** Work items run so far. */
  runs = 0;
  /** An item is running (runDue is on the stack, or begin() gave it and end() has not come). */
  private running = false;

  constructor(readonly latencyNs: number = WORK_LATENCY_NS) {}

  /**
   * queue_work: false when `work` is already pending. `held`: its kworker did not get the CPU
   * (the scheduler refused the wake-up's preemption): it is not due until release().
   */
  queue(work: WorkItem, nowNs: number, held = false): boolean {
    if (this.pending.has(work)) return false;
    this.pending.add(work);
    const q: Queued = { item: work, due: held ? Infinity : nowNs + this.latencyNs, seq: this.seq++ };
    // keep items ordered by (due, seq): a new item is due no earlier than any queued with the same latency
    let i = this.items.length;
    while (i > 0 && this.items[i - 1]!.due > q.due) i--;
    this.items.splice(i, 0, q);
    return true;
  }

  /** The kworker got the CPU: every held item is due at `nowNs` (after those already due, in queueing order). */
  release(nowNs: number): void {
    for (let i = 0; i < this.items.length; i++) {
      const q = this.items[i]!;
      if (q.due === Infinity) this.items[i] = { item: q.item, due: nowNs, seq: q.seq };
    }
    this.items.sort((a, b) => a.due - b.due || a.seq - b.seq);
  }

  /** Whether `work` is queued and has not started. */
  isPending(work: WorkItem): boolean {
    return this.pending.has(work);
  }

  /** Items queued and not yet run. */
  get size(): number {
    return this.items.length;
  }

  /** The due time of the next item, or null when none is queued. */
  nextDue(): number | null {
    return this.items.length > 0 ? this.items[0]!.due : null;
  }

  /**
   * Runs every item due at or before `nowNs`; returns how many ran. Not from inside a running
   * item (its allocation may reclaim, and reclaim runs due work): the one worker is busy, and
   * what is due waits until the running item returns (shrink_wq's max_active is 1, and a work
   * item never runs concurrently with itself).
   */
  runDue(nowNs: number): number {
    if (this.running) return 0;
    let n = 0;
    this.running = true;
    try {
      while (this.items.length > 0 && this.items[0]!.due <= nowNs) {
        n++;
        this.startNext().run();
      }
    } finally {
      this.running = false;
    }
    return n;
  }

  /**
   * The kworker starts the next item due at or before `nowNs` and runs it itself, in steps
   * (WorkItem.steps), until it calls end(): null when none is due or one is running. The item
   * is no longer pending, so it may be queued again meanwhile.
   */
  begin(nowNs: number): WorkItem | null {
    if (this.running || this.items.length === 0 || this.items[0]!.due > nowNs) return null;
    this.running = true;
    return this.startNext();
  }
  /** The item begin() gave has returned. */
  end(): void {
    this.running = false;
  }

  private startNext(): WorkItem {
    const q = this.items.shift()!;
    this.pending.delete(q.item);
    this.runs++;
    return q.item;
  }

  /** Drops every queued item without running it (cancel_work_sync of each, as a module's exit does). */
  cancelAll(): number {
    const n = this.items.length;
    this.items.length = 0;
    this.pending.clear();
    return n;
  }

  /** Runs everything queued, whatever its due time (a flush_workqueue). */
  flush(): number {
    let n = 0;
    while (this.items.length > 0 && !this.running) n += this.runDue(this.items[this.items.length - 1]!.due);
    return n;
  }
}
