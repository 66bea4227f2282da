/**
 * The charges one kind of operation caused over a run (every swap-in, say):
 * the meter's energy-relevant totals are read when an operation starts and
 * the difference is added when it ends, so per-operation energy is the
 * energy of exactly the work charged inside the operations, without the
 * device's idle power. With a histogram, each operation's modelled latency
 * (the meter's span over it) is recorded too. Operations of one kind do not
 * nest; operations of different kinds may.
 */

import type { EnergyCharges } from './energy.js';
import type { LatencyHistogram } from './latency.js';
import type { CostMeter } from './meter.js';
import { doubleFields } from '../shapes.js';

// duplicates: its runs of numeric fields are alike in shape to each other and to Z3foldPool's counters
// (allocators/z3fold.ts): one field per EnergyCharges key and its start mark; nothing shared but the shape.
export class OpCharges implements EnergyCharges {
  count = 0;
  cpuNs = 0;
  swapReads = 0;
  swapWrites = 0;
  fsReads = 0;
  fsWrites = 0;
  swapReadOps = 0;
  swapWriteOps = 0;
  fsReadOps = 0;
  fsWriteOps = 0;
  dramBytes = 0;
  netBytes = 0;
  private c0 = 0;
  private sr0 = 0;
  private sw0 = 0;
  private fr0 = 0;
  private fw0 = 0;
  private sro0 = 0;
  private swo0 = 0;
  private fro0 = 0;
  private fwo0 = 0;
  private d0 = 0;
  private n0 = 0;
  /** What the meter's beginSpan returned (when latency is recorded). */
  private span = 0;

  constructor(
    private readonly meter: CostMeter,
    private readonly latency: LatencyHistogram | null = null,
  ) {
    // Its sums and marks of the meter's ns and bytes pass 2^31 as those do (src/shapes.ts).
    doubleFields(this, ['cpuNs', 'dramBytes', 'netBytes', 'c0', 'd0', 'n0', 'span']);
  }

  begin(): void {
    if (this.latency !== null) this.span = this.meter.beginSpan();
    const t = this.meter.totals;
    this.c0 = t.cpuNs;
    this.sr0 = t.swapReads;
    this.sw0 = t.swapWrites;
    this.fr0 = t.fsReads;
    this.fw0 = t.fsWrites;
    this.sro0 = t.swapReadOps;
    this.swo0 = t.swapWriteOps;
    this.fro0 = t.fsReadOps;
    this.fwo0 = t.fsWriteOps;
    this.d0 = t.dramBytes;
    this.n0 = t.netBytes;
  }

  /** Ends the span; `counted` false adds the charges without counting an operation (work done later for earlier ones). */
  end(counted = true): void {
    const t = this.meter.totals;
    if (counted) this.count++;
    this.cpuNs += t.cpuNs - this.c0;
    this.swapReads += t.swapReads - this.sr0;
    this.swapWrites += t.swapWrites - this.sw0;
    this.fsReads += t.fsReads - this.fr0;
    this.fsWrites += t.fsWrites - this.fw0;
    this.swapReadOps += t.swapReadOps - this.sro0;
    this.swapWriteOps += t.swapWriteOps - this.swo0;
    this.fsReadOps += t.fsReadOps - this.fro0;
    this.fsWriteOps += t.fsWriteOps - this.fwo0;
    this.dramBytes += t.dramBytes - this.d0;
    this.netBytes += t.netBytes - this.n0;
    if (this.latency !== null) this.latency.record(this.meter.endSpan(this.span));
  }
}
