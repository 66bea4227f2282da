/**
 * A BackendEnv double for RAMster's unit tests: a settable clock, a budget
 * of local pageframes, the fake compressor of env-double.ts (sizes chosen by
 * the page), a cost model where a network message costs a fixed latency
 * plus one ns per byte (so tests can read latency and bytes off the meter),
 * and a frontswap_shrink that records its targets.
 */

import type { BackendEnv, VmInfo } from '../../../src/backends/backend.js';
import { CostMeter, type CostModel } from '../../../src/cost/meter.js';
import { DirectCompressionService } from './env-double.js';

export const NET_LATENCY_NS = 10_000;

export const netCostModel: CostModel = {
  compressCycles: (_c, inBytes) => inBytes,
  decompressCycles: (_c, _in, outBytes) => outBytes,
  copyCycles: (bytes) => bytes,
  cpuHz: 1e9,
  ioLatencyNs: () => 0,
  netLatencyNs: (bytes) => NET_LATENCY_NS + bytes,
};

export interface RamsterEnvOptions {
  ramPages?: number;
  /** Local pageframes allocPage can hand out (Infinity: unlimited). */
  freePages?: number;
  verifyBytes?: boolean;
  /** frontswap_curr_pages() to report (the selfshrink tests drive it). */
  frontswapPages?: number;
}

export class RamsterEnv implements BackendEnv {
  readonly meter = new CostMeter(netCostModel);
  readonly compression = new DirectCompressionService();
  readonly ramPages: number;
  readonly verifyBytes: boolean;
  freeBudget: number;
  poolPages = 0;
  allocs = 0;
  frees = 0;
  clock = 0;
  fsPages: number;
  readonly shrinkTargets: number[] = [];

  constructor(o: RamsterEnvOptions = {}) {
    this.ramPages = o.ramPages ?? 1000;
    this.freeBudget = o.freePages ?? Infinity;
    this.verifyBytes = o.verifyBytes ?? true;
    this.fsPages = o.frontswapPages ?? 0;
  }
  now(): number {
    return this.clock;
  }
  allocPage(): boolean {
    if (this.freeBudget <= 0) return false;
    this.freeBudget--;
    this.poolPages++;
    this.allocs++;
    return true;
  }
  freePage(): void {
    this.freeBudget++;
    this.poolPages--;
    this.frees++;
  }
  frontswapCurrPages(): number {
    return this.fsPages;
  }
  frontswapShrink(target: number): { toRam: number; toDisk: number } {
    this.shrinkTargets.push(target);
    const moved = Math.max(0, this.fsPages - target);
    this.fsPages -= moved;
    return { toRam: moved, toDisk: 0 };
  }
  swapWriteback(_type: number, _offset: number): boolean {
    return false;
  }
  vm(): VmInfo {
    return { totalram: this.ramPages, maxram: this.ramPages, committedAs: 0, totalreserve: 0, free: this.ramPages };
  }
  setTotalram(_pages: number): void {}
}

/** Seconds to ns. */
export function s(sec: number): number {
  return sec * 1e9;
}
