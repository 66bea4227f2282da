/**
 * When a queued work item's kworker gets the CPU: CFS on one CPU, as far as
 * it decides that (TL:kernel/sched/fair.c of 6.1, SCHED_NORMAL tasks at nice
 * 0, one CPU, HZ 250, the default features).
 *
 * Three entities share the CPU: the workload (W), kswapd (K) and the kworker
 * of a bound workqueue (Q, zswap's shrink_wq). Their vruntimes are CPU time,
 * ns, on the cost meter's CPU clock (meter.totals.cpuNs: the CPU work charged
 * so far, device time not included):
 *   - W runs whenever K and Q do not; its vruntime is its CPU time, and it is
 *     taken as the run queue's min_vruntime (W is always runnable here and
 *     runs most; while K or Q runs, W does not, so min_vruntime stays).
 *   - place_entity: a task that wakes gets max(its vruntime, min_vruntime -
 *     sysctl_sched_latency / 2) (GENTLE_FAIR_SLEEPERS: a sleeper's credit of
 *     3 ms).
 *   - check_preempt_wakeup → wakeup_preempt_entity: the kworker woken by
 *     queue_work preempts the running task when that task's vruntime leads
 *     its own by more than sysctl_sched_wakeup_granularity (1 ms): it then
 *     runs at the running task's next cond_resched, before its next
 *     operation ("at once").
 *   - Otherwise it waits, runnable, until the running task sleeps (kswapd's
 *     balance_pgdat ends) or a tick's check_preempt_tick preempts it: at a
 *     tick (every 4 ms of the CPU clock) when the running task has run more
 *     than its ideal slice since it was picked (sched_slice: 6 ms over the
 *     runnable tasks, 2 ms with three), or at least min_granularity (0.75 ms)
 *     with its vruntime ahead of the kworker's by more than that slice.
 *   - After the kworker ran, the task it preempted is picked again (its
 *     slice starts over); the kworker's vruntime grows by its CPU time.
 * So a queue_work in kswapd's first ~1 ms after it woke (both woken with the
 * full credit) waits, and every store meanwhile finds the item pending: what
 * docs/validation.md item 2 traced in the 6.1 guests.
 *
 * This is the scheduler of the '6.1' and 'lru-3x' reclaim models, whose kswapd
 * runs whole after an event; with '6.1-cfs' and '6.1-cfs-buddy' (the default) kswapd is a task and
 * Cfs (below) schedules all three.
 *
 * Deviations: the ticks run on the CPU clock from a fixed phase (0 unless
 * tickPhaseNs; no idle time, no timer skew); kswapd runs its whole
 * balance_pgdat at once (the workload does not
 * allocate meanwhile, so kswapd runs shorter and more often than the
 * kernel's: docs/validation.md item 2), goes to sleep level with the
 * workload (in the kernel ticks share the CPU between them once kswapd's
 * vruntime passes the workload's), and a tick gives the CPU only to a
 * waiting kworker; the workload's vruntime is its CPU time (its I/O waits
 * are not modelled as sleeps); no other tasks (the guests' shell, rcu and
 * idle kworkers: about 1,400 switches a phase), no NEXT_BUDDY/LAST_BUDDY,
 * no PELT, no idle CPU.
 */

import { VMPRESSURE_WIN } from '../mm/reclaim/reclaim.js';

/** sysctl_sched_latency on one CPU (6 ms × (1 + ilog2(1))). */
const SCHED_LATENCY_NS = 6_000_000;
/** sysctl_sched_min_granularity on one CPU. */
const SCHED_MIN_GRANULARITY_NS = 750_000;
/** sysctl_sched_wakeup_granularity on one CPU. */
const SCHED_WAKEUP_GRANULARITY_NS = 1_000_000;
/** A scheduler tick: HZ 250 (Debian's kernels). */
export const TICK_NS = 4_000_000;

/**
 * The scheduler clock's ticks, the first `phaseNs` (0 <= phase < TICK_NS) into it and one every
 * TICK_NS after. Where a kernel's ticks fall against a workload's start is chance (the timer
 * runs from boot); a deterministic replay picks one phase, 0 by default, and
 * `validate --tick-phase` replays the suite at several to tell what that choice decides.
 */
export class Ticks {
  /** Added to a time before dividing by TICK_NS. The ticks are phase + j * TICK_NS (j >= 0) after time 0: at phase 0 the first is at TICK_NS. */
  private readonly offset: number;
  constructor(phaseNs: number) {
    if (!(phaseNs >= 0 && phaseNs < TICK_NS)) throw new RangeError(`tick phase ${phaseNs} ns is not in [0, ${TICK_NS})`);
    this.offset = (TICK_NS - phaseNs) % TICK_NS;
  }
  /** How many ticks came after time 0 up to time `t`. */
  index(t: number): number {
    return Math.floor((t + this.offset) / TICK_NS);
  }
  /** The first tick after time `t`. */
  after(t: number): number {
    return (this.index(t) + 1) * TICK_NS - this.offset;
  }
  /** The last tick at or before time `t` (-Infinity: none yet). */
  last(t: number): number {
    const n = this.index(t);
    return n === 0 ? -Infinity : n * TICK_NS - this.offset;
  }
}
/** place_entity's credit for a sleeper (GENTLE_FAIR_SLEEPERS: half the latency). */
const SLEEPER_CREDIT_NS = SCHED_LATENCY_NS / 2;

/** sched_slice of a nice-0 task among `nr` runnable nice-0 tasks (__sched_period: latency up to 8 tasks). */
function idealSlice(nr: number): number {
  const period = nr > 8 ? nr * SCHED_MIN_GRANULARITY_NS : SCHED_LATENCY_NS;
  return period / nr;
}

/*
 * The rules of fair.c both schedulers below apply, written once (KworkerSched
 * solves the tick's rule for the time it first holds instead: tickPreempting).
 */

/** place_entity of a waking task with vruntime `vr`: no further back than min_vruntime less the sleeper's credit. */
function placeEntity(vr: number, minVr: number): number {
  const floor = minVr - SLEEPER_CREDIT_NS;
  return vr > floor ? vr : floor;
}

/** check_preempt_wakeup → wakeup_preempt_entity: the running task's vruntime leads the woken one's by more than the wakeup granularity. */
function wakeupPreempts(currVr: number, wokenVr: number): boolean {
  return currVr - wokenVr > SCHED_WAKEUP_GRANULARITY_NS;
}

/**
 * check_preempt_tick: the running task, `deltaExec` into its slice and `lead` ahead of the
 * leftmost other task (-Infinity: none), is to be preempted.
 */
function tickPreempts(deltaExec: number, lead: number, ideal: number): boolean {
  if (deltaExec > ideal) return true;
  return deltaExec >= SCHED_MIN_GRANULARITY_NS && lead > ideal;
}

export class KworkerSched {
  private readonly ticks: Ticks;
  constructor(tickPhaseNs = 0) {
    this.ticks = new Ticks(tickPhaseNs);
  }
  /** kswapd is running (between its wake-up and its sleep). */
  kswapdOn = false;
  /** kswapd's vruntime while it sleeps, and the kworker's while it is not running. */
  private kVr = -SLEEPER_CREDIT_NS;
  private qVr = -SLEEPER_CREDIT_NS;
  /** CPU time kswapd and the kworker ran, ns (the workload's is the rest). */
  private kRan = 0;
  private qRan = 0;
  /** The CPU clock when the running task (kswapd, else the workload) was last picked, and kswapd's vruntime then. */
  private pickedAt = 0;
  private kVrAtPick = 0;
  /** A kworker woke without preempting: it is runnable, waiting (its vruntime is qVr). */
  waiting = false;
  /**
   * While it waits: the CPU time at which it gets the CPU if the running task goes on running
   * (the first tick at which check_preempt_tick preempts that task). Set when the wait begins
   * and when kswapd wakes during it; kswapd's sleep ends the wait.
   */
  readyAt = Infinity;
  /** Wake-ups of the kworker that preempted the running task, and that did not (check_preempt_wakeup). */
  preempted = 0;
  refused = 0;

  /** The workload's vruntime: its CPU time (taken as min_vruntime). Frozen while kswapd runs. */
  private wVr(cpu: number): number {
    return (this.kswapdOn ? this.pickedAt : cpu) - this.kRan - this.qRan;
  }

  private kswapdVr(cpu: number): number {
    return this.kswapdOn ? this.kVrAtPick + (cpu - this.pickedAt) : this.kVr;
  }

  /** place_entity of a waking task (min_vruntime is the workload's vruntime here). */
  private place(vr: number, cpu: number): number {
    return placeEntity(vr, this.wVr(cpu));
  }

  /** kswapd wakes (balance_pgdat begins) at CPU time `cpu`; it preempts the workload and runs. */
  kswapdWake(cpu: number): void {
    this.kVrAtPick = this.place(this.kVr, cpu);
    this.pickedAt = cpu;
    this.kswapdOn = true;
    if (this.waiting) this.readyAt = this.tickPreempting();
  }

  /**
   * kswapd sleeps (balance_pgdat returns). tmemsim ran its whole reclaim at
   * once; in the kernel, once kswapd's vruntime passed the workload's, ticks
   * gave the CPU back and forth between them, so that they went to sleep
   * level: its vruntime is at most the workload's.
   */
  kswapdSleep(cpu: number): void {
    const vr = this.kswapdVr(cpu);
    const w = this.wVr(cpu);
    this.kVr = vr < w ? vr : w;
    this.kRan += cpu - this.pickedAt;
    this.kswapdOn = false;
    this.pickedAt = cpu;
  }

  /**
   * queue_work woke the kworker at CPU time `cpu`: true when it preempts the
   * running task (it runs before that task's next operation); false when it
   * waits (until readyAt, or kswapd's sleep).
   */
  wakeKworker(cpu: number): boolean {
    if (this.waiting) return false;
    this.qVr = this.place(this.qVr, cpu);
    const curr = this.kswapdOn ? this.kswapdVr(cpu) : this.wVr(cpu);
    if (wakeupPreempts(curr, this.qVr)) {
      this.preempted++;
      return true;
    }
    this.refused++;
    this.waiting = true;
    this.readyAt = this.tickPreempting();
    return false;
  }

  /** The first tick at which check_preempt_tick preempts the running task in favour of the waiting kworker (tickPreempts solved for delta_exec). */
  private tickPreempting(): number {
    // Runnable: kswapd, the workload and the kworker; or the workload and the kworker.
    const ideal = idealSlice(this.kswapdOn ? 3 : 2);
    // The running task's lead on the kworker when it was picked; both grow with delta_exec.
    const lead0 = (this.kswapdOn ? this.kVrAtPick : this.wVr(this.pickedAt)) - this.qVr;
    // delta_exec > ideal; or delta_exec >= min_granularity and lead0 + delta_exec > ideal.
    const byLead = Math.max(SCHED_MIN_GRANULARITY_NS, ideal - lead0);
    const ready = this.pickedAt + (ideal < byLead ? ideal : byLead);
    return this.ticks.after(ready);
  }

  /** The work the kworker woke for was cancelled (cancel_work_sync): it goes back to sleep. */
  cancel(): void {
    this.waiting = false;
    this.readyAt = Infinity;
  }

  /** The kworker ran from CPU time `start` to `end`; the task it preempted is picked again. */
  kworkerRan(start: number, end: number): void {
    if (this.kswapdOn) {
      this.kVrAtPick = this.kswapdVr(start);
      this.kRan += start - this.pickedAt;
    }
    this.pickedAt = end;
    this.qVr += end - start;
    this.qRan += end - start;
    this.waiting = false;
    this.readyAt = Infinity;
  }
}

/** The tasks of Cfs: the workload, kswapd, the kworker; NONE: the CPU is idle. */
export const TASK_W = 0;
export const TASK_K = 1;
export const TASK_Q = 2;
export const NONE = -1;

/**
 * What Tasks (sim/tasks.ts) asks of the fair scheduler that puts the workload, kswapd and the
 * kworker on the one CPU: Cfs (6.1) below, or Eevdf (6.12, sim/eevdf.ts).
 */
export interface FairSched {
  readonly runnable: boolean[];
  /** The task on the CPU (NONE: idle). */
  readonly curr: number;
  /** A switch is asked for (resched_curr); Tasks clears it when it puts the interrupted task back. */
  resched: boolean;
  /** vmpressure's window of scanned pages, `scanned` more at `now` (its kworker: a switch in Cfs, an entity in Eevdf). */
  vmpressure(scanned: number, now: number): void;
  /**
   * kblockd's WQ_HIGHPRI kworker wakes at `now` to run the swap device's hardware queue (a bio
   * submitted without a plug to a queue with an I/O scheduler) and preempts the running task:
   * at its next preemption point kblockd runs, and the scheduler picks the task that runs next.
   */
  kblockd(now: number): void;
  /** The first tick after `now` (a sleep of one jiffy ends there). */
  nextTick(now: number): number;
  wake(t: number, now: number): void;
  sleepAlone(t: number, now: number, at: number): void;
  sleep(t: number, now: number): void;
  tickDue(now: number): boolean;
  tick(now: number): void;
  next(): number;
  pick(now: number): number;
  switchTo(t: number, now: number): void;
}

/**
 * What the fair schedulers share: the ticks seen so far, the reschedule request, the wake-up
 * counts, and vmpressure's window (mm/vmpressure.c, tree mode: every vmpressure_win pages any
 * reclaim scans, schedule_work queues its work; in Cfs its system_wq kworker is a switch, not a
 * task, and runs at the next switch; in Eevdf an entity of the queue). Whether that kworker
 * preempts is each scheduler's rule.
 */
export abstract class OneCpu {
  protected readonly ticks: Ticks;
  constructor(tickPhaseNs: number) {
    this.ticks = new Ticks(tickPhaseNs);
  }
  /** A wake-up, a tick or (EEVDF) a new deadline asked for the running task to be preempted (resched_curr). */
  resched = false;
  /** The ticks seen so far (Ticks.index at the last look). */
  protected tickSeen = 0;
  /** Wake-ups that preempted the running task, and that did not. */
  preempted = 0;
  refused = 0;
  /** vmpressure's tree_scanned: pages reclaim scanned since its work last ran. */
  private vmprScanned = 0;
  /** vmpressure's work is queued: its kworker runs at the next switch. */
  private vmprPending = false;
  /** vmpressure's works run. */
  vmprRuns = 0;
  /** kblockd's wake-ups for an unplugged bio (kblockd()). */
  kblockdRuns = 0;
  /** The task on the CPU (NONE: idle). */
  curr: number = TASK_W;

  /** update_curr: the running task's time up to `now`. */
  abstract update(now: number): void;

  /**
   * The ticks up to `now` seen: true when one came while a task runs with no switch asked for
   * yet, its time then updated to `now` for the tick's check (task_tick_fair).
   */
  protected tickRunning(now: number): boolean {
    if (!this.seeTicks(now)) return false;
    if (this.curr === NONE || this.resched) return false;
    this.update(now);
    return true;
  }

  /** Task t, asleep, gives up the CPU if it had it: a switch is to be made. */
  protected leaveCpu(t: number): void {
    if (this.curr !== t) return;
    this.curr = NONE;
    this.resched = true;
  }

  /** The first tick after `now`: schedule_timeout(1) ends at the next jiffy. */
  nextTick(now: number): number {
    return this.ticks.after(now);
  }

  /** A tick came since the last look (tick() would check the running task). */
  tickDue(now: number): boolean {
    return this.ticks.index(now) !== this.tickSeen;
  }

  /** Whether a tick came since the last look; the ticks up to `now` are seen from here on. */
  protected seeTicks(now: number): boolean {
    const n = this.ticks.index(now);
    if (n === this.tickSeen) return false;
    this.tickSeen = n;
    return true;
  }

  /** vmpressure(): `scanned` more pages; true when that queues its work (past the window, and not queued already). */
  protected vmprQueues(scanned: number): boolean {
    this.vmprScanned += scanned;
    if (this.vmprScanned < VMPRESSURE_WIN || this.vmprPending) return false;
    this.vmprPending = true;
    return true;
  }

  /** A switch: vmpressure's queued work runs in it (vmpressure_work_fn takes tree_scanned). */
  protected vmprRun(): void {
    if (!this.vmprPending) return;
    this.vmprPending = false;
    this.vmprScanned = 0;
    this.vmprRuns++;
  }
}

/**
 * CFS on one CPU with kswapd as a task of its own (the 6.1 reclaim model's
 * kswapd, which runs its balance_pgdat a shrink batch at a time): the
 * workload (W), kswapd (K) and the kworker (Q) each have a vruntime, their
 * CPU time since boot (nice 0: weight 1), on the scheduler's clock (the CPU
 * work charged, the workload's time between events, and idle time).
 *
 *   - wake: place_entity (max(vruntime, min_vruntime - 3 ms)) and
 *     check_preempt_wakeup (the running task is to be preempted when its
 *     vruntime leads the woken one's by more than 1 ms);
 *   - at each preemption point the running task's vruntime is updated, and a
 *     tick passed since the last point runs check_preempt_tick (delta_exec >
 *     sched_slice; or delta_exec >= min_granularity and the task's lead on
 *     the leftmost other task > sched_slice);
 *   - a preempted or sleeping task gives the CPU to the leftmost runnable
 *     task (the smallest vruntime; ties to the running one), whose slice
 *     starts then (prev_sum_exec_runtime);
 *   - min_vruntime follows the smallest vruntime of the runnable tasks and
 *     never goes back;
 *   - vmpressure's work (mm/vmpressure.c, tree mode: the global reclaim's):
 *     every vmpressure_win (512) pages any reclaim scans, schedule_work wakes
 *     a system_wq kworker, which preempts the running task (it runs a few
 *     microseconds at a time, so it is always placed 3 ms behind
 *     min_vruntime); at the next switch it runs and sleeps again, and the
 *     leftmost task takes the CPU, which is not always the one it preempted.
 *     A 6.1 guest's `limit50-zbud` run ran 438 of these works for 447,729
 *     pages scanned (traced: workqueue_execute_start, mm_vmscan_lru_shrink_inactive),
 *     tmemsim's replay of that case 518 for 451,284;
 *   - kblockd's WQ_HIGHPRI kworker (kworker/0:1H, nice -20), woken when a swap write is
 *     submitted without a plug to a device with an I/O scheduler (the profile's
 *     storage.ioScheduler; in the model only zswap's writeback does that, reclaim plugs its
 *     own): it preempts the running task, and at the next switch it runs and the leftmost
 *     task takes the CPU. A 6.1 guest's `limit50-zbud` run woke it at each of the shrink
 *     worker's 4 writebacks (sched_wakeup from the kworker right after zswap_writeback_entry),
 *     and after it the workload or kswapd, not the shrink kworker, ran next when the kworker
 *     had used its sleeper's credit.
 * Deviations: preemption happens only at the points the caller gives (between
 * the workload's events, kswapd's shrink batches and the kworker's items, and
 * at the workload's and kswapd's operations for the kworker); a tick is seen
 * at the first point after it; the vmpressure kworker is a switch, not a task
 * (no vruntime, no CPU time charged), and it is not the zswap kworker: in 6.1
 * system_wq's and shrink_wq's works share the CPU's bound worker pool, whose
 * kworker a queueing wakes only when none of the pool's is running
 * (__need_more_worker; modelled so and judged worse: docs/validation.md, "one
 * worker pool"); kblockd's kworker is a switch, not a task, and woken only by zswap's
 * writeback (not by I/O completions, nor by a plug flushed from schedule()); no other tasks
 * (vmstat's kworker, rcu, the shell), no buddies, no PELT; no rq_clock_skip_update (a wake-up that preempts makes the
 * switch reuse its clock, so the time until the preemption point is the woken task's: Eevdf
 * models it, measured on a 6.12 guest; 6.1 does the same in check_preempt_curr, but with it
 * this model's replay of the 6.1 references falls from 345 to 333 of 349, reject_reclaim_fail
 * 27-55 % under the kernel's in every zsmalloc case: not adopted until a 6.1 guest's
 * vruntimes are measured). A 6.12 guest runs EEVDF instead (sim/eevdf.ts, --sched
 * eevdf-6.12).
 */
export class Cfs extends OneCpu implements FairSched {
  constructor(tickPhaseNs = 0) {
    super(tickPhaseNs);
  }
  readonly vr = [0, -SLEEPER_CREDIT_NS, -SLEEPER_CREDIT_NS];
  readonly runnable = [true, false, false];
  private minVr = 0;
  /** Clock when curr was picked, and when its vruntime was last updated. */
  private pickedAt = 0;
  private updatedAt = 0;

  private nrRunning(): number {
    return (this.runnable[0] ? 1 : 0) + (this.runnable[1] ? 1 : 0) + (this.runnable[2] ? 1 : 0);
  }

  /** update_curr: the running task's vruntime grows by the time since its last update; min_vruntime follows. */
  update(now: number): void {
    if (this.curr !== NONE) this.vr[this.curr]! += now - this.updatedAt;
    this.updatedAt = now;
    let m = Infinity;
    for (let t = 0; t < 3; t++) if (this.runnable[t] && this.vr[t]! < m) m = this.vr[t]!;
    if (m !== Infinity && m > this.minVr) this.minVr = m;
  }

  /** The runnable task with the smallest vruntime other than `but` (NONE: none). */
  private leftmost(but: number): number {
    let best = NONE;
    for (let t = 0; t < 3; t++) if (t !== but && this.runnable[t] && (best === NONE || this.vr[t]! < this.vr[best]!)) best = t;
    return best;
  }

  /**
   * vmpressure(): reclaim scanned `scanned` more pages. Past vmpressure_win since its work last
   * ran, schedule_work queues the work (a no-op while it is queued) and wakes a system_wq
   * kworker. That kworker's vruntime is min_vruntime less the sleeper's credit (it runs a few
   * microseconds at a time), so it always preempts: at the next switch it runs and sleeps
   * again, and the leftmost task takes the CPU (the running one when it still is). Its own CPU
   * time is not charged.
   */
  vmpressure(scanned: number): void {
    if (this.vmprQueues(scanned)) this.resched = true;
  }

  /**
   * kblockd(): its kworker runs at nice -20 (weight 88761 against a nice-0 task's 1024), so its
   * vruntime hardly grows and place_entity puts it 3 ms behind min_vruntime: it always preempts.
   * It is a switch here, not a task (no vruntime, its few microseconds of queue run not charged).
   */
  kblockd(): void {
    this.kblockdRuns++;
    this.resched = true;
  }

  /** Task t wakes at `now` (enqueue_entity with place_entity, then check_preempt_wakeup). */
  wake(t: number, now: number): void {
    if (this.runnable[t]) return;
    this.update(now);
    this.vr[t] = placeEntity(this.vr[t]!, this.minVr);
    this.runnable[t] = true;
    if (this.curr === NONE) {
      this.resched = true;
      return;
    }
    if (wakeupPreempts(this.vr[this.curr]!, this.vr[t]!)) {
      this.resched = true;
      this.preempted++;
    } else this.refused++;
  }

  /**
   * Task t, running and the only runnable task, sleeps at `now` and wakes at `at`, the CPU idle
   * between: the state sleep(t, now), pick(now), wake(t, at), pick(at) leave, set at once (a
   * workload that waits on a read with nothing else to run, once a page-cache miss).
   */
  sleepAlone(t: number, now: number, at: number): void {
    // sleep: update_curr, and min_vruntime from t, the only runnable task. The wake's
    // place_entity changes nothing: min_vruntime never passed max(t's vruntime, its value when
    // t last woke), so min_vruntime - 3 ms is at most t's vruntime; the picks add no time.
    const vr = this.vr;
    vr[t]! += now - this.updatedAt;
    if (vr[t]! > this.minVr) this.minVr = vr[t]!;
    // t running again at `at`, its slice starting then; the ticks seen up to `at`.
    this.seeTicks(at);
    this.updatedAt = at;
    this.pickedAt = at;
    this.curr = t;
    this.resched = false;
    this.vmprRun();
  }

  /** Task t sleeps at `now` (dequeue_entity); when it was running, the CPU is to be given to another. */
  sleep(t: number, now: number): void {
    if (!this.runnable[t]) return;
    this.update(now);
    this.runnable[t] = false;
    this.leaveCpu(t);
  }

  /** check_preempt_tick for every tick since the last look (one check: the running task's state is the same at each). */
  tick(now: number): void {
    if (!this.tickRunning(now)) return;
    const se = this.leftmost(this.curr);
    const lead = se === NONE ? -Infinity : this.vr[this.curr]! - this.vr[se]!;
    if (tickPreempts(now - this.pickedAt, lead, idealSlice(this.nrRunning()))) this.resched = true;
  }

  /** The task a switch now would pick: the leftmost runnable one, ties to the running task (NONE: none). */
  next(): number {
    const next = this.leftmost(NONE);
    if (this.curr !== NONE && this.runnable[this.curr] && next !== this.curr && this.vr[next]! >= this.vr[this.curr]!) return this.curr;
    return next;
  }

  /**
   * A preemption point at `now`: the task to run from here (curr when nothing
   * asked for a switch). NONE when no task is runnable.
   */
  pick(now: number): number {
    this.tick(now);
    if (!this.resched) return this.curr;
    this.update(now);
    this.resched = false;
    const next = this.next();
    this.switchTo(next, now);
    return next;
  }

  /** set_next_entity: `t` takes the CPU at `now`, its slice starting then. */
  switchTo(t: number, now: number): void {
    this.update(now);
    this.curr = t;
    this.pickedAt = now;
    this.vmprRun();
  }
}
