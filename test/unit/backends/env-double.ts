/**
 * A test double of BackendEnv: a fake compressor whose output size is chosen
 * by the page itself (so reject thresholds can be hit to the byte), a
 * CompressionService that calls it directly, a real CostMeter with a trivial
 * CostModel, and a pool of free pageframes with a configurable budget.
 *
 * Page layout understood by the fake compressor: bytes[0..1] little-endian is
 * the compressed size to report (0 → DEFAULT_CLEN). The "compressed" data is
 * a copy of the page, so decompression restores the bytes exactly.
 */

import type { VmInfo, BackendEnv } from '../../../src/backends/backend.js';
import type { Compressed, Compressor } from '../../../src/compressors/compressor.js';
import type { CompressionService } from '../../../src/compressors/service.js';
import { CostMeter, type CostModel } from '../../../src/cost/meter.js';
import { PAGE_SIZE, type Page, type PageOut, newPageOut } from '../../../src/content/page.js';
import { UsageError } from '../../../src/sim/errors.js';

export const DEFAULT_CLEN = 1000;

export class FakeCompressor implements Compressor {
  readonly implementation = 'test double: size read from bytes[0..1], data = a copy of the page';
  compressCalls = 0;
  decompressCalls = 0;
  constructor(readonly name: string) {}
  compress(src: Uint8Array): Compressed {
    this.compressCalls++;
    const size = (src[0]! | (src[1]! << 8)) || DEFAULT_CLEN;
    return { data: src.slice(0, PAGE_SIZE), size };
  }
  decompress(c: Compressed, dst: Uint8Array): void {
    this.decompressCalls++;
    dst.set(c.data.subarray(0, PAGE_SIZE));
  }
}

export class DirectCompressionService implements CompressionService {
  readonly comps = new Map<string, FakeCompressor>();
  constructor(names: readonly string[] = ['lz4', 'lzo', 'deflate']) {
    for (const n of names) this.comps.set(n, new FakeCompressor(n));
  }
  get(name: string): FakeCompressor {
    const c = this.comps.get(name);
    if (c === undefined) throw new UsageError(`unknown compressor '${name}'`, {}, [...this.comps.keys()].join(', '));
    return c;
  }
  compress(comp: Compressor, page: Page): Compressed {
    return comp.compress(page.bytes);
  }
  decompress(comp: Compressor, c: Compressed, dst: Uint8Array): void {
    comp.decompress(c, dst);
  }
}

export const trivialCostModel: CostModel = {
  compressCycles: (_c, inBytes) => inBytes,
  decompressCycles: (_c, _in, outBytes) => outBytes,
  copyCycles: (bytes) => bytes,
  cpuHz: 1e9,
  ioLatencyNs: () => 0,
  netLatencyNs: () => 0,
};

export interface EnvDoubleOptions {
  ramPages?: number;
  /** Pageframes allocPage can hand out (Infinity: unlimited). */
  freePages?: number;
  verifyBytes?: boolean;
}

export class EnvDouble implements BackendEnv {
  readonly meter = new CostMeter(trivialCostModel);
  readonly compression = new DirectCompressionService();
  readonly ramPages: number;
  readonly verifyBytes: boolean;
  /** Pageframes still available to allocPage. */
  freeBudget: number;
  poolPages = 0;
  allocs = 0;
  frees = 0;

  constructor(o: EnvDoubleOptions = {}) {
    this.ramPages = o.ramPages ?? 1000;
    this.freeBudget = o.freePages ?? Infinity;
    this.verifyBytes = o.verifyBytes ?? true;
  }
  now(): number {
    return 0;
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
  // zcache uses none of these: a machine without swap, balloon or writeback.
  frontswapCurrPages(): number {
    return 0;
  }
  frontswapShrink(): { toRam: number; toDisk: number } {
    return { toRam: 0, toDisk: 0 };
  }
  swapWriteback(): boolean {
    return false;
  }
  vm(): VmInfo {
    return { totalram: this.ramPages, maxram: this.ramPages, committedAs: 0, totalreserve: 0, free: this.ramPages - this.poolPages };
  }
  setTotalram(): void {}
}

/** A page whose fake compression is `clen` bytes; its other bytes are derived from `seed`. */
export function pageOf(clen: number, tag: number, seed = tag): Page {
  const bytes = new Uint8Array(PAGE_SIZE);
  for (let i = 2; i < PAGE_SIZE; i++) bytes[i] = (seed * 31 + i * 7 + 1) & 0xff;
  bytes[0] = clen & 0xff;
  bytes[1] = (clen >> 8) & 0xff;
  return { bytes, desc: -1, tag };
}

/** An all-zero page (zero-filled in 3.10). */
export function zeroPage(tag: number): Page {
  return { bytes: new Uint8Array(PAGE_SIZE), desc: -1, tag };
}

export function out(): PageOut {
  return newPageOut();
}
