/**
 * Xen self-ballooning and frontswap self-shrinking: the worker of
 * TL:drivers/xen/xen-selfballoon.c in its module-aware form (Linux 3.8–3.10:
 * xen_selfballoon_init(use_selfballooning, use_frontswap_selfshrink) called by
 * the Xen tmem shim), run on tmemsim's simulated clock. xen-tmem.ts owns one.
 *
 *   init:   enabled = selfballooning || frontswap_selfshrinking
 *           if enabled: schedule the worker at now + selfballoon_interval s
 *   worker (selfballoon_process), in the kernel's order:
 *     if selfballooning:
 *       cur  = totalram_pages; tgt = cur
 *       goal = committed_AS + totalreserve_pages (+ MB2PAGES(selfballoon_reserved_mb))
 *       if frontswap_selfshrinking && frontswap_enabled: goal += frontswap_curr_pages()
 *       cur > goal: tgt = cur - (cur - goal) / downhysteresis      (integer division)
 *       cur < goal: tgt = cur + (goal - cur) / uphysteresis
 *       useful = max_pfn - totalreserve_pages
 *       floor  = min_usable_mb ? totalreserve + MB2PAGES(min_usable_mb)
 *              : useful <  16 MB ? max_pfn                                  (not worth ballooning)
 *              : useful <  64 MB ? totalreserve + 16 MB + ((useful - 16 MB) >> 1)
 *              : useful < 512 MB ? totalreserve + 40 MB + ((useful - 40 MB) >> 3)
 *              :                   totalreserve + 99 MB + ((useful - 99 MB) >> 5)
 *       tgt = max(tgt, floor); balloon_set_new_target(tgt + balloon.current - totalram)
 *       reset_timer = true
 *     if frontswap_selfshrinking && frontswap_enabled:
 *       frontswap_selfshrink():
 *         last = cur; cur = frontswap_curr_pages()        (both static, start at 0)
 *         cur == 0 || cur > last: counter = frontswap_inertia; return
 *         counter && --counter: return
 *         tgt = cur <= frontswap_hysteresis ? 0 : cur - cur / frontswap_hysteresis
 *         frontswap_shrink(tgt)
 *       reset_timer = true
 *     if reset_timer: schedule the worker at now + selfballoon_interval s (else it stops)
 *   sysfs: selfballooning 0→1 schedules the worker; frontswap_selfshrinking 0→1 schedules
 *          it if selfballooning is off; frontswap_inertia also resets the counter;
 *          every numeric knob rejects 0 (-EINVAL). schedule_delayed_work on a pending
 *          work does nothing.
 *
 * Checked against the source: selfballoon_process, frontswap_selfshrink, the
 * store_* sysfs handlers and xen_selfballoon_init of xen-selfballoon.c (the
 * 3.x text), and xen_tmem_init of TL:drivers/xen/tmem.c. Note the order: the
 * balloon target is computed first (its goal reads frontswap_curr_pages()
 * before the shrink of the same run), then the self-shrink; and the shrink
 * step is cur / frontswap_hysteresis (5 % at the default 20).
 *
 * Deviations from the kernel:
 * - The balloon driver is not modelled: balloon_set_new_target(tgt + current −
 *   totalram) becomes env.setTotalram(tgt), i.e. balloon_stats.current_pages
 *   == totalram_pages and the guest's RAM changes at once (no balloon worker
 *   moving pages, no hypervisor refusing to hand pages back).
 * - The target is also capped at max_pfn (vm().maxram): the kernel sets any
 *   target, but without memory hotplug the balloon cannot give the guest more
 *   than it booted with.
 * - useful = max_pfn − totalreserve is computed on signed numbers (the kernel's
 *   unsigned subtraction would wrap if the reserve exceeded max_pfn).
 * - selfballoon_reserved_mb comes from a later kernel (the goal's extra room for
 *   caches); default 0 gives the 3.8–3.10 goal. Later kernels defaulted it to
 *   10 % of totalram at init; tmemsim does not.
 * - Time: the delayed work runs at exactly its due time (HZ granularity and
 *   workqueue latency are not modelled). Backend.tick(now) runs every run that
 *   is due by `now` in order, each at its own due time, so a jump of the clock
 *   gives the same runs as a clock that stepped through them (with the state
 *   of `now`). A changed interval takes effect at the next rescheduling, as in
 *   the kernel.
 * - Module unload is not modelled (the kernel module could not unload either).
 */

import { NS_PER_S, type BackendEnv, type ParamSpec } from '../backend.js';
import { zeroCounters, type CounterSpec, type CountersOf } from '../counters.js';
import { FrontswapSelfshrink, SELFSHRINK_COUNTERS, idleRunsDue } from '../selfshrink.js';
import { UsageError } from '../../errors.js';
import type { ParamMap, ParamValue } from '../params.js';
import { PAGE_SHIFT } from '../../content/page.js';

/** What the worker needs of the simulated machine. */
type SelfballoonEnv = Pick<BackendEnv, 'now' | 'frontswapCurrPages' | 'frontswapShrink' | 'vm' | 'setTotalram'>;

/** MB2PAGES(mb): mb << (20 - PAGE_SHIFT). */
export function mb2pages(mb: number): number {
  return mb * 2 ** (20 - PAGE_SHIFT);
}

/** Largest value of the kernel's unsigned int knobs that tmemsim accepts. */
const UINT_KNOB_MAX = 2 ** 31 - 1;

/** The sysfs knobs of /sys/devices/system/xen_memory/xen_memory0/selfballoon/, in the kernel's attribute order. */
export const SELFBALLOON_SYSFS_PARAMS: readonly ParamSpec[] = [
  {
    name: 'selfballoon_interval',
    type: 'int',
    default: 5,
    min: 1,
    max: UINT_KNOB_MAX,
    runtime: true,
    doc: 'Seconds between runs of the selfballoon worker (sysfs; 0 is rejected). A change takes effect at the next rescheduling.',
  },
  {
    name: 'selfballoon_downhysteresis',
    type: 'int',
    default: 8,
    min: 1,
    max: UINT_KNOB_MAX,
    runtime: true,
    doc: 'Ballooning down moves 1/downhysteresis of the way from totalram to the goal per run (sysfs; 0 is rejected).',
  },
  {
    name: 'selfballoon_uphysteresis',
    type: 'int',
    default: 1,
    min: 1,
    max: UINT_KNOB_MAX,
    runtime: true,
    doc: 'Ballooning up moves 1/uphysteresis of the way from totalram to the goal per run (sysfs; 0 is rejected).',
  },
  {
    name: 'selfballoon_min_usable_mb',
    type: 'int',
    default: 0,
    min: 0,
    max: UINT_KNOB_MAX,
    runtime: true,
    doc: 'Floor of the balloon target above totalreserve, MB; 0 (the initial value) uses the piecewise-linear floor. Like the sysfs store, a runtime change to 0 is rejected.',
  },
  {
    name: 'selfballoon_reserved_mb',
    type: 'int',
    default: 0,
    min: 0,
    max: UINT_KNOB_MAX,
    runtime: true,
    doc: 'MB added to the goal (a later kernel\'s knob; 0 = the 3.8-3.10 goal). Like the sysfs store, a runtime change to 0 is rejected.',
  },
  {
    name: 'frontswap_selfshrinking',
    type: 'bool',
    default: true,
    runtime: true,
    doc: 'The sysfs switch of frontswap self-shrinking; starts as the module parameter selfshrinking (and off without frontswap). Turning it on schedules the worker if selfballooning is off.',
  },
  {
    name: 'frontswap_hysteresis',
    type: 'int',
    default: 20,
    min: 1,
    max: UINT_KNOB_MAX,
    runtime: true,
    doc: 'Self-shrinking removes frontswap_curr_pages / hysteresis pages per run, or all of them at or below hysteresis pages (sysfs; 0 is rejected).',
  },
  {
    name: 'frontswap_inertia',
    type: 'int',
    default: 3,
    min: 1,
    max: UINT_KNOB_MAX,
    runtime: true,
    doc: 'Worker runs without frontswap growth before self-shrinking starts; setting it also resets the countdown (sysfs; 0 is rejected).',
  },
];

/** Names of the knobs this module handles at runtime (besides 'selfballooning'). */
const SYSFS_NAMES: ReadonlySet<string> = new Set(SELFBALLOON_SYSFS_PARAMS.map((s) => s.name));
/** Knobs whose sysfs store rejects 0 even though 0 may be their initial value. */
const NONZERO_AT_RUNTIME: ReadonlySet<string> = new Set(['selfballoon_min_usable_mb', 'selfballoon_reserved_mb']);

/**
 * The worker's tunables, each under the sysfs knob (and module parameter) that sets it: the kernel's
 * file-scope variables of drivers/xen/xen-selfballoon.c, which its sysfs stores and the worker read
 * and write at run time.
 */
const TUNABLE_OF = {
  selfballoon_interval: 'interval',
  selfballoon_downhysteresis: 'downhysteresis',
  selfballoon_uphysteresis: 'uphysteresis',
  selfballoon_min_usable_mb: 'minUsableMb',
  selfballoon_reserved_mb: 'reservedMb',
  frontswap_hysteresis: 'frontswapHysteresis',
  frontswap_inertia: 'frontswapInertia',
} as const;
type TunableKnob = keyof typeof TUNABLE_OF;
// Every numeric knob sets a tunable (setParam looks it up here).
for (const spec of SELFBALLOON_SYSFS_PARAMS) if (spec.type === 'int' && !(spec.name in TUNABLE_OF)) throw new Error(`selfballoon: knob ${spec.name} sets no tunable`);

/** selfballoon_interval (s), the hysteresis divisors, min_usable_mb, reserved_mb, frontswap_hysteresis and frontswap_inertia. */
type SelfballoonTunables = { [K in TunableKnob as (typeof TUNABLE_OF)[K]]: number };

/** The tunables a backend's parameter map gives (its knobs by their sysfs names). */
export function selfballoonTunables(params: ParamMap): SelfballoonTunables {
  return Object.fromEntries(Object.entries(TUNABLE_OF).map(([knob, key]) => [key, params[knob] as number])) as SelfballoonTunables;
}

export interface SelfballoonConfig extends SelfballoonTunables {
  /** xen_selfballooning_enabled at init (module parameter selfballooning, forced off without frontswap). */
  selfballooning: boolean;
  /** frontswap_selfshrinking at init. */
  frontswapSelfshrinking: boolean;
  /** frontswap_enabled: a frontswap backend (this one) is registered. */
  frontswapEnabled: boolean;
}

/** One worker run, as recorded for plots. */
export interface TimelinePoint {
  tNs: number;
  /** Guest RAM after the run (pages). */
  totalram: number;
  /** frontswap_curr_pages() after the run. */
  frontswapPages: number;
}

// duplicates: alike in shape to the other backends' counter lists (RAMSTER_COUNTERS in ramster/ramster.ts,
// REMOTE_NODE_COUNTERS in ramster/node.ts, XEN_TMEM_COUNTERS in xen-tmem/xen-tmem.ts, ZBUD_COUNTERS in zcache/zbud.ts,
// ZCACHE_COUNTERS in zcache/zcache.ts, ZSWAP_COUNTERS in zswap.ts): tmemsim's own figures
// (drivers/xen/xen-selfballoon.c exports none): alike in shape only; one list per backend, each feeding its stats,
// report and docs.
/** Counters of the worker (tmemsim's names; the kernel exported none). */
export const SELFBALLOON_COUNTERS = [
  { name: 'worker_runs', kind: 'event', doc: "tmemsim's: runs of selfballoon_process." },
  { name: 'selfballoon_ticks', kind: 'event', doc: "tmemsim's: runs that computed a balloon target." },
  { name: 'selfshrink_ticks', kind: 'event', doc: "tmemsim's: runs that called frontswap_selfshrink()." },
  ...SELFSHRINK_COUNTERS,
  { name: 'selfshrink_last_target', kind: 'gauge', doc: "tmemsim's: the target of the last frontswap_shrink() call (pages)." },
  { name: 'frontswap_inertia_counter', kind: 'gauge', doc: 'frontswap_inertia_counter now.' },
  { name: 'goal_pages', kind: 'gauge', doc: "tmemsim's: the goal of the last balloon run (pages)." },
  { name: 'balloon_target_pages', kind: 'gauge', doc: "tmemsim's: the last balloon target set (pages; 0 before the first run)." },
  { name: 'balloon_min_pages', kind: 'gauge', doc: "tmemsim's: the floor of the last balloon run (pages)." },
] as const satisfies readonly CounterSpec[];

type SelfballoonCounters = CountersOf<typeof SELFBALLOON_COUNTERS>;

/** Default number of worker runs the timeline keeps (the most recent). */
const TIMELINE_CAPACITY = 4096;

export interface SelfballoonOptions {
  /** Runs kept by timeline() (the most recent); default TIMELINE_CAPACITY. */
  timelineCapacity?: number;
}

/**
 * The balloon floor (floor_pages of selfballoon_process), pages. `minUsableMb`
 * 0 selects the piecewise-linear function of useful = maxram − totalreserve.
 */
export function selfballoonFloor(maxram: number, totalreserve: number, minUsableMb: number): number {
  if (minUsableMb !== 0) return totalreserve + mb2pages(minUsableMb);
  const useful = maxram - totalreserve;
  if (useful < mb2pages(16)) return maxram; // not worth ballooning
  if (useful < mb2pages(64)) return totalreserve + mb2pages(16) + Math.floor((useful - mb2pages(16)) / 2);
  if (useful < mb2pages(512)) return totalreserve + mb2pages(40) + Math.floor((useful - mb2pages(40)) / 8);
  return totalreserve + mb2pages(99) + Math.floor((useful - mb2pages(99)) / 32);
}

export class XenSelfballoon {
  readonly counters: SelfballoonCounters = zeroCounters(SELFBALLOON_COUNTERS);

  /** xen_selfballooning_enabled. */
  selfballooning: boolean;
  /** frontswap_selfshrinking. */
  frontswapSelfshrinking: boolean;
  readonly frontswapEnabled: boolean;
  /** The tunables now (set at init, changed through setParam). */
  readonly tunables: SelfballoonTunables;

  /** Whether the delayed work is pending, and when it is due (ns). */
  private pending = false;
  private dueNs = 0;
  /** frontswap_selfshrink (with its statics). */
  private readonly shrink: FrontswapSelfshrink;

  private readonly cap: number;
  private readonly tlT: Float64Array;
  private readonly tlRam: Float64Array;
  private readonly tlFs: Float64Array;
  /** Runs recorded in all (the ring keeps the last `cap`). */
  private tlCount = 0;

  constructor(
    private readonly env: SelfballoonEnv,
    cfg: SelfballoonConfig,
    opts: SelfballoonOptions = {},
  ) {
    this.selfballooning = cfg.selfballooning;
    this.frontswapSelfshrinking = cfg.frontswapSelfshrinking;
    this.frontswapEnabled = cfg.frontswapEnabled;
    this.tunables = Object.fromEntries(Object.values(TUNABLE_OF).map((key) => [key, cfg[key]])) as SelfballoonTunables;
    this.shrink = new FrontswapSelfshrink(env, this.counters);
    this.cap = Math.max(1, Math.floor(opts.timelineCapacity ?? TIMELINE_CAPACITY));
    this.tlT = new Float64Array(this.cap);
    this.tlRam = new Float64Array(this.cap);
    this.tlFs = new Float64Array(this.cap);
    // xen_selfballoon_init: no worker unless one of the two is enabled
    if (this.selfballooning || this.frontswapSelfshrinking) this.schedule(env.now());
  }

  /** Whether the worker is scheduled. */
  get scheduled(): boolean {
    return this.pending;
  }

  /** When the pending run is due (ns), or -1 when none is. */
  get nextDueNs(): number {
    return this.pending ? this.dueNs : -1;
  }

  /** schedule_delayed_work(&selfballoon_worker, selfballoon_interval * HZ): a no-op when pending. */
  private schedule(fromNs: number): void {
    if (this.pending) return;
    this.pending = true;
    this.dueNs = fromNs + this.tunables.interval * NS_PER_S;
  }

  /**
   * Simulated time reached `nowNs`: run every due worker invocation, in
   * order. Once a run leaves everything it reads as it found it (a fixed
   * point: the balloon at its target, frontswap empty or not shrinking), every
   * later run until the next event would do the same, so they are counted in
   * closed form (run counters, their timeline points) instead of run one by
   * one: a gap of any length costs what its changing runs cost.
   */
  tick(nowNs: number): void {
    while (this.pending && this.dueNs <= nowNs) {
      const t = this.dueNs;
      const before = this.state();
      const c0 = this.rates();
      this.pending = false;
      this.process(t);
      if (!this.pending || this.dueNs > nowNs || this.state() !== before) continue;
      const c1 = this.rates();
      const step = this.tunables.interval * NS_PER_S;
      const k = idleRunsDue(this.dueNs, nowNs, step);
      const c = this.counters;
      c.worker_runs += k * (c1[0]! - c0[0]!);
      c.selfballoon_ticks += k * (c1[1]! - c0[1]!);
      c.selfshrink_ticks += k * (c1[2]! - c0[2]!);
      c.selfshrink_calls += k * (c1[3]! - c0[3]!);
      const last = this.dueNs + (k - 1) * step;
      const keep = Math.min(k, this.cap);
      const ram = this.env.vm().totalram;
      const fsp = this.frontswapEnabled ? this.env.frontswapCurrPages() : 0;
      this.tlCount += k - keep;
      for (let j = keep - 1; j >= 0; j--) this.recordPoint(last - j * step, ram, fsp);
      this.dueNs = last + step;
    }
  }

  /** What a run reads and writes besides its run counters (equal before and after: a fixed point). */
  private state(): string {
    const v = this.env.vm();
    const c = this.counters;
    return [v.totalram, v.committedAs, v.totalreserve, v.free, this.env.frontswapCurrPages(), this.shrink.state(),
      c.frontswap_inertia_counter, c.selfshrink_last_target, c.goal_pages, c.balloon_target_pages, c.balloon_min_pages,
      c.selfshrink_pages_to_ram, c.selfshrink_pages_to_disk, this.tunables.interval].join(',');
  }

  /** The counters a fixed-point run still advances. */
  private rates(): number[] {
    const c = this.counters;
    return [c.worker_runs, c.selfballoon_ticks, c.selfshrink_ticks, c.selfshrink_calls];
  }

  /** selfballoon_process, run at time tNs (reschedules itself from tNs). */
  process(tNs: number): void {
    const c = this.counters;
    c.worker_runs++;
    let resetTimer = false;
    if (this.selfballooning) {
      this.selfballoon();
      resetTimer = true;
    }
    if (this.frontswapSelfshrinking && this.frontswapEnabled) {
      this.selfshrink();
      resetTimer = true;
    }
    if (resetTimer) {
      this.pending = false;
      this.schedule(tNs);
    }
    this.record(tNs);
  }

  /** The balloon half of selfballoon_process. */
  private selfballoon(): void {
    const env = this.env;
    const c = this.counters;
    c.selfballoon_ticks++;
    const vm = env.vm();
    const cur = vm.totalram;
    let tgt = cur; // default is no change
    let goal = vm.committedAs + vm.totalreserve + mb2pages(this.tunables.reservedMb);
    // allow space for frontswap pages to be repatriated
    if (this.frontswapSelfshrinking && this.frontswapEnabled) goal += env.frontswapCurrPages();
    if (cur > goal) tgt = cur - Math.floor((cur - goal) / this.tunables.downhysteresis);
    else if (cur < goal) tgt = cur + Math.floor((goal - cur) / this.tunables.uphysteresis);
    const floor = selfballoonFloor(vm.maxram, vm.totalreserve, this.tunables.minUsableMb);
    if (tgt < floor) tgt = floor;
    // tmemsim: the balloon cannot give back more than the guest booted with
    if (tgt > vm.maxram) tgt = vm.maxram;
    c.goal_pages = goal;
    c.balloon_min_pages = floor;
    c.balloon_target_pages = tgt;
    env.setTotalram(tgt);
  }

  /** frontswap_selfshrink (backends/selfshrink.ts, shared with RAMster) with this worker's knobs. */
  private selfshrink(): void {
    const c = this.counters;
    c.selfshrink_ticks++;
    const tgt = this.shrink.run(this.tunables.frontswapHysteresis, this.tunables.frontswapInertia);
    if (tgt >= 0) c.selfshrink_last_target = tgt;
  }

  private record(tNs: number): void {
    this.recordPoint(tNs, this.env.vm().totalram, this.frontswapEnabled ? this.env.frontswapCurrPages() : 0);
  }

  private recordPoint(tNs: number, totalram: number, frontswapPages: number): void {
    const i = this.tlCount % this.cap;
    this.tlT[i] = tNs;
    this.tlRam[i] = totalram;
    this.tlFs[i] = frontswapPages;
    this.tlCount++;
  }

  /** The recorded runs, oldest first (the last `timelineCapacity` of them). */
  timeline(): TimelinePoint[] {
    const n = Math.min(this.tlCount, this.cap);
    const start = this.tlCount - n;
    const out: TimelinePoint[] = [];
    for (let k = start; k < this.tlCount; k++) {
      const i = k % this.cap;
      out.push({ tNs: this.tlT[i]!, totalram: this.tlRam[i]!, frontswapPages: this.tlFs[i]! });
    }
    return out;
  }

  /** Worker runs that no longer fit the timeline. */
  get timelineDropped(): number {
    return Math.max(0, this.tlCount - this.cap);
  }

  /**
   * A sysfs store (the `param` event). `value` is already coerced by the
   * caller (checkRuntimeParam). Returns false when `name` is not one of the
   * worker's knobs; throws a UsageError for a value the kernel rejects.
   */
  setParam(name: string, value: ParamValue): boolean {
    if (name === 'selfballooning') {
      const was = this.selfballooning;
      this.selfballooning = value === true;
      if (!was && this.selfballooning) this.schedule(this.env.now());
      return true;
    }
    if (!SYSFS_NAMES.has(name)) return false;
    if (name === 'frontswap_selfshrinking') {
      const was = this.frontswapSelfshrinking;
      this.frontswapSelfshrinking = value === true;
      if (!was && !this.selfballooning && this.frontswapSelfshrinking) this.schedule(this.env.now());
      return true;
    }
    const v = value as number;
    if (v === 0 && NONZERO_AT_RUNTIME.has(name)) {
      throw new UsageError(
        `parameter '${name}' cannot be set to 0 at runtime (the kernel's sysfs store returns -EINVAL)`,
        { field: name },
        'a positive integer',
      );
    }
    const key = TUNABLE_OF[name as TunableKnob];
    this.tunables[key] = v;
    if (key === 'frontswapInertia') this.counters.frontswap_inertia_counter = v;
    return true;
  }

  /** Counters, stable order. */
  stats(): Record<string, number> {
    return { ...this.counters };
  }
}
