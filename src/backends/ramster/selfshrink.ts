/**
 * RAMster's frontswap selfshrinking (TL:drivers/staging/zcache/ramster/ramster.c,
 * Linux 3.9–3.10): the same algorithm as Xen's frontswap_selfshrink, on its
 * own delayed work every selfshrink_interval (5) seconds; frontswap_selfshrink
 * itself is the shared one of backends/selfshrink.ts.
 *
 *   ramster_init: frontswap_selfshrinking = !disable_frontswap_selfshrink
 *                 if on: schedule selfshrink_process at now + 5 s
 *   selfshrink_process: if frontswap_selfshrinking && frontswap_enabled:
 *       frontswap_selfshrink(); reschedule at now + 5 s       (else it stops)
 *   frontswap_selfshrink:
 *       last = cur; cur = frontswap_curr_pages()               (statics, start 0)
 *       cur == 0 || cur > last: counter = frontswap_inertia (3); return
 *       counter && --counter: return
 *       tgt = cur <= frontswap_hysteresis (20) ? 0 : cur - cur / 20
 *       frontswap_shrink(tgt)
 *
 * RAMster exposes no knob for these (its "FIXME frontswap selfshrinking knobs
 * in debugfs?"): interval, hysteresis and inertia are fixed. Runs happen at
 * exactly their due times; tick(now) runs every run due by `now` in order.
 */

import { FRONTSWAP_HYSTERESIS, FRONTSWAP_INERTIA, FrontswapSelfshrink, SELFSHRINK_COUNTERS, idleRunsDue, type SelfshrinkCounters, type SelfshrinkEnv } from '../selfshrink.js';
import { zeroCounters } from '../counters.js';
import { NS_PER_S } from '../backend.js';

const SELFSHRINK_INTERVAL_S = 5;

type RamsterSelfshrinkCounters = SelfshrinkCounters & { selfshrink_runs: number };

export class RamsterSelfshrink {
  readonly counters: RamsterSelfshrinkCounters = {
    selfshrink_runs: 0,
    ...zeroCounters(SELFSHRINK_COUNTERS),
    frontswap_inertia_counter: 0,
  };
  private readonly shrink: FrontswapSelfshrink;
  /** frontswap_shrink calls the last run made (0 or 1). */
  private lastRunCalls = 0;
  /** When the next run is due (ns), or Infinity when none is scheduled. */
  nextDueNs: number;

  constructor(env: SelfshrinkEnv, enabled: boolean, startNs: number) {
    this.shrink = new FrontswapSelfshrink(env, this.counters);
    this.nextDueNs = enabled ? startNs + SELFSHRINK_INTERVAL_S * NS_PER_S : Infinity;
  }

  /** selfshrink_process at its due time. */
  run(): void {
    const t = this.nextDueNs;
    this.counters.selfshrink_runs++;
    const calls = this.counters.selfshrink_calls;
    this.shrink.run(FRONTSWAP_HYSTERESIS, FRONTSWAP_INERTIA);
    this.lastRunCalls = this.counters.selfshrink_calls - calls;
    this.nextDueNs = t + SELFSHRINK_INTERVAL_S * NS_PER_S;
  }

  /** Everything a run reads or changes but its run counter (for the fixed-point test of RamsterBackend.tick). */
  state(): string {
    const c = this.counters;
    return `${this.shrink.state()},${c.frontswap_inertia_counter},${c.selfshrink_pages_to_ram},${c.selfshrink_pages_to_disk}`;
  }

  /** Every run due by `nowNs` counted without running it: only valid at a fixed point (a run would change nothing but the run counter). */
  skipTo(nowNs: number): void {
    const step = SELFSHRINK_INTERVAL_S * NS_PER_S;
    const k = idleRunsDue(this.nextDueNs, nowNs, step);
    if (k === 0) return;
    this.counters.selfshrink_runs += k;
    this.counters.selfshrink_calls += k * this.lastRunCalls;
    this.nextDueNs += k * step;
  }
}
