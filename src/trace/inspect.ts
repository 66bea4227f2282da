/**
 * `tmemsim trace inspect`: what a trace holds, in one streamed pass.
 *
 * - events by kind;
 * - unique pages, by name space: anonymous pages (pid, page), swap slots
 *   (type, offset) and file pages (fs, inode, index). A page counts when an
 *   event references its contents: the ops whose `pages` the op table
 *   (events.ts) names: `anon`, `file`, `frontswap_store`, `frontswap_load`,
 *   `cleancache_put`, `cleancache_get` (invalidations and control events
 *   reference none);
 * - the time span of the events that carry `t`;
 * - the reuse-distance histogram of those references: for each reference to
 *   a page seen before, the number of distinct other pages referenced since
 *   its previous reference (the LRU stack distance), in log2 buckets
 *   [0], [1], [2, 3], [4, 7], ...; first references are cold. An LRU of C
 *   pages over the three name spaces together hits exactly the references
 *   with a distance below C, so a power-of-two C hits buckets up to C - 1;
 * - with `sizes`, the exact LRU hit and miss counts at each of those cache
 *   sizes (pages, or a fraction of the footprint): a miss-ratio curve at any
 *   sizes from the same single pass, read off an exact per-distance histogram.
 *
 * The distances are exact, O(log n) each: a Fenwick tree over reference
 * times marks, for every page, the time of its latest reference; a page's
 * distance is the number of marks after its previous time. Times are
 * renumbered (compacted to 0..U-1 in order) whenever they reach the tree's
 * capacity, so memory is O(unique pages), not O(trace length).
 */

import { grown } from '../arrays.js';
import { KeyMap } from '../keymap.js';
import { EVENT_OPS, OP_TABLE, opSpec, type EventOp, type PageSpace, type TraceEvent } from './events.js';
import { openTrace, traceFormatFor, type OpenTraceOptions } from './reader.js';

export interface ReuseBucket {
  /** Smallest and largest distance in the bucket. */
  lo: number;
  hi: number;
  count: number;
  /** The hit ratio of an LRU of hi + 1 pages (references with distance <= hi, over all references). */
  lru_hit_ratio: number;
}

export interface TraceInspection {
  trace: string;
  format: string;
  events: number;
  /** Events by kind, in documentation order, kinds that occur only. */
  by_kind: Partial<Record<EventOp, number>>;
  unique_pages: { anon: number; swap_slots: number; file: number; total: number };
  /** Over events with `t` (µs): the earliest, the latest, and the difference; nulls when none has one. */
  time: { timed_events: number; start_us: number | null; end_us: number | null; span_us: number | null };
  reuse: { references: number; cold: number; buckets: ReuseBucket[] };
  /** Exact LRU figures at the requested sizes, in the order given; absent without `sizes`. */
  mrc?: MrcPoint[];
}

/** A cache size asked for: a number of pages, or a fraction (0, 1] of the trace's footprint (its unique pages). */
export type CacheSize = { pages: number } | { fraction: number };

interface MrcPoint {
  /** As asked: e.g. "16000" or "10%". */
  size: string;
  /** The LRU's capacity in pages (a fraction is rounded to the nearest page, at least 1). */
  pages: number;
  hits: number;
  /** Cold references included: every reference that is not a hit. */
  misses: number;
  /** null when the trace has no page references (nothing to be a ratio of). */
  miss_ratio: number | null;
}

interface InspectOptions extends OpenTraceOptions {
  sizes?: CacheSize[];
}

/** Exact LRU stack distances of a stream of page keys in three name spaces. */
export class ReuseDistance {
  /** Page key → its last reference time, per name space. */
  private readonly tables = [new KeyMap(), new KeyMap(), new KeyMap()];
  /** Fenwick tree over times 0..cap-1 (1-based inside). */
  private tree: Int32Array;
  private cap: number;
  private now = 0;
  /** Pages with a mark (= unique pages so far). */
  private live = 0;
  references = 0;
  cold = 0;
  /** hist[d]: references at distance exactly d (d < unique pages, so O(unique pages) memory). */
  private hist = new Float64Array(1024);

  constructor(private readonly minCapacity = 1 << 16) {
    this.cap = minCapacity;
    this.tree = new Int32Array(this.cap + 1);
  }

  /** Unique pages per name space (0 anon, 1 swap slot, 2 file). */
  unique(space: 0 | 1 | 2): number {
    return this.tables[space]!.size;
  }

  /** One reference to page `key` of name space `space`; returns its distance, or -1 when cold. */
  access(space: 0 | 1 | 2, key: number): number {
    if (this.now === this.cap) this.compact();
    const t = this.now++;
    const prev = this.tables[space]!.swap(key, t);
    this.references++;
    let d = -1;
    if (prev < 0) {
      this.cold++;
      this.live++;
    } else {
      // Marks after prev: every live page's latest time is before t.
      d = this.live - this.prefix(prev);
      this.add(prev, -1);
      if (d >= this.hist.length) this.hist = grown(this.hist, Math.max(2 * this.hist.length, d + 1));
      this.hist[d]!++;
    }
    this.add(t, 1);
    return d;
  }

  /** References by log2 bucket of distance, read off the histogram: [0]: distance 0; [k]: 2^(k-1) <= d < 2^k; up to the largest distance seen. */
  log2Counts(): number[] {
    const counts: number[] = [];
    const h = this.hist;
    for (let d = 0; d < h.length; d++) {
      if (h[d] === 0) continue;
      const b = d === 0 ? 0 : 32 - Math.clz32(d);
      while (counts.length <= b) counts.push(0);
      counts[b]! += h[d]!;
    }
    return counts;
  }

  /**
   * Hits of an LRU of each capacity in `pages` (each >= 1): the references
   * whose distance is below the capacity. One pass over the histogram for
   * all capacities together.
   */
  lruHits(pages: readonly number[]): number[] {
    const order = pages.map((c, i) => [c, i] as const).sort((a, b) => a[0] - b[0]);
    const out = new Array<number>(pages.length).fill(0);
    let d = 0;
    let hits = 0;
    const h = this.hist;
    for (const [c, i] of order) {
      for (const end = Math.min(c, h.length); d < end; d++) hits += h[d]!;
      out[i] = hits;
    }
    return out;
  }

  /** Marks at times 0..i. */
  private prefix(i: number): number {
    const tr = this.tree;
    let s = 0;
    for (let j = i + 1; j > 0; j -= j & -j) s += tr[j]!;
    return s;
  }

  private add(i: number, v: number): void {
    const tr = this.tree;
    const n = this.cap;
    for (let j = i + 1; j <= n; j += j & -j) tr[j]! += v;
  }

  /** Renumbers the latest times to 0..live-1, in order; the tree grows to twice the live pages. */
  private compact(): void {
    const old = this.cap;
    const rank = new Int32Array(old).fill(-1);
    for (const tb of this.tables) {
      tb.forEach((_, t) => (rank[t] = 0));
    }
    let r = 0;
    for (let i = 0; i < old; i++) if (rank[i] === 0) rank[i] = r++;
    for (const tb of this.tables) {
      tb.updateValues((t) => rank[t]!);
    }
    this.cap = Math.max(this.minCapacity, 2 * r);
    // A tree of ones at 0..r-1, built in O(cap).
    const tr = (this.tree = new Int32Array(this.cap + 1));
    for (let j = 1; j <= this.cap; j++) {
      if (j <= r) tr[j]! += 1;
      const up = j + (j & -j);
      if (up <= this.cap) tr[up]! += tr[j]!;
    }
    this.now = r;
  }
}

/** The name space of each page reference: 0 anon (pid, page), 1 swap slot (type, offset), 2 file page (fs, inode, index). */
const SPACE_INDEX: Record<PageSpace, 0 | 1 | 2> = { anon: 0, swap: 1, file: 2 };
/** By op code: the name space of the page the op references, -1 none (the op table's `pages`). */
const SPACE_OF: Int8Array = Int8Array.from(EVENT_OPS, (op) => {
  const p = opSpec(op).pages;
  return p === undefined ? -1 : SPACE_INDEX[p];
});
const P32 = 2 ** 32;
const P20 = 2 ** 20;
const P47 = 2 ** 47;

/** Reads `path` once and describes it. */
export function inspectTrace(path: string, opts: InspectOptions = {}): TraceInspection {
  const format = traceFormatFor(path, opts).name;
  const src = openTrace(path, { ...opts, format });
  const byOp = new Array<number>(EVENT_OPS.length).fill(0);
  const rd = new ReuseDistance();
  let events = 0;
  let timed = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const { event } of src.eventsSync()) {
    const ev: TraceEvent = event;
    events++;
    const code = OP_TABLE[ev.op].code;
    byOp[code]!++;
    if (ev.t !== undefined) {
      timed++;
      if (ev.t < min) min = ev.t;
      if (ev.t > max) max = ev.t;
    }
    // The key of the referenced page, from the fields its name space is named by.
    switch (SPACE_OF[code]) {
      case 0: {
        const a = ev as { pid?: number; page: number };
        rd.access(0, (a.pid ?? 0) * P32 + a.page);
        break;
      }
      case 1: {
        const sw = ev as { type: number; offset: number };
        rd.access(1, sw.type * P32 + sw.offset);
        break;
      }
      case 2: {
        const f = ev as { fs: number; inode: number; index: number };
        rd.access(2, f.fs * P47 + f.inode * P20 + f.index);
        break;
      }
      default:
        break;
    }
  }
  const by_kind: Partial<Record<EventOp, number>> = {};
  EVENT_OPS.forEach((op, i) => {
    if (byOp[i]! > 0) by_kind[op] = byOp[i]!;
  });
  const buckets: ReuseBucket[] = [];
  let hits = 0;
  rd.log2Counts().forEach((count, b) => {
    hits += count;
    const lo = b === 0 ? 0 : 2 ** (b - 1);
    const hi = b === 0 ? 0 : 2 ** b - 1;
    buckets.push({ lo, hi, count, lru_hit_ratio: rd.references > 0 ? hits / rd.references : 0 });
  });
  const anon = rd.unique(0);
  const swap_slots = rd.unique(1);
  const file = rd.unique(2);
  const total = anon + swap_slots + file;
  const report: TraceInspection = {
    trace: path,
    format,
    events,
    by_kind,
    unique_pages: { anon, swap_slots, file, total },
    time: { timed_events: timed, start_us: timed ? min : null, end_us: timed ? max : null, span_us: timed ? max - min : null },
    reuse: { references: rd.references, cold: rd.cold, buckets },
  };
  if (opts.sizes !== undefined) report.mrc = missRatioCurve(rd, opts.sizes, total);
  return report;
}

/** Capacity in pages of a requested size, given the footprint. */
function cachePages(size: CacheSize, footprint: number): number {
  return 'pages' in size ? size.pages : Math.max(1, Math.round(size.fraction * footprint));
}

function missRatioCurve(rd: ReuseDistance, sizes: readonly CacheSize[], footprint: number): MrcPoint[] {
  const pages = sizes.map((s) => cachePages(s, footprint));
  const hits = rd.lruHits(pages);
  const refs = rd.references;
  return sizes.map((s, i) => ({
    size: 'pages' in s ? String(s.pages) : `${+(100 * s.fraction).toFixed(6)}%`,
    pages: pages[i]!,
    hits: hits[i]!,
    misses: refs - hits[i]!,
    miss_ratio: refs > 0 ? (refs - hits[i]!) / refs : null,
  }));
}
