/**
 * EEVDF on one CPU, as 6.12's kernel/sched/fair.c decides who runs (read from
 * the 6.12.y tree: update_curr / update_deadline, place_entity, pick_eevdf,
 * check_preempt_wakeup_fair, dequeue_entity with DELAY_DEQUEUE, requeue_delayed_entity;
 * the default features of kernel/sched/features.h: PLACE_LAG, RUN_TO_PARITY,
 * DELAY_DEQUEUE, DELAY_ZERO), for the same three tasks as Cfs (sched.ts): the
 * workload (W), kswapd (K) and the zswap kworker (Q), and vmpressure's kworker as a fourth
 * entity of the queue (below), SCHED_NORMAL at nice 0 (equal weights, so a vruntime grows as
 * CPU time), HZ 250; core.c's wakeup_preempt with its rq_clock_skip_update (below).
 *
 *   - Each task has a vruntime and a virtual deadline, its vruntime plus the base
 *     slice (sysctl_sched_base_slice 0.75 ms on one CPU). update_curr (at a wake-up,
 *     a sleep, a tick, a switch) adds the running task's time; when its vruntime
 *     passes its deadline it gets a new one, a slice on, and with another task
 *     queued it is to be rescheduled (update_deadline).
 *   - A task is eligible when its vruntime is at most the queue's average
 *     (avg_vruntime, over every queued task with the running one). pick_eevdf
 *     takes the running task while it is eligible and still on the slice it was
 *     picked with (RUN_TO_PARITY: set_next_entity keeps the deadline it had when
 *     picked); otherwise the eligible task with the earliest deadline (the tree is
 *     sorted by deadline since 6.8).
 *   - A task that sleeps leaves its lag, the average less its vruntime, clamped to
 *     ±max(2 slices, a tick) = ±4 ms (update_entity_lag); when it wakes,
 *     place_entity puts it at the average less that lag, scaled by (n + 1) / n for
 *     the n tasks queued (PLACE_LAG), with a deadline a slice on. A task that
 *     sleeps while not eligible stays queued, delayed (DELAY_DEQUEUE), until the
 *     pick chooses it (then it leaves, its lag no more than 0: DELAY_ZERO) or it
 *     wakes (requeue_delayed_entity: with a positive lag it is placed again at
 *     lag 0).
 *   - check_preempt_wakeup_fair: the woken task preempts when pick_eevdf would now
 *     choose it. So a kworker woken in the first slice of a task just picked (kswapd
 *     woken, or picked after another) waits, however long it slept, until that task's
 *     slice ends and a tick (or another wake-up, sleep or switch) notices it: what a
 *     traced 6.12.95 guest shows (docs/zswap.md), where 6.1's CFS preempts whenever
 *     the kworker trails by more than 1 ms.
 *   - rq_clock_skip_update (core.c wakeup_preempt): after a wake-up that leaves the running
 *     task to be rescheduled, the switch at its next preemption point reads the clock that
 *     wake-up read, so the time in between is charged to the task picked, not to the one
 *     that ran it. A traced 6.12.95 guest (docs/zswap.md) shows it: the zswap kworker's
 *     vruntime grew by 31 us a run where its runs took 20 us, the wake-up to the switch
 *     the rest. Without it the kworker kept most of its lag, a median 3.6 ms at its
 *     wake-ups where the guest's was 1.3 ms, and preempted kswapd nearly always.
 *   - vmpressure's work: its system_wq kworker is an entity of the queue (vruntime, deadline,
 *     lag, placement and preemption as a task's; not one of Tasks' tasks): picked by a
 *     switch, its work runs in no time and it sleeps, leaving its lag for the next window.
 *     (As a switch at the mean with lag 0, the model before, it preempted none of 185
 *     wake-ups in a replay of `rw-zsmalloc-lz4`, RUN_TO_PARITY keeping kswapd; the traced
 *     guest's kworker/0:1, its saved lag a median 1.65 ms, preempted at 134 of 142.)
 *   - kblockd's nice -20 kworker (kworker/0:1H), woken by a swap write submitted without a
 *     plug to a device with an I/O scheduler (zswap's writeback): a switch, not an entity.
 * Deviations (beside those Cfs lists: the preemption points the caller gives,
 * no other tasks, no PELT): no NEXT_BUDDY; the kworker's and the vmpressure
 * kworker's wake-ups are not WF_SYNC; the vmpressure kworker's runs take no CPU time (the
 * guest's about 100 us); no sched_delayed task is migrated (one CPU);
 * a queued task wins a tie of deadlines against the running one (entity_before is strict), and
 * among queued tasks the workload, then kswapd, then the kworker, then vmpressure's (the kernel:
 * the one queued first).
 */

import { NONE, OneCpu, TICK_NS, type FairSched } from './sched.js';

/** sysctl_sched_base_slice on one CPU (0.75 ms × (1 + ilog2(1))). */
const BASE_SLICE_NS = 750_000;
/** update_entity_lag's limit: calc_delta_fair(max(2 × slice, TICK_NSEC)) at nice 0. */
const LAG_LIMIT_NS = Math.max(2 * BASE_SLICE_NS, TICK_NS);
/**
 * vmpressure's system_wq kworker: an entity of the queue here, its vruntime and lag kept as a
 * task's, but not a task of Tasks: picked, it runs its work in no time (a deviation: the guests'
 * took about 100 us a run) and sleeps, inside the switch that picked it.
 */
const TASK_V = 3;
const TASKS = 4;

export class Eevdf extends OneCpu implements FairSched {
  constructor(tickPhaseNs = 0) {
    super(tickPhaseNs);
  }
  /** vruntime, deadline and the lag left at the last dequeue, per task. */
  readonly vr = [0, 0, 0, 0];
  readonly deadline = [BASE_SLICE_NS, BASE_SLICE_NS, BASE_SLICE_NS, BASE_SLICE_NS];
  private readonly vlag = [0, 0, 0, 0];
  /** The deadline each task had when it was last picked (set_next_entity's stash in se->vlag). */
  private readonly pickedDeadline = [BASE_SLICE_NS, -1, -1, -1];
  /** Runnable (woken, not sleeping). */
  readonly runnable = [true, false, false, false];
  /** Asleep but still queued (sched_delayed). */
  private readonly delayed = [false, false, false, false];
  /** When curr's vruntime was last updated. */
  private updatedAt = 0;
  /** avg_vruntime's value with nothing queued (the queue's min_vruntime). */
  private minVr = 0;
  /**
   * rq_clock_skip_update (core.c wakeup_preempt): a wake-up after which the running task has
   * need_resched makes the next __schedule skip its clock update (RQCF_ACT_SKIP), so that
   * switch reads the clock as the wake-up (or a tick since) left it: the running task is not
   * charged the time from there to its preemption point, the task the switch picks is. The
   * time of that clock; -1: none pending.
   */
  private clockSkipAt = -1;
  /** kblockd's wake-up that asked for the switch (kblockd()): the clock the running task is charged to; -1: none. */
  private kblockdAt = -1;

  /** Task t is on the queue (runnable or delayed) and not among `out` (a bit per task: delayed tasks a look leaves out). */
  private queued(t: number, out = 0): boolean {
    return (this.runnable[t]! || this.delayed[t]!) && (out & (1 << t)) === 0;
  }

  private nrQueued(): number {
    let n = 0;
    for (let t = 0; t < TASKS; t++) if (this.queued(t)) n++;
    return n;
  }

  /** avg_vruntime: the mean vruntime of the queued tasks (the running one among them); min_vruntime with none. */
  private avg(out = 0): number {
    let s = 0;
    let n = 0;
    for (let t = 0; t < TASKS; t++) {
      if (!this.queued(t, out)) continue;
      s += this.vr[t]!;
      n++;
    }
    return n === 0 ? this.minVr : s / n;
  }

  private eligible(t: number, avg: number): boolean {
    return this.vr[t]! <= avg;
  }

  /** RUN_TO_PARITY: the running task is eligible and still on the slice it was picked with. */
  private currKept(avg: number): boolean {
    const c = this.curr;
    return c !== NONE && this.runnable[c]! && this.eligible(c, avg) && this.deadline[c]! === this.pickedDeadline[c]!;
  }

  /** update_curr and update_deadline: the running task's time, and a new slice once its deadline passed. */
  update(now: number): void {
    const c = this.curr;
    if (c !== NONE) {
      this.vr[c]! += now - this.updatedAt;
      if (this.vr[c]! >= this.deadline[c]!) {
        this.deadline[c] = this.vr[c]! + BASE_SLICE_NS;
        if (this.nrQueued() > 1) this.resched = true;
      }
    }
    this.updatedAt = now;
    let m = Infinity;
    for (let t = 0; t < TASKS; t++) if (this.queued(t) && this.vr[t]! < m) m = this.vr[t]!;
    if (m !== Infinity && m > this.minVr) this.minVr = m;
  }

  /**
   * pick_eevdf over the queued tasks but those in `out`: the running task while RUN_TO_PARITY
   * keeps it, else the eligible task with the earliest deadline (a queued task before the running
   * one on a tie). NONE when none is queued.
   */
  private pickEevdf(out = 0): number {
    const avg = this.avg(out);
    let only = NONE;
    let n = 0;
    for (let t = 0; t < TASKS; t++) {
      if (!this.queued(t, out)) continue;
      n++;
      only = t;
    }
    if (n <= 1) return only;
    const c = this.curr;
    if (this.currKept(avg)) return c;
    let best = NONE;
    for (let t = 0; t < TASKS; t++) {
      if (t === c || !this.queued(t, out) || !this.eligible(t, avg)) continue;
      if (best === NONE || this.deadline[t]! < this.deadline[best]!) best = t;
    }
    if (c !== NONE && this.runnable[c]! && this.eligible(c, avg) && (best === NONE || this.deadline[c]! < this.deadline[best]!)) best = c;
    if (best !== NONE) return best;
    // Some queued task is always eligible (the one at or under the mean); rounding aside, the leftmost.
    for (let t = 0; t < TASKS; t++) if (this.queued(t, out) && (best === NONE || this.vr[t]! < this.vr[best]!)) best = t;
    return best;
  }

  /** Task t leaves the queue (a sleep, or a delayed task the pick chose): its lag is kept, clamped. */
  private dequeue(t: number): void {
    const lag = this.avg() - this.vr[t]!;
    this.vlag[t] = lag > LAG_LIMIT_NS ? LAG_LIMIT_NS : lag < -LAG_LIMIT_NS ? -LAG_LIMIT_NS : lag;
    this.runnable[t] = false;
    this.delayed[t] = false;
  }

  /** place_entity on a wake-up: the mean less the lag it left (scaled for the tasks queued), a slice's deadline. */
  private place(t: number): void {
    const avg = this.avg();
    const n = this.nrQueued();
    let lag = this.vlag[t]!;
    if (n > 0 && lag !== 0) lag = (lag * (n + 1)) / n;
    this.vr[t] = avg - lag;
    this.deadline[t] = this.vr[t]! + BASE_SLICE_NS;
  }

  /**
   * vmpressure's work queued at `now`: its kworker wakes as any task (placed with the lag it left,
   * preempting when pick_eevdf would take it), and runs when a switch picks it.
   */
  vmpressure(scanned: number, now: number): void {
    if (!this.vmprQueues(scanned)) return;
    this.wake(TASK_V, now);
  }

  /**
   * kblockd(): its nice -20 kworker's slice is 88761/1024 times shorter in virtual time, so its
   * deadline comes first and it preempts (as check_preempt_wakeup_fair's pick_eevdf says), with
   * the clock update skipped as at any wake-up that preempts: the running task is charged up to
   * the wake-up, and the time from there to the switch is kblockd's, the task the scheduler picks
   * after it starting at the switch. It is a switch here, not an entity of the queue (no lag
   * kept, its few microseconds of queue run not charged). A switch already asked for takes it in.
   */
  kblockd(now: number): void {
    this.kblockdRuns++;
    if (this.resched) return;
    this.resched = true;
    this.kblockdAt = now;
  }

  /** vmpressure's kworker, picked at `now`: its work runs (vmpressure_work_fn, in no time) and it sleeps. */
  private runVmpressure(now: number): void {
    this.switchTo(TASK_V, now);
    this.vmprRun();
    this.sleep(TASK_V, now);
  }

  /** Task t wakes at `now` (enqueue_entity, or requeue_delayed_entity; then check_preempt_wakeup_fair). */
  wake(t: number, now: number): void {
    if (this.runnable[t]) return;
    this.update(now);
    if (this.delayed[t]) {
      // requeue_delayed_entity: still queued; with a positive lag it is placed again at lag 0.
      const positive = this.avg() > this.vr[t]!;
      this.delayed[t] = false;
      if (positive) {
        this.vlag[t] = 0;
        this.place(t);
      }
    } else this.place(t);
    this.runnable[t] = true;
    if (this.curr === NONE) {
      this.resched = true;
      return;
    }
    if (!this.resched) {
      const preempts = this.pickEevdf() === t;
      if (preempts) this.resched = true;
      if (t !== TASK_V) {
        if (preempts) this.preempted++;
        else this.refused++;
      }
    }
    if (this.resched) this.clockSkipAt = now;
  }

  /**
   * The clock a switch (or the running task's sleep) at `now` reads: the skipped update's, or
   * the last tick's when one came since (a tick updates the clock), never before the last
   * update (a sleep of a task not running updates it too); `now` with no skip pending. `take`:
   * the switch itself (the skip is then spent).
   */
  private switchClock(now: number, take: boolean): number {
    const k = this.kblockdAt;
    if (k >= 0) {
      if (take) this.kblockdAt = -1;
      return k < this.updatedAt ? this.updatedAt : k;
    }
    const at = this.clockSkipAt;
    if (take) this.clockSkipAt = -1;
    if (at < 0) return now;
    const tick = this.ticks.last(now);
    const t = tick > at ? tick : at;
    return t < this.updatedAt ? this.updatedAt : t;
  }

  sleepAlone(t: number, now: number, at: number): void {
    // Its lag is 0 (the only task queued), so it wakes where it slept, with a new deadline; the picks add no time.
    this.vr[t]! += now - this.updatedAt;
    if (this.vr[t]! > this.minVr) this.minVr = this.vr[t]!;
    this.vlag[t] = 0;
    this.deadline[t] = this.vr[t]! + BASE_SLICE_NS;
    this.pickedDeadline[t] = this.deadline[t]!;
    this.seeTicks(at);
    this.updatedAt = at;
    this.curr = t;
    this.resched = false;
    this.clockSkipAt = -1;
    this.kblockdAt = -1;
    if (this.runnable[TASK_V]) {
      // vmpressure's kworker, queued, runs while the CPU would idle: it leaves, the only task (lag 0).
      this.runnable[TASK_V] = false;
      this.vlag[TASK_V] = 0;
      this.vmprRun();
    }
  }

  /** Task t sleeps at `now`: it leaves the queue, or stays in it delayed when it is not eligible. */
  sleep(t: number, now: number): void {
    if (!this.runnable[t]) return;
    this.update(this.curr === t ? this.switchClock(now, false) : now);
    if (this.nrQueued() > 1 && !this.eligible(t, this.avg())) {
      this.runnable[t] = false;
      this.delayed[t] = true;
    } else this.dequeue(t);
    this.leaveCpu(t);
  }

  /** task_tick_fair for the ticks since the last look: update_curr, whose update_deadline may reschedule. */
  tick(now: number): void {
    this.tickRunning(now);
  }

  /** The task a switch now would run (pick_next_entity: a delayed task chosen leaves the queue and the pick goes on). */
  next(): number {
    // vmpressure's kworker, when the pick takes it first, runs inside the switch and leaves.
    let out = 1 << TASK_V;
    for (;;) {
      const t = this.pickEevdf(out);
      if (t === NONE || !this.delayed[t]) return t;
      out |= 1 << t;
    }
  }

  pick(now: number): number {
    this.tick(now);
    if (!this.resched) return this.curr;
    const kblockd = this.kblockdAt >= 0;
    let at = this.switchClock(now, true);
    this.update(at);
    if (kblockd) {
      // After kblockd's run the picked task starts at the switch: the time between was kblockd's.
      at = now;
      this.updatedAt = now;
    }
    this.resched = false;
    for (;;) {
      const t = this.pickEevdf();
      if (t !== NONE && this.delayed[t]) {
        // dequeue_entities(DEQUEUE_DELAYED): it leaves now, its lag at most 0 (DELAY_ZERO).
        this.dequeue(t);
        if (this.vlag[t]! > 0) this.vlag[t] = 0;
        continue;
      }
      if (t === TASK_V) {
        this.runVmpressure(at);
        continue;
      }
      this.switchTo(t, at);
      return t;
    }
  }

  /** set_next_entity: `t` takes the CPU at `now`; the deadline it has now is the slice RUN_TO_PARITY keeps it on. */
  switchTo(t: number, now: number): void {
    this.update(now);
    this.curr = t;
    if (t !== NONE) this.pickedDeadline[t] = this.deadline[t]!;
  }
}
