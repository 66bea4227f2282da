/**
 * EEVDF on one CPU, as 6.12's kernel/sched/fair.c decides who runs (read from
 * the 6.12.y tree: update_curr / update_deadline, place_entity, pick_eevdf,
 * check_preempt_wakeup_fair, dequeue_entity with DELAY_DEQUEUE, requeue_delayed_entity;
 * the default features of kernel/sched/features.h: PLACE_LAG, RUN_TO_PARITY,
 * DELAY_DEQUEUE, DELAY_ZERO), for the same three tasks as Cfs (sched.ts): the
 * workload (W), kswapd (K) and the zswap kworker (Q), SCHED_NORMAL at nice 0
 * (equal weights, so a vruntime grows as CPU time), HZ 250.
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
 *   - vmpressure's work (a switch, not a task, as in Cfs): its system_wq kworker
 *     wakes at the average with a slice's deadline and preempts when pick_eevdf
 *     would choose it.
 * Deviations (beside those Cfs lists: the preemption points the caller gives,
 * no other tasks, no PELT): no NEXT_BUDDY; the kworker's and the vmpressure
 * kworker's wake-ups are not WF_SYNC; no sched_delayed task is migrated (one CPU);
 * a queued task wins a tie of deadlines against the running one (entity_before is strict), and
 * among queued tasks the workload, then kswapd, then the kworker (the kernel: the one queued first).
 */

import { VMPRESSURE_WIN } from '../mm/reclaim/reclaim.js';
import { NONE, TICK_NS, Ticks, type FairSched } from './sched.js';

/** sysctl_sched_base_slice on one CPU (0.75 ms × (1 + ilog2(1))). */
const BASE_SLICE_NS = 750_000;
/** update_entity_lag's limit: calc_delta_fair(max(2 × slice, TICK_NSEC)) at nice 0. */
const LAG_LIMIT_NS = Math.max(2 * BASE_SLICE_NS, TICK_NS);
const TASKS = 3;

export class Eevdf implements FairSched {
  private readonly ticks: Ticks;
  constructor(tickPhaseNs = 0) {
    this.ticks = new Ticks(tickPhaseNs);
  }
  /** vruntime, deadline and the lag left at the last dequeue, per task. */
  readonly vr = [0, 0, 0];
  readonly deadline = [BASE_SLICE_NS, BASE_SLICE_NS, BASE_SLICE_NS];
  private readonly vlag = [0, 0, 0];
  /** The deadline each task had when it was last picked (set_next_entity's stash in se->vlag). */
  private readonly pickedDeadline = [BASE_SLICE_NS, -1, -1];
  /** Runnable (woken, not sleeping). */
  readonly runnable = [true, false, false];
  /** Asleep but still queued (sched_delayed). */
  private readonly delayed = [false, false, false];
  /** The task on the CPU (NONE: idle). */
  curr: number = 0;
  /** When curr's vruntime was last updated. */
  private updatedAt = 0;
  /** avg_vruntime's value with nothing queued (the queue's min_vruntime). */
  private minVr = 0;
  /** A wake-up, a tick or a new deadline asked for the running task to be rescheduled (resched_curr). */
  resched = false;
  private tickSeen = 0;
  /** Wake-ups that preempted the running task, and that did not. */
  preempted = 0;
  refused = 0;
  private vmprScanned = 0;
  private vmprPending = false;
  vmprRuns = 0;

  private queued(t: number): boolean {
    return this.runnable[t]! || this.delayed[t]!;
  }

  private nrQueued(): number {
    let n = 0;
    for (let t = 0; t < TASKS; t++) if (this.queued(t)) n++;
    return n;
  }

  /** avg_vruntime: the mean vruntime of the queued tasks (the running one among them); min_vruntime with none. */
  private avg(): number {
    let s = 0;
    let n = 0;
    for (let t = 0; t < TASKS; t++) {
      if (!this.queued(t)) continue;
      s += this.vr[t]!;
      n++;
    }
    return n === 0 ? this.minVr : s / n;
  }

  private eligible(t: number, avg: number): boolean {
    return this.vr[t]! <= avg;
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
   * pick_eevdf over the queued tasks but `skip` (-1: none): the running task while it is eligible
   * and on the slice it was picked with, else the eligible task with the earliest deadline.
   */
  private pickEevdf(skip = -1): number {
    const avg = this.avgBut(skip);
    let only = NONE;
    let n = 0;
    for (let t = 0; t < TASKS; t++) {
      if (t === skip || !this.queued(t)) continue;
      n++;
      only = t;
    }
    if (n <= 1) return only;
    const c = this.curr;
    const currOk = c !== NONE && c !== skip && this.runnable[c]! && this.eligible(c, avg);
    if (currOk && this.deadline[c]! === this.pickedDeadline[c]!) return c;
    // The queued tasks' earliest eligible deadline; the running task only when strictly earlier.
    let best = NONE;
    for (let t = 0; t < TASKS; t++) {
      if (t === skip || t === c || !this.queued(t) || !this.eligible(t, avg)) continue;
      if (best === NONE || this.deadline[t]! < this.deadline[best]!) best = t;
    }
    if (currOk && (best === NONE || this.deadline[c]! < this.deadline[best]!)) best = c;
    if (best !== NONE) return best;
    // Some queued task is always eligible (the one at or under the average); rounding aside, the leftmost.
    for (let t = 0; t < TASKS; t++) if (t !== skip && this.queued(t) && (best === NONE || this.vr[t]! < this.vr[best]!)) best = t;
    return best;
  }

  private avgBut(skip: number): number {
    if (skip < 0 || !this.queued(skip)) return this.avg();
    let s = 0;
    let n = 0;
    for (let t = 0; t < TASKS; t++) {
      if (t === skip || !this.queued(t)) continue;
      s += this.vr[t]!;
      n++;
    }
    return n === 0 ? this.minVr : s / n;
  }

  /** Task t leaves the queue (a sleep, or a delayed task the pick chose): its lag is kept, clamped. */
  private dequeue(t: number): void {
    const lag = this.avg() - this.vr[t]!;
    this.vlag[t] = lag > LAG_LIMIT_NS ? LAG_LIMIT_NS : lag < -LAG_LIMIT_NS ? -LAG_LIMIT_NS : lag;
    this.runnable[t] = false;
    this.delayed[t] = false;
  }

  /** place_entity on a wake-up: the average less the lag it left (scaled for the tasks queued), a slice's deadline. */
  private place(t: number): void {
    const avg = this.avg();
    const n = this.nrQueued();
    let lag = this.vlag[t]!;
    if (n > 0 && lag !== 0) lag = (lag * (n + 1)) / n;
    this.vr[t] = avg - lag;
    this.deadline[t] = this.vr[t]! + BASE_SLICE_NS;
  }

  vmpressure(scanned: number): void {
    this.vmprScanned += scanned;
    if (this.vmprScanned < VMPRESSURE_WIN || this.vmprPending) return;
    this.vmprPending = true;
    // Its kworker wakes at the average (lag 0) with a slice's deadline; it preempts when pick_eevdf would take it.
    const c = this.curr;
    if (c === NONE) {
      this.resched = true;
      return;
    }
    const avg = this.avg();
    if (this.runnable[c]! && this.eligible(c, avg) && this.deadline[c]! === this.pickedDeadline[c]!) return;
    let best = Infinity;
    for (let t = 0; t < TASKS; t++) if (this.queued(t) && this.eligible(t, avg) && this.deadline[t]! < best) best = this.deadline[t]!;
    if (avg + BASE_SLICE_NS < best) this.resched = true;
  }

  private vmprRun(): void {
    if (!this.vmprPending) return;
    this.vmprPending = false;
    this.vmprScanned = 0;
    this.vmprRuns++;
  }

  /** Task t wakes at `now` (enqueue_entity, or requeue_delayed_entity; then check_preempt_wakeup_fair). */
  wake(t: number, now: number): void {
    if (this.runnable[t]) return;
    this.update(now);
    if (this.delayed[t]) {
      // requeue_delayed_entity: still queued; with a positive lag it is placed again at lag 0.
      if (this.avgBut(-1) - this.vr[t]! > 0) {
        this.delayed[t] = false;
        this.vlag[t] = 0;
        this.place(t);
      }
      this.delayed[t] = false;
    } else this.place(t);
    this.runnable[t] = true;
    if (this.curr === NONE) {
      this.resched = true;
      return;
    }
    if (this.resched) return;
    if (this.pickEevdf() === t) {
      this.resched = true;
      this.preempted++;
    } else this.refused++;
  }

  sleepAlone(t: number, now: number, at: number): void {
    // Its lag is 0 (the only task queued), so it wakes where it slept, with a new deadline; the picks add no time.
    this.vr[t]! += now - this.updatedAt;
    if (this.vr[t]! > this.minVr) this.minVr = this.vr[t]!;
    this.vlag[t] = 0;
    this.deadline[t] = this.vr[t]! + BASE_SLICE_NS;
    this.pickedDeadline[t] = this.deadline[t]!;
    this.tickSeen = this.ticks.index(at);
    this.updatedAt = at;
    this.curr = t;
    this.resched = false;
    this.vmprRun();
  }

  /** Task t sleeps at `now`: it leaves the queue, or stays in it delayed when it is not eligible. */
  sleep(t: number, now: number): void {
    if (!this.runnable[t]) return;
    this.update(now);
    if (this.nrQueued() > 1 && !this.eligible(t, this.avg())) {
      this.runnable[t] = false;
      this.delayed[t] = true;
    } else this.dequeue(t);
    if (this.curr === t) {
      this.curr = NONE;
      this.resched = true;
    }
  }

  tickDue(now: number): boolean {
    return this.ticks.index(now) !== this.tickSeen;
  }

  /** task_tick_fair for the ticks since the last look: update_curr, whose update_deadline may reschedule. */
  tick(now: number): void {
    const n = this.ticks.index(now);
    if (n === this.tickSeen) return;
    this.tickSeen = n;
    if (this.curr === NONE || this.resched) return;
    this.update(now);
  }

  /** The task a switch now would run (pick_next_entity: a delayed task chosen leaves the queue and the pick goes on). */
  next(): number {
    const gone: number[] = [];
    for (;;) {
      const t = this.pickWithout(gone);
      if (t === NONE || !this.delayed[t]) return t;
      gone.push(t);
    }
  }

  private pickWithout(gone: number[]): number {
    if (gone.length === 0) return this.pickEevdf();
    // At most two delayed tasks: mark them out of the queue for the look, then back.
    const saved = gone.map((t) => this.delayed[t]!);
    for (const t of gone) this.delayed[t] = false;
    const r = this.pickEevdf();
    gone.forEach((t, i) => (this.delayed[t] = saved[i]!));
    return r;
  }

  pick(now: number): number {
    this.tick(now);
    if (!this.resched) return this.curr;
    this.update(now);
    this.resched = false;
    for (;;) {
      const t = this.pickEevdf();
      if (t !== NONE && this.delayed[t]) {
        // dequeue_entities(DEQUEUE_DELAYED): it leaves now, its lag at most 0 (DELAY_ZERO).
        this.dequeue(t);
        if (this.vlag[t]! > 0) this.vlag[t] = 0;
        continue;
      }
      this.switchTo(t, now);
      return t;
    }
  }

  /** set_next_entity: `t` takes the CPU at `now`; the deadline it has now is the slice RUN_TO_PARITY keeps it on. */
  switchTo(t: number, now: number): void {
    this.update(now);
    this.curr = t;
    if (t !== NONE) this.pickedDeadline[t] = this.deadline[t]!;
    this.vmprRun();
  }
}
