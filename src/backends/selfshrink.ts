/**
 * frontswap_selfshrink, the one algorithm both TL:drivers/xen/xen-selfballoon.c
 * and TL:drivers/staging/zcache/ramster/ramster.c (Linux 3.8–3.10) carry a
 * copy of, and the arithmetic of skipping a periodic worker's idle runs.
 *
 *   frontswap_selfshrink:
 *       last = cur; cur = frontswap_curr_pages()               (statics, start 0)
 *       cur == 0 || cur > last: counter = frontswap_inertia; return
 *       counter && --counter: return
 *       tgt = cur <= frontswap_hysteresis ? 0 : cur - cur / frontswap_hysteresis
 *       frontswap_shrink(tgt)
 *
 * Xen makes hysteresis and inertia sysfs knobs; RAMster fixes them at 20 and 3.
 */

import type { BackendEnv } from './backend.js';
import type { CounterSpec, CountersOf } from './counters.js';

/** RAMster's fixed knobs, and Xen's defaults. */
export const FRONTSWAP_HYSTERESIS = 20;
export const FRONTSWAP_INERTIA = 3;

export type SelfshrinkEnv = Pick<BackendEnv, 'frontswapCurrPages' | 'frontswapShrink'>;

/** The counters frontswap_selfshrink keeps, in its owner's counter list (Xen's selfballoon, RAMster). */
export const SELFSHRINK_COUNTERS = [
  { name: 'selfshrink_calls', kind: 'event', doc: "tmemsim's: frontswap_shrink() calls." },
  { name: 'selfshrink_pages_to_ram', kind: 'event', doc: "tmemsim's: pages frontswap_shrink() brought back into RAM." },
  { name: 'selfshrink_pages_to_disk', kind: 'event', doc: "tmemsim's: pages frontswap_shrink() wrote to the swap device." },
] as const satisfies readonly CounterSpec[];

/** The counters frontswap_selfshrink writes (in its owner's counters object), with its inertia counter. */
export type SelfshrinkCounters = CountersOf<typeof SELFSHRINK_COUNTERS> & { frontswap_inertia_counter: number };

/** frontswap_selfshrink with its static cur/last pages; counts into `counters`. */
export class FrontswapSelfshrink {
  private cur = 0;
  private last = 0;

  constructor(
    private readonly env: SelfshrinkEnv,
    private readonly counters: SelfshrinkCounters,
  ) {}

  /** One call: the frontswap_shrink target, or -1 when it did not shrink. */
  run(hysteresis: number, inertia: number): number {
    const c = this.counters;
    this.last = this.cur;
    const cur = this.env.frontswapCurrPages();
    this.cur = cur;
    if (cur === 0 || cur > this.last) {
      c.frontswap_inertia_counter = inertia;
      return -1;
    }
    if (c.frontswap_inertia_counter !== 0 && --c.frontswap_inertia_counter !== 0) return -1;
    const tgt = cur <= hysteresis ? 0 : cur - Math.floor(cur / hysteresis);
    const moved = this.env.frontswapShrink(tgt);
    c.selfshrink_calls++;
    c.selfshrink_pages_to_ram += moved.toRam;
    c.selfshrink_pages_to_disk += moved.toDisk;
    return tgt;
  }

  /** The statics, for a worker's fixed-point check. */
  state(): string {
    return `${this.cur},${this.last}`;
  }
}

/**
 * A periodic worker at a fixed point (a run changes nothing but its run
 * counters) due at `dueNs`, every `stepNs`: how many of its runs fall due by
 * `nowNs` (0 when none). Its owner counts them in closed form and moves its
 * due time on by that many steps, instead of running each.
 */
export function idleRunsDue(dueNs: number, nowNs: number, stepNs: number): number {
  return dueNs <= nowNs ? Math.floor((nowNs - dueNs) / stepNs) + 1 : 0;
}
