/**
 * A test double of BackendEnv for the Xen tmem backend and its selfballoon
 * worker: a settable clock, scripted memory figures (vm()), a frontswap page
 * count the test sets and frontswapShrink lowers (recording every target),
 * a real CostMeter with a trivial CostModel, and allocPage/freePage that fail
 * the test if called (Xen's pages are the hypervisor's).
 */

import type { BackendEnv, VmInfo } from '../../../src/backends/backend.js';
import type { CompressionService } from '../../../src/compressors/service.js';
import { CostMeter, type CostModel } from '../../../src/cost/meter.js';
import { PAGE_SIZE, type Page, type PageOut, newPageOut } from '../../../src/content/page.js';

export const trivialCostModel: CostModel = {
  compressCycles: (_c, inBytes) => inBytes,
  decompressCycles: (_c, _in, outBytes) => outBytes,
  copyCycles: (bytes) => bytes,
  cpuHz: 1e9,
  ioLatencyNs: () => 0,
  netLatencyNs: () => 0,
};

const noCompression: CompressionService = {
  get(name: string) {
    throw new Error(`xen-tmem must not use a compressor (asked for '${name}')`);
  },
  compress() {
    throw new Error('xen-tmem must not compress');
  },
  decompress() {
    throw new Error('xen-tmem must not decompress');
  },
};

export interface XenEnvOptions {
  verifyBytes?: boolean;
  /** Boot RAM (max_pfn), pages. */
  maxram?: number;
  totalram?: number;
  committedAs?: number;
  totalreserve?: number;
  /** Fraction of the pages frontswapShrink moves that go to disk instead of RAM (default 0). */
  toDiskShare?: number;
}

export class XenEnv implements BackendEnv {
  readonly meter = new CostMeter(trivialCostModel);
  readonly compression = noCompression;
  readonly ramPages: number;
  readonly verifyBytes: boolean;
  readonly poolPages = 0;

  /** Simulated time, ns. */
  t = 0;
  totalram: number;
  maxram: number;
  committedAs: number;
  totalreserve: number;
  free = 0;
  /** What frontswapCurrPages() returns. */
  fsPages = 0;
  toDiskShare: number;

  /** Every frontswapShrink target, in order. */
  readonly shrinkTargets: number[] = [];
  /** Every setTotalram value, in order. */
  readonly totalramSets: number[] = [];
  vmCalls = 0;
  allocCalls = 0;

  constructor(o: XenEnvOptions = {}) {
    this.verifyBytes = o.verifyBytes ?? true;
    this.maxram = o.maxram ?? 262144;
    this.totalram = o.totalram ?? this.maxram;
    this.ramPages = this.maxram;
    this.committedAs = o.committedAs ?? 0;
    this.totalreserve = o.totalreserve ?? 0;
    this.toDiskShare = o.toDiskShare ?? 0;
  }

  now(): number {
    return this.t;
  }
  allocPage(): boolean {
    this.allocCalls++;
    throw new Error('xen-tmem must not take guest RAM (allocPage)');
  }
  freePage(): void {
    throw new Error('xen-tmem must not give back guest RAM (freePage)');
  }
  frontswapCurrPages(): number {
    return this.fsPages;
  }
  frontswapShrink(target: number): { toRam: number; toDisk: number } {
    this.shrinkTargets.push(target);
    const n = Math.max(0, this.fsPages - target);
    this.fsPages -= n;
    const toDisk = Math.floor(n * this.toDiskShare);
    return { toRam: n - toDisk, toDisk };
  }
  swapWriteback(): boolean {
    return false;
  }
  vm(): VmInfo {
    this.vmCalls++;
    return {
      totalram: this.totalram,
      maxram: this.maxram,
      committedAs: this.committedAs,
      totalreserve: this.totalreserve,
      free: this.free,
    };
  }
  setTotalram(pages: number): void {
    this.totalramSets.push(pages);
    this.totalram = pages;
  }
}

/** A page whose bytes derive from `seed` (default: the tag). */
export function xpage(tag: number, seed = tag): Page {
  const bytes = new Uint8Array(PAGE_SIZE);
  for (let i = 0; i < PAGE_SIZE; i++) bytes[i] = (seed * 131 + i * 7 + 3) & 0xff;
  return { bytes, desc: -1, tag };
}

export function xout(): PageOut {
  return newPageOut();
}
