/**
 * The one test double of BackendEnv, for the backends' unit tests:
 *
 * - a fake compressor whose output size is chosen by the page itself
 *   (bytes[0..1] little-endian; 0 → DEFAULT_CLEN), so reject thresholds can
 *   be hit to the byte; its "compressed" data is a copy of the page, so
 *   decompression restores the bytes exactly;
 * - a real CostMeter over a trivial CostModel (1 cycle per byte, 1 GHz; an
 *   optional network cost for RAMster);
 * - a budget of pageframes for allocPage, or none at all (Xen's pages are
 *   the hypervisor's: taking guest RAM fails the test);
 * - a settable clock, scripted memory figures (vm()), a frontswap page count
 *   that frontswapShrink lowers (recording every target), and optionally a
 *   swap device that records every writeback and can refuse them all
 *   (-EEXIST: the page is in the swap cache);
 * - a work queue that runs queued work items only when the test calls runWork().
 *
 * ZswapEnv, XenEnv and RamsterEnv are the same double with the defaults each
 * backend's tests start from.
 */

import type { BackendEnv, SwapWriteback, VmInfo } from '../../src/backends/backend.js';
import type { Compressed, Compressor } from '../../src/compressors/compressor.js';
import type { CompressionService } from '../../src/compressors/service.js';
import { CostMeter, type CostModel } from '../../src/cost/meter.js';
import { PAGE_SIZE, type Page, type PageOut, newPageOut } from '../../src/content/page.js';
import { UsageError } from '../../src/errors.js';
import { WorkQueue, type WorkItem } from '../../src/sim/workqueue.js';

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

/** For backends that must never compress (Xen tmem keeps whole pages). */
export const noCompression: CompressionService = {
  get(name: string) {
    throw new Error(`this backend must not use a compressor (asked for '${name}')`);
  },
  compress() {
    throw new Error('this backend must not compress');
  },
  decompress() {
    throw new Error('this backend must not decompress');
  },
};

export const trivialCostModel: CostModel = {
  compressCycles: (_c, inBytes) => inBytes,
  decompressCycles: (_c, _in, outBytes) => outBytes,
  copyCycles: (bytes) => bytes,
  cpuHz: 1e9,
  ioLatencyNs: () => 0,
  netLatencyNs: () => 0,
};

/** RAMster's: a network message costs a fixed latency plus one ns per byte, so tests read both off the meter. */
export const NET_LATENCY_NS = 10_000;
export const netCostModel: CostModel = { ...trivialCostModel, netLatencyNs: (bytes) => NET_LATENCY_NS + bytes };

export interface EnvDoubleOptions {
  /** RAM the machine booted with (maxram, and totalram unless given), pages. */
  ramPages?: number;
  /** Current RAM (the balloon's target), pages. */
  totalram?: number;
  committedAs?: number;
  totalreserve?: number;
  /** What vm().free reports (default: ramPages less the pool's pages). */
  free?: number;
  /** Pageframes allocPage can hand out (Infinity: unlimited); null: taking guest RAM fails the test. */
  freePages?: number | null;
  verifyBytes?: boolean;
  compression?: CompressionService;
  costModel?: CostModel;
  /** What frontswapCurrPages() returns (frontswapShrink lowers it). */
  frontswapPages?: number;
  /** Fraction of the pages frontswapShrink moves that go to disk instead of RAM. */
  toDiskShare?: number;
  /** A swap device that takes writebacks (else every writeback fails). */
  writeback?: boolean;
}

export class EnvDouble implements BackendEnv {
  readonly meter: CostMeter;
  readonly compression: CompressionService;
  readonly ramPages: number;
  readonly verifyBytes: boolean;
  /** Simulated time, ns. */
  clock = 0;

  // pageframes
  /** Pageframes still available to allocPage (null: none may be taken). */
  freeBudget: number | null;
  poolPages = 0;
  /** Calls of allocPage, successful or not; successful ones; freePage calls. */
  allocCalls = 0;
  allocs = 0;
  frees = 0;

  // vm()
  totalram: number;
  maxram: number;
  committedAs: number;
  totalreserve: number;
  free: number | undefined;
  /** Every setTotalram value, in order. */
  readonly totalramSets: number[] = [];

  // frontswap
  fsPages: number;
  toDiskShare: number;
  /** Every frontswapShrink target, in order. */
  readonly shrinkTargets: number[] = [];

  // swap device
  readonly takesWriteback: boolean;
  /** Every successful writeback, in order. */
  readonly writebacks: { type: number; offset: number }[] = [];
  /** Set to refuse every writeback. */
  refuseAllWriteback = false;
  refusedWritebacks = 0;

  constructor(o: EnvDoubleOptions = {}) {
    this.meter = new CostMeter(o.costModel ?? trivialCostModel);
    this.compression = o.compression ?? new DirectCompressionService();
    this.ramPages = o.ramPages ?? 1000;
    this.maxram = this.ramPages;
    this.totalram = o.totalram ?? this.ramPages;
    this.committedAs = o.committedAs ?? 0;
    this.totalreserve = o.totalreserve ?? 0;
    this.free = o.free;
    this.freeBudget = o.freePages === undefined ? Infinity : o.freePages;
    this.verifyBytes = o.verifyBytes ?? true;
    this.fsPages = o.frontswapPages ?? 0;
    this.toDiskShare = o.toDiskShare ?? 0;
    this.takesWriteback = o.writeback ?? false;
  }

  /** The fake compressor `name` of the default compression service. */
  fake(name: string): FakeCompressor {
    if (!(this.compression instanceof DirectCompressionService)) throw new Error('this double was given its own compression service');
    return this.compression.get(name);
  }
  now(): number {
    return this.clock;
  }
  allocPage(): boolean {
    this.allocCalls++;
    if (this.freeBudget === null) throw new Error('this backend must not take guest RAM (allocPage)');
    if (this.freeBudget <= 0) return false;
    this.freeBudget--;
    this.poolPages++;
    this.allocs++;
    return true;
  }
  freePage(): void {
    if (this.freeBudget === null) throw new Error('this backend must not give back guest RAM (freePage)');
    this.freeBudget++;
    this.poolPages--;
    this.frees++;
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
  /** Ephemeral pages the backend reported dropped, in order. */
  readonly dropped: { poolId: number; oid: number; index: number }[] = [];
  ephemeralDropped(poolId: number, oid: number, index: number): void {
    this.dropped.push({ poolId, oid, index });
  }
  /** Pages the swap device took, or refused ('exists': in the swap cache); the page allocation always succeeds here. */
  swapWriteback(type: number, offset: number, _memalloc: boolean, stillStored: () => boolean, fill: () => void): SwapWriteback {
    if (!this.takesWriteback) return 'exists';
    if (this.refuseAllWriteback) {
      this.refusedWritebacks++;
      return 'exists';
    }
    if (!stillStored()) return 'nomem';
    fill();
    this.meter.io('swap', 'write');
    this.writebacks.push({ type, offset });
    return 'written';
  }

  vm(): VmInfo {
    return {
      totalram: this.totalram,
      maxram: this.maxram,
      committedAs: this.committedAs,
      totalreserve: this.totalreserve,
      free: this.free ?? this.ramPages - this.poolPages,
    };
  }
  setTotalram(pages: number): void {
    this.totalramSets.push(pages);
    this.totalram = pages;
  }

  // work items: queued by queueWork, run only when the test says so
  readonly workqueue = new WorkQueue(0);
  queueWork(work: WorkItem): boolean {
    return this.workqueue.queue(work, this.clock);
  }
  workPending(work: WorkItem): boolean {
    return this.workqueue.isPending(work);
  }
  /** Runs every queued work item (and any they queue); returns how many ran. */
  runWork(): number {
    return this.workqueue.flush();
  }
}

/** zswap's: a swap device for writeback; vm().free is not read. */
export class ZswapEnv extends EnvDouble {
  constructor(o: EnvDoubleOptions = {}) {
    super({ writeback: true, free: 0, ...o });
  }
}

export interface XenEnvOptions extends EnvDoubleOptions {
  /** Boot RAM (max_pfn), pages. */
  maxram?: number;
}

/** Xen tmem's: no compressor, no guest RAM, a 1 GiB guest with nothing free unless set. */
export class XenEnv extends EnvDouble {
  constructor(o: XenEnvOptions = {}) {
    super({ compression: noCompression, freePages: null, free: 0, ...o, ramPages: o.maxram ?? o.ramPages ?? 262144 });
  }
}

/** RAMster's: network messages cost latency and bytes; all of RAM reported free. */
export class RamsterEnv extends EnvDouble {
  constructor(o: EnvDoubleOptions = {}) {
    super({ costModel: netCostModel, free: o.ramPages ?? 1000, ...o });
  }
}

/** A page whose fake compression is `clen` bytes; its other bytes are derived from `seed`. */
export function pageOf(clen: number, tag: number, seed = tag): Page {
  const bytes = new Uint8Array(PAGE_SIZE);
  for (let i = 2; i < PAGE_SIZE; i++) bytes[i] = (seed * 31 + i * 7 + 1) & 0xff;
  bytes[0] = clen & 0xff;
  bytes[1] = (clen >> 8) & 0xff;
  return { bytes, desc: -1, tag };
}

/** A page whose bytes derive from `seed` (default: the tag), for backends that do not compress. */
export function xpage(tag: number, seed = tag): Page {
  const bytes = new Uint8Array(PAGE_SIZE);
  for (let i = 0; i < PAGE_SIZE; i++) bytes[i] = (seed * 131 + i * 7 + 3) & 0xff;
  return { bytes, desc: -1, tag };
}

/** An all-zero page (zero-filled in 3.10). */
export function zeroPage(tag: number): Page {
  return { bytes: new Uint8Array(PAGE_SIZE), desc: -1, tag };
}

/** A page filled with one repeated byte (same-filled). */
export function filledPage(byte: number, tag: number): Page {
  return { bytes: new Uint8Array(PAGE_SIZE).fill(byte), desc: -1, tag };
}

/** A page whose 8-byte words all equal `word` (8 distinct bytes). */
export function patternPage(word: readonly number[], tag: number): Page {
  const bytes = new Uint8Array(PAGE_SIZE);
  for (let i = 0; i < PAGE_SIZE; i++) bytes[i] = word[i & 7]!;
  return { bytes, desc: -1, tag };
}

export function out(): PageOut {
  return newPageOut();
}

/** Seconds to ns. */
export function s(sec: number): number {
  return sec * 1e9;
}
