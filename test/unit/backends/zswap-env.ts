/**
 * A BackendEnv double for zswap: the fake compressor of env-double.ts (its
 * output size is read from the page's first two bytes, so thresholds are hit
 * to the byte), a pageframe budget, a settable totalram, and a swap device
 * double that records every writeback and can refuse some (-EEXIST: the page
 * is in the swap cache).
 */

import type { BackendEnv, VmInfo } from '../../../src/backends/backend.js';
import type { CompressionService } from '../../../src/compressors/service.js';
import { CostMeter } from '../../../src/cost/meter.js';
import { PAGE_SIZE, type Page } from '../../../src/content/page.js';
import { DirectCompressionService, trivialCostModel } from './env-double.js';

export { pageOf, zeroPage, out, FakeCompressor, DEFAULT_CLEN } from './env-double.js';

export interface ZswapEnvOptions {
  /** totalram pages (the pool limit's base). */
  ramPages?: number;
  /** Pageframes allocPage can hand out (Infinity: unlimited). */
  freePages?: number;
  verifyBytes?: boolean;
  compression?: CompressionService;
}

export class ZswapEnv implements BackendEnv {
  readonly meter = new CostMeter(trivialCostModel);
  readonly compression: CompressionService;
  readonly ramPages: number;
  readonly verifyBytes: boolean;
  totalram: number;
  freeBudget: number;
  poolPages = 0;
  peakPoolPages = 0;
  clock = 0;
  /** Every successful writeback, in order. */
  readonly writebacks: { type: number; offset: number }[] = [];
  /** Offsets (type 0 and others alike) whose writeback fails with -EEXIST. */
  readonly inSwapCache = new Set<number>();
  /** Set to refuse every writeback. */
  refuseAllWriteback = false;
  refusedWritebacks = 0;

  constructor(o: ZswapEnvOptions = {}) {
    this.ramPages = o.ramPages ?? 1000;
    this.totalram = this.ramPages;
    this.freeBudget = o.freePages ?? Infinity;
    this.verifyBytes = o.verifyBytes ?? true;
    this.compression = o.compression ?? new DirectCompressionService();
  }
  now(): number {
    return this.clock;
  }
  allocPage(): boolean {
    if (this.freeBudget <= 0) return false;
    this.freeBudget--;
    this.poolPages++;
    if (this.poolPages > this.peakPoolPages) this.peakPoolPages = this.poolPages;
    return true;
  }
  freePage(): void {
    this.freeBudget++;
    this.poolPages--;
  }
  frontswapCurrPages(): number {
    return 0;
  }
  frontswapShrink(_target: number): { toRam: number; toDisk: number } {
    return { toRam: 0, toDisk: 0 };
  }
  swapWriteback(type: number, offset: number): boolean {
    if (this.refuseAllWriteback || this.inSwapCache.has(offset)) {
      this.refusedWritebacks++;
      return false;
    }
    this.meter.io('swap', 'write');
    this.writebacks.push({ type, offset });
    return true;
  }
  vm(): VmInfo {
    return { totalram: this.totalram, maxram: this.ramPages, committedAs: 0, totalreserve: 0, free: 0 };
  }
  setTotalram(pages: number): void {
    this.totalram = pages;
  }
}

/** A page filled with one repeated 8-byte pattern (same-filled). */
export function filledPage(byte: number, tag: number): Page {
  const bytes = new Uint8Array(PAGE_SIZE).fill(byte);
  return { bytes, desc: -1, tag };
}

/** A page whose 8-byte words all equal `word` (8 distinct bytes). */
export function patternPage(word: readonly number[], tag: number): Page {
  const bytes = new Uint8Array(PAGE_SIZE);
  for (let i = 0; i < PAGE_SIZE; i++) bytes[i] = word[i & 7]!;
  return { bytes, desc: -1, tag };
}
