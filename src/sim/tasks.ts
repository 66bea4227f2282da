/**
 * Who has the CPU between the workload's operations: kswapd and the kworker
 * of the work items backends queue (zswap's shrink worker), beside the
 * workload, on one CPU. With a reclaim model whose kswapd is a task
 * ('6.1-cfs' and '6.1-cfs-buddy', the default) CFS (sched.ts Cfs) schedules all three: at the end
 * of each event, at the workload's allocations (might_sleep) and, for the
 * kworker, at every operation. A work item in steps (WorkItem.steps) is itself
 * preempted at its cond_resched points and inside the direct reclaim of its
 * GFP_KERNEL allocation, which runs as the kworker's (Reclaim.directBegin):
 * the kworker stays runnable with the item begun. Otherwise kswapd runs whole
 * after an event, KworkerSched decides when the kworker runs, and an item runs
 * whole.
 *
 * The machine (the host) gives the clocks, the cost meter, the memory model
 * and its swap-write plug; this module owns the scheduler state, the work
 * queue and kswapd's steps.
 *
 * Swap write plugging: each task keeps its plug while another has the CPU
 * (parkPlug / unparkPlug): in 6.1 only a task that goes to sleep has its plug
 * flushed (schedule → sched_submit_work returns at once while the task is
 * TASK_RUNNING; cond_resched's preemption goes through __schedule(SM_PREEMPT)
 * and never calls it), so the writes a preempted reclaimer holds reach the
 * device when it runs again: at its next request that cannot merge once its
 * plug holds 32 requests or a last one of 128 KiB (blk_add_rq_to_plug,
 * Machine.plugWrite), or at the end of its pass (blk_finish_plug), after its
 * batch is back on the LRU. Deviation: the '6.1' reclaim model (kswapd not a
 * task) still flushes the plug of the task a kworker preempts. (Until
 * 2026-12-06 every switch flushed the outgoing task's plug, and the size
 * rule was not modelled: docs/validation.md item 2.)
 *
 * Deviation (the kworker's allocation): the direct reclaim of a work item's
 * allocation runs before the step that allocates, decided by the watermarks
 * then (the kernel's allocation decides at that moment, inside the step, e.g.
 * after zbud_reclaim_page picked its page); a step that then does not allocate
 * (the page came into the swap cache meanwhile) has reclaimed for nothing. An
 * item's later allocations in the same step (zbud_reclaim_page's second
 * buddy) reclaim whole, without a preemption point.
 */

import type { CostMeter } from '../cost/meter.js';
import type { Memory } from '../mm/memory.js';
import { MAX_RECLAIM_RETRIES } from '../mm/reclaim/reclaim.js';
import { KworkerSched, NONE, TASK_K, TASK_Q, TASK_W, type FairSched } from './sched.js';
import { CFS_61, type SchedulerFactory } from './schedulers.js';
import { WorkQueue, WorkStep, type WorkItem } from './workqueue.js';

/** Scheduler turns after one event beyond which afterEvent reports an internal error (a bound, not a model constant). */
const MAX_STEPS_PER_EVENT = 1_000_000;
/** Rounds of its list a kworker runs before the scheduler looks again (work queued by the work it runs). */
const KWORKER_ROUNDS = 64;

/** A preempted task's plug: the swap writes it holds, not yet submitted, and their pages. */
export interface ParkedPlug {
  readonly slots: number[];
  readonly pages: number[];
  /** The requests the slots make and the pages of the last (blk_add_rq_to_plug's early-flush counts). */
  readonly requests: number;
  readonly lastPages: number;
}

/** What the task scheduling needs of the machine. */
export interface TaskHost {
  readonly meter: CostMeter;
  readonly memory: Memory;
  /** Simulated time, ns, the work charged in this event so far included (MmEnv.simNow). */
  simNow(): number;
  /** Index of the event being run (for errors). */
  readonly eventIndex: number;
  /** The scheduler's CPU clock: the CPU work charged so far and the workload's time between events. */
  cpuClock(): number;
  /** blk_start_plug (true) / blk_finish_plug (false) for the running task's swap writes. */
  swapPlug(on: boolean): void;
  /** The running task holds a plug. */
  plugHeld(): boolean;
  /** blk_flush_plug: the running task's held writes go out (it keeps its plug). */
  flushPlug(): void;
  /** The running task is preempted holding its plug: the plug and its writes are set aside, unsubmitted (null: it holds none). */
  parkPlug(): ParkedPlug | null;
  /** The preempted task runs again: its plug and writes set aside by parkPlug are held again. */
  unparkPlug(p: ParkedPlug): void;
}

export class Tasks {
  /** Work items backends queued (zswap's shrink worker), run between operations. */
  readonly workqueue = new WorkQueue();
  /** When the work items' kworker gets the CPU beside kswapd and the workload (CFS on one CPU). */
  private readonly sched: KworkerSched;
  /**
   * With a reclaim model whose kswapd is a task (6.1-cfs, 6.1-cfs-buddy): the fair scheduler
   * (sim/schedulers.ts: Cfs by default, or Eevdf) over the workload, kswapd and the kworker
   * (null: kswapd runs whole after an event and KworkerSched decides the kworker).
   */
  private fair: FairSched | null = null;
  /** The scheduler's time: the CPU clock and the time no task was runnable (the workload waiting on a read). */
  private idleNs = 0;
  private schedNow(): number {
    return this.h.cpuClock() + this.idleNs;
  }
  /** The machine's clock plus the work charged in this event so far: when a work item is queued or due. */
  private workNow(): number {
    return this.h.simNow();
  }
  /** The meter's read time already waited for. */
  private readWaitSeen = 0;
  /** When the workload, asleep on a read, wakes on the scheduler's clock (-1: it is not asleep). */
  private wakeWAt = -1;

  /** finishReclaimBatches (or cancelWork) is stepping a task to the end of its batch (or item): it stops at each page. */
  private finishing = false;
  /** kswapd was switched out in the middle of a reclaim pass: its plug (parked) is its own again when it resumes. */
  private kswapdPlugOut = false;
  /** By task (TASK_K, TASK_Q): the plug it holds, set aside unsubmitted while another task has the CPU. */
  private readonly parked: (ParkedPlug | null)[] = [null, null, null];

  /** The kworker's work item in steps (WorkItem.steps), begun and not yet returned, or null. */
  private item: Generator<WorkStep, void> | null = null;
  /** The kworker's item is in the direct reclaim of its allocation, run in steps (Reclaim.directStep). */
  private kworkerReclaiming = false;
  /** The kworker was switched out in the middle of a reclaim pass: its plug (parked) is its own again when it resumes. */
  private kworkerPlugOut = false;
  /** The kworker's reclaim is done and its allocation not yet made (switched out at __perform_reclaim's cond_resched). */
  private kworkerReclaimed = false;
  /** The kworker's steps are on the stack: a preemption point inside them does not start it again. */
  private kworkerOn = false;
  /**
   * The kworker sleeps in should_reclaim_retry (schedule_timeout_uninterruptible(1): to the next
   * tick) and then retries its allocation: when it wakes, on the scheduler's clock (-1: it does not).
   */
  private wakeQAt = -1;
  /** The kworker's allocation is to be retried when it runs again (after its sleep). */
  private kworkerRetry = false;
  /** should_reclaim_retry's loops of the kworker's allocation so far (at MAX_RECLAIM_RETRIES it takes a page anyway). */
  private kworkerRetries = 0;
  /** The kworker's sleeps in should_reclaim_retry, and the last one's [start, end] on the scheduler's clock. */
  retrySleeps = 0;
  lastRetrySleep: readonly [number, number] = [-1, -1];

  /** The kworker has begun a work item in steps and not finished it (it was switched out inside it). */
  get kworkerInItem(): boolean {
    return this.item !== null;
  }
  /** The kworker is in the direct reclaim of its item's allocation. */
  get kworkerInReclaim(): boolean {
    return this.kworkerReclaiming;
  }

  /** `tickPhaseNs`: where the scheduler's ticks fall (sched.ts Ticks; 0 by default). */
  constructor(private readonly h: TaskHost, kswapdTask: boolean, tickPhaseNs = 0, scheduler: SchedulerFactory = CFS_61) {
    this.sched = new KworkerSched(tickPhaseNs);
    if (kswapdTask) this.fair = scheduler.create(tickPhaseNs);
  }

  /**
   * MmEnv.preemptPending: at the running task's next preemption point the scheduler would
   * switch (a wake-up asked for it, a tick came, or the sleeping workload's read is done).
   * kswapd's steps end only then: between them the scheduler would pick kswapd again.
   */
  preemptPending(): boolean {
    const fair = this.fair;
    if (fair === null) return false;
    if (this.finishing) return true;
    const now = this.schedNow();
    return fair.resched || fair.tickDue(now) || (this.wakeWAt >= 0 && now >= this.wakeWAt) || (this.wakeQAt >= 0 && now >= this.wakeQAt);
  }

  /**
   * The end of an event: the workload reaches a preemption point. Without a kswapd task,
   * kswapd runs its whole reclaim now. With one, the scheduler runs the tasks it picks until it
   * picks the workload again: kswapd up to its next page or batch where a switch is due
   * (preemptPending), the kworker its work items; a workload that read from a device this event
   * sleeps that long, and the others run (or the CPU idles) meanwhile.
   *
   * True when it found nothing to do and changed nothing (kcompactd not due, kswapd's wake check
   * idle, nothing to schedule): until the clock, the free pages or a task's state change, it
   * would find the same again (the replay's quiet events, sim/simulate.ts).
   */
  afterEvent(): boolean {
    // kcompactd, woken or timed out during the event, runs now (mm/compaction.ts).
    const compacted = this.h.memory.kcompactdTick();
    const fair = this.fair;
    if (fair === null) {
      this.h.memory.balance();
      return false;
    }
    const now = this.schedNow();
    const woke = this.wakeKswapd(fair, now);
    const wait = this.h.meter.readWaitNs - this.readWaitSeen;
    // Nothing to schedule (the common case): the workload alone, no read to wait for, no tick.
    if (wait === 0 && !fair.resched && !fair.runnable[TASK_K] && !fair.runnable[TASK_Q] && !fair.tickDue(now)) {
      return !compacted && !woke && this.wakeQAt < 0 && this.h.memory.reclaim.wakeIdle === true;
    }
    this.readWaitSeen = this.h.meter.readWaitNs;
    if (wait > 0) {
      if (!fair.runnable[TASK_K] && !fair.runnable[TASK_Q] && fair.curr === TASK_W && this.wakeQAt < 0) {
        // The common case of a read (a page-cache miss with nothing else to run): the CPU idles
        // until the read is done and the workload takes it again.
        fair.sleepAlone(TASK_W, now, now + wait);
        this.idleNs += wait;
        return false;
      }
      fair.sleep(TASK_W, now);
      this.wakeWAt = now + wait;
    }
    this.runTasks();
    return false;
  }

  /**
   * MmEnv.mightSleep: a preemption point of the workload inside its event: an allocation begins
   * (might_sleep in the allocator), or its direct reclaim reaches a cond_resched (the same point
   * with CONFIG_PREEMPT_VOLUNTARY). A kswapd that an allocation woke is woken now (wakeup_kswapd
   * makes it runnable at once; in the slowpath, before direct reclaim), and when it preempts the
   * workload (or a tick came) the scheduler runs the tasks it picks until it picks the workload
   * again, as at the end of an event. The pages the event allocated so far are off the LRU lists
   * until it adds them (a readahead window's are locked in the kernel), and a direct reclaim's
   * batch stays isolated, so reclaim meanwhile cannot take them. A plug the workload holds (only
   * inside its reclaim) is set aside with its writes unsubmitted while it is off the CPU, as the
   * kernel keeps a preempted task's plug, and is its own again when it comes back.
   */
  mightSleep(): void {
    const fair = this.fair;
    if (fair === null || fair.curr !== TASK_W) return;
    const now = this.schedNow();
    this.wakeKswapd(fair, now);
    if (!fair.resched && !fair.tickDue(now)) return;
    const parked = this.h.parkPlug();
    this.runTasks();
    if (parked !== null) this.h.unparkPlug(parked);
  }

  /**
   * MmEnv.vmpressure: a reclaim pass scanned `scanned` pages. Every vmpressure_win of them
   * schedule_work wakes a system_wq kworker (vmpressure_work_fn) that preempts the running task
   * at its next preemption point (Cfs.vmpressure).
   */
  vmpressure(scanned: number): void {
    this.fair?.vmpressure(scanned, this.schedNow());
  }

  /**
   * A swap write submitted without a plug to a device with an I/O scheduler (zswap's writeback):
   * blk_mq_submit_bio inserts it and runs the hardware queue from kblockd's nice -20 kworker,
   * which preempts the running task (FairSched.kblockd). Without a fair scheduler (kswapd not a
   * task) nothing is scheduled between operations: no effect.
   */
  kblockdRun(): void {
    this.fair?.kblockd(this.schedNow());
  }

  /** A kswapd an allocation woke (wakeup_kswapd) becomes runnable: it may preempt the running task. */
  private wakeKswapd(fair: FairSched, now: number): boolean {
    if (!this.h.memory.reclaim.kswapdWake!()) return false;
    fair.wake(TASK_K, now);
    return true;
  }

  /**
   * The scheduler runs the tasks it picks until it picks the workload: kswapd up to its next
   * page or batch where a switch is due (preemptPending), the kworker its work items, or the
   * CPU idles until the sleeping workload's read is done.
   */
  private runTasks(): void {
    const fair = this.fair!;
    const rec = this.h.memory.reclaim;
    for (let steps = 0; ; steps++) {
      const now = this.schedNow();
      // Each turn runs a step or moves the clock; a run of kswapd is bounded (12 priorities of
      // bounded passes), so this many turns after one event is a scheduler that lost its way.
      if (steps > MAX_STEPS_PER_EVENT) throw new Error(`internal: the scheduler took ${steps} turns after event ${this.h.eventIndex} without giving the workload the CPU`);
      if (this.wakeWAt >= 0 && now >= this.wakeWAt) {
        fair.wake(TASK_W, now);
        this.wakeWAt = -1;
      }
      if (this.wakeQAt >= 0 && now >= this.wakeQAt) {
        fair.wake(TASK_Q, now);
        this.wakeQAt = -1;
      }
      const t = fair.pick(now);
      // A switch away from kswapd in a pass sets its plug aside, its writes unsubmitted (the
      // header); kswapd picked again goes on with it.
      if (t !== TASK_K && this.kswapdPlugOut && this.parked[TASK_K] === null) this.parked[TASK_K] = this.h.parkPlug();
      if (t === TASK_W) break;
      if (t === NONE) {
        // Idle until the workload's read is done or the kworker's sleep in should_reclaim_retry ends.
        const until = this.wakeWAt < 0 ? this.wakeQAt : this.wakeQAt < 0 ? this.wakeWAt : Math.min(this.wakeWAt, this.wakeQAt);
        if (until < 0) throw new Error(`internal: no task is runnable after event ${this.h.eventIndex} and none is waiting`);
        this.idleNs += until - now;
        continue;
      }
      if (t === TASK_K) {
        if (this.kswapdPlugOut) {
          // Back in its pass, with the plug it was switched out with (else it is still held).
          this.kswapdPlugOut = false;
          this.resumePlug(TASK_K);
        }
        if (!rec.kswapdStep!()) fair.sleep(TASK_K, this.schedNow());
        else if (this.h.plugHeld()) this.kswapdPlugOut = true;
      } else {
        this.runKworker();
      }
      // A wake-up of kswapd from here on (the kworker's allocations) is seen at the workload's
      // next allocation or event's end. (kswapd itself runs balance_pgdat again before it
      // sleeps while the node is neither balanced nor hopeless: the reclaim model's kswapdStep.)
    }
  }

  /** `t`'s plug, parked while it was switched out, is the running task's again (a new one if a flush had ended it). */
  private resumePlug(t: number): void {
    const p = this.parked[t] ?? null;
    this.parked[t] = null;
    if (p !== null) this.h.unparkPlug(p);
    else this.h.swapPlug(true);
  }

  /** Swap writes kswapd and the kworker hold in their plugs while switched out, not yet submitted. */
  parkedWrites(): number {
    return this.parked.reduce((n, p) => n + (p?.slots.length ?? 0), 0);
  }

  /**
   * The run is over: the writes kswapd and the kworker hold in their plugs go to the device (each
   * task would submit them at its blk_finish_plug when it ran again), so every swap write is
   * charged. The plugs stay theirs, empty.
   */
  submitParked(): void {
    this.parked.forEach((p, t) => {
      if (p === null || p.slots.length === 0) return;
      this.h.unparkPlug(p);
      this.h.flushPlug();
      this.parked[t] = this.h.parkPlug();
    });
  }

  /**
   * A kswapd task, or a kworker reclaiming for its allocation, stopped in the middle of a shrink
   * batch runs to the batch's end (a umount waits for the pages reclaim holds locked).
   */
  finishReclaimBatches(): void {
    const rec = this.h.memory.reclaim;
    const fair = this.fair;
    if (fair === null) return;
    if (rec.kswapdMidBatch!()) {
      const was = fair.curr;
      fair.switchTo(TASK_K, this.schedNow());
      if (this.kswapdPlugOut) this.resumePlug(TASK_K);
      let running = true;
      this.finishing = true;
      while (running && rec.kswapdMidBatch!()) running = rec.kswapdStep!();
      this.finishing = false;
      // Its writes go out as it leaves the CPU again (its pass, if it goes on, plugs again then).
      this.h.swapPlug(false);
      this.kswapdPlugOut = running;
      if (!running) fair.sleep(TASK_K, this.schedNow());
      fair.switchTo(was, this.schedNow());
    }
    if (this.kworkerReclaiming && rec.directMidBatch?.() === true) {
      const was = fair.curr;
      fair.switchTo(TASK_Q, this.schedNow());
      if (this.kworkerPlugOut) this.resumePlug(TASK_Q);
      let running = true;
      this.finishing = true;
      while (running && rec.directMidBatch()) running = rec.directStep!();
      this.finishing = false;
      // Its writes go out as it leaves the CPU again; still in a pass, it plugs again when it
      // resumes; done, the item goes on from its allocation at the kworker's next turn.
      this.h.swapPlug(false);
      this.kworkerPlugOut = running;
      fair.switchTo(was, this.schedNow());
    }
  }

  /**
   * The kworker has the CPU: its work items run, those queued meanwhile too (worker_thread
   * goes on while its list holds work), then it sleeps; after KWORKER_ROUNDS items it stays
   * runnable with what is left, for the scheduler to pick again. An item in steps
   * (WorkItem.steps) runs until it returns or a switch is due at one of its preemption points,
   * where the kworker stays runnable with the item begun.
   */
  private runKworker(): void {
    if (this.kworkerOn) return;
    this.kworkerOn = true;
    try {
      for (let i = 0; i < KWORKER_ROUNDS; i++) {
        if (this.item === null) {
          const now = this.workNow();
          this.workqueue.release(now);
          const w = this.workqueue.begin(now);
          if (w === null) break;
          if (w.steps === undefined) {
            try {
              w.run();
            } finally {
              this.workqueue.end();
            }
            continue;
          }
          this.item = w.steps();
        }
        if (!this.stepItem(false)) return;
        // process_one_work ends with cond_resched(): a switch due now (a tick, kblockd's wake-up
        // from the item's writeback) comes before the next item, the kworker staying runnable.
        if (this.preemptPending()) return;
      }
    } finally {
      this.kworkerOn = false;
    }
    if (this.workqueue.size === 0) this.fair!.sleep(TASK_Q, this.schedNow());
  }

  /**
   * The kworker's item runs to its end (true) or, unless `whole`, to a preemption point where
   * a switch is due (false; it stays begun). At WorkStep.Alloc the allocation's direct reclaim,
   * if it needs one, runs first, in steps (Reclaim.directBegin), preemptible between its pages
   * and batches: the item's pool stays as it was meanwhile. Its plug, held when it is switched
   * out in a pass, is set aside unsubmitted and is its own again when it resumes.
   */
  private stepItem(whole: boolean): boolean {
    const rec = this.h.memory.reclaim;
    for (;;) {
      if (this.kworkerReclaiming) {
        if (this.kworkerPlugOut) {
          this.kworkerPlugOut = false;
          this.resumePlug(TASK_Q);
        }
        if (rec.directStep!()) {
          if (whole) continue;
          if (this.h.plugHeld()) {
            this.parked[TASK_Q] = this.h.parkPlug();
            this.kworkerPlugOut = true;
          }
          return false;
        }
        this.kworkerReclaiming = false;
        this.kworkerReclaimed = true;
        // __perform_reclaim's cond_resched after try_to_free_pages: a switch due now comes before
        // the allocation the reclaim was for.
        if (!whole && this.preemptPending()) return false;
      }
      if (this.kworkerReclaimed) {
        this.kworkerReclaimed = false;
        if (!whole && this.kworkerRetries < MAX_RECLAIM_RETRIES && rec.directRetry?.() === true) {
          // should_reclaim_retry: no page at min after the reclaim; a workqueue worker sleeps a
          // jiffy (schedule_timeout_uninterruptible(1)) and the allocation is retried, direct
          // reclaim included, while the others run.
          this.kworkerRetries++;
          this.kworkerRetry = true;
          const now = this.schedNow();
          this.wakeQAt = this.fair!.nextTick(now);
          this.retrySleeps++;
          this.lastRetrySleep = [now, this.wakeQAt];
          this.fair!.sleep(TASK_Q, now);
          return false;
        }
        this.kworkerRetries = 0;
        // Its reclaim's result goes to the allocation now (not before: another task's
        // allocation meanwhile must not take it).
        rec.directEnd!();
      }
      if (this.kworkerRetry) {
        // Back from its sleep: __alloc_pages_slowpath's retry (the watermarks, then direct reclaim).
        this.kworkerRetry = false;
        if (rec.directBegin?.() === true) {
          this.kworkerReclaiming = true;
          continue;
        }
        this.kworkerRetries = 0;
      }
      const r = this.item!.next();
      // A reclaim for an allocation the step did not make is forgotten.
      rec.allocDone?.();
      if (r.done === true) {
        this.item = null;
        this.workqueue.end();
        return true;
      }
      if (r.value === WorkStep.Alloc) {
        if (rec.directBegin?.() === true) this.kworkerReclaiming = true;
      } else if (!whole && this.preemptPending()) return false;
    }
  }

  queueWork(work: WorkItem): boolean {
    if (this.workqueue.isPending(work)) return false;
    if (this.fair !== null) {
      // queue_work wakes the kworker; it gets the CPU when the scheduler picks it (runWork, afterEvent).
      this.fair.wake(TASK_Q, this.schedNow());
      return this.workqueue.queue(work, this.workNow(), true);
    }
    // queue_work wakes the kworker: it runs before the next operation if it preempts, else it waits.
    const atOnce = this.sched.wakeKworker(this.h.cpuClock());
    return this.workqueue.queue(work, this.workNow(), !atOnce);
  }
  workPending(work: WorkItem): boolean {
    return this.workqueue.isPending(work);
  }
  /** No work item is queued: runWork does nothing. */
  workIdle(): boolean {
    return this.workqueue.size === 0;
  }
  /** Runs the work items due by now (the clock plus the work charged in this event so far). */
  runWork(): void {
    if (this.workqueue.size === 0) return;
    const fair = this.fair;
    if (fair !== null) {
      // A preemption point inside a step (an operation of the workload's event or of kswapd's
      // batch): only the kworker can take the CPU here; any other switch waits for the step's end.
      const now = this.schedNow();
      fair.tick(now);
      if (!fair.resched || !fair.runnable[TASK_Q]) return;
      const was = fair.curr;
      if (was === TASK_Q || fair.next() !== TASK_Q) return;
      fair.pick(now);
      // The preempted task's plug is set aside, unsubmitted (the header); the kworker plugs its
      // own reclaim, and the preempted task has its plug back after it.
      const parked = this.h.parkPlug();
      this.runKworker();
      if (parked !== null) this.h.unparkPlug(parked);
      // The interrupted task goes on to the end of its step; a switch to another waits for that.
      const after = this.schedNow();
      fair.switchTo(was, after);
      fair.resched = fair.next() !== was;
      return;
    }
    const sched = this.sched;
    // A kworker that waits gets the CPU when a tick preempts the running task (or when kswapd sleeps: kswapdRun).
    if (this.h.cpuClock() >= sched.readyAt) this.workqueue.release(this.workNow());
    if (this.workqueue.nextDue() === Infinity) return; // held only: no switch yet
    // A kworker that preempted gets the CPU at the running task's next preemption point (here:
    // the next operation). Without tasks (the '6.1' reclaim model) the switch still flushes that
    // task's plug: the requests held so far go out before it may run (a deviation of that model
    // only; the header).
    this.h.flushPlug();
    const start = this.h.cpuClock();
    if (this.workqueue.runDue(this.workNow()) > 0) sched.kworkerRan(start, this.h.cpuClock());
  }
  /** kswapd wakes (true) or goes back to sleep (false): a kworker that waited for the CPU gets it then. */
  kswapdRun(on: boolean): void {
    if (this.fair !== null) return;
    const cpu = this.h.cpuClock();
    if (on) {
      this.sched.kswapdWake(cpu);
      return;
    }
    this.sched.kswapdSleep(cpu);
    if (this.sched.waiting) {
      this.workqueue.release(this.workNow());
      this.runWork();
    }
  }

  /**
   * The backend's work items go with it (cancel_work_sync): one the kworker has begun runs to
   * its end first, the others are dropped; the kworker has nothing to run.
   */
  cancelWork(): void {
    // A kworker asleep in should_reclaim_retry is woken to finish its item (run whole).
    this.wakeQAt = -1;
    if (this.item !== null && !this.kworkerOn) {
      const fair = this.fair!;
      const was = fair.curr;
      fair.switchTo(TASK_Q, this.schedNow());
      this.kworkerOn = true;
      this.finishing = true;
      try {
        this.stepItem(true);
      } finally {
        this.finishing = false;
        this.kworkerOn = false;
      }
      this.h.swapPlug(false);
      this.kworkerPlugOut = false;
      fair.switchTo(was, this.schedNow());
    }
    this.workqueue.cancelAll();
    this.sched.cancel();
    this.fair?.sleep(TASK_Q, this.schedNow());
  }
}
