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
 * The distances are exact, O(log n) each: a bitmap of reference times marks,
 * for every page, the time of its latest reference, with a Fenwick tree over
 * its words' counts; a page's distance is the number of marks after its
 * previous time (ReuseDistance). Times are renumbered (compacted to 0..U-1 in
 * order) whenever they reach the bitmap's span, so memory is O(unique pages),
 * not O(trace length).
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

/** Set bits of a 32-bit word. */
function popcount(x: number): number {
  x = (x - ((x >>> 1) & 0x55555555)) | 0;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** References ReuseDistance.queue holds before it accesses them. */
const QUEUE = 256;

/** The tree's span grows to this many times the live pages at a renumbering. */
const SPAN_PER_LIVE = 4;

/**
 * Exact LRU stack distances of a stream of page keys in three name spaces.
 *
 * Every live page has a mark at the time of its latest reference: bit t of
 * `bits`, 32 times a word. A page's distance is the number of marks after
 * its previous time: the marks above it in its word, plus those of the
 * words after it, read off a Fenwick tree over the words' counts (one entry
 * per 32 times, so a tree of 4 × the live pages / 32 entries stays in the
 * CPU's cache where a tree over the times themselves did not), plus those
 * of the current word, which enters the tree only once time has moved past
 * it. Times are renumbered to 0..live-1 when they reach the span.
 */
export class ReuseDistance {
  /** Page key → its last reference time, per name space. */
  private readonly tables = [new KeyMap(), new KeyMap(), new KeyMap()];
  /** Times 0..cap-1, one bit each: the marks. */
  private bits: Int32Array;
  /** Fenwick tree (1-based inside) over the counts of the words before the current one. */
  private tree: Int32Array;
  private cap: number;
  private now = 0;
  /** The word of the current time; the words before it are in the tree. */
  private word = 0;
  /** Marks in the tree (the words before the current one). */
  private inTree = 0;
  /** Pages with a mark (= unique pages so far). */
  private live = 0;
  private refs = 0;
  private colds = 0;
  /** hist[d]: references at distance exactly d (d < unique pages, so O(unique pages) memory). */
  private hist = new Float64Array(1024);

  constructor(private readonly minCapacity = 1 << 16) {
    this.cap = minCapacity;
    this.bits = new Int32Array(Math.ceil(this.cap / 32));
    this.tree = new Int32Array(this.bits.length + 1);
  }

  /** References so far (the queued ones included). */
  get references(): number {
    this.flush();
    return this.refs;
  }

  /** First references so far (the queued ones included). */
  get cold(): number {
    this.flush();
    return this.colds;
  }

  /** Unique pages per name space (0 anon, 1 swap slot, 2 file). */
  unique(space: 0 | 1 | 2): number {
    this.flush();
    return this.tables[space]!.size;
  }

  /** References queued for `flush` (their name spaces and keys). */
  private readonly qSpace = new Uint8Array(QUEUE);
  private readonly qKey = new Float64Array(QUEUE);
  private queued = 0;
  /** What the batches' touches read (kept, so that the reads are not dropped). */
  private touched = 0;

  /** access(space, key) later: at the latest when the queue is full or a figure is read. */
  queue(space: 0 | 1 | 2, key: number): void {
    this.qSpace[this.queued] = space;
    this.qKey[this.queued] = key;
    if (++this.queued === QUEUE) this.flush();
  }

  /** The queued references, in order: their table slots are read first, all together, then each is accessed. */
  flush(): void {
    const n = this.queued;
    if (n === 0) return;
    this.queued = 0;
    const tables = this.tables;
    let acc = 0;
    for (let i = 0; i < n; i++) acc += tables[this.qSpace[i]!]!.touch(this.qKey[i]!);
    this.touched += acc;
    for (let i = 0; i < n; i++) this.step(this.qSpace[i]! as 0 | 1 | 2, this.qKey[i]!);
  }

  /** One reference to page `key` of name space `space` (after those queued); returns its distance, or -1 when cold. */
  access(space: 0 | 1 | 2, key: number): number {
    this.flush();
    return this.step(space, key);
  }

  private step(space: 0 | 1 | 2, key: number): number {
    if (this.now === this.cap) this.compact();
    const t = this.now++;
    const bits = this.bits;
    const cw = t >>> 5;
    if (cw !== this.word) {
      // Time left the current word: its marks go into the tree.
      const c = popcount(bits[this.word]!);
      this.treeAdd(this.word, c);
      this.inTree += c;
      this.word = cw;
    }
    const prev = this.tables[space]!.swap(key, t);
    this.refs++;
    let d = -1;
    if (prev < 0) {
      this.colds++;
      this.live++;
    } else {
      const w = prev >>> 5;
      const b = prev & 31;
      // Marks after prev: in its word above it, in the words between, in the current word.
      d = b === 31 ? 0 : popcount(bits[w]! >>> (b + 1));
      bits[w] = bits[w]! & ~(1 << b);
      if (w !== cw) {
        d += this.inTree - this.treePrefix(w + 1) + popcount(bits[cw]!);
        this.treeAdd(w, -1);
        this.inTree--;
      }
      if (d >= this.hist.length) this.hist = grown(this.hist, Math.max(2 * this.hist.length, d + 1));
      this.hist[d]!++;
    }
    bits[cw] = bits[cw]! | (1 << (t & 31));
    return d;
  }

  /** References by log2 bucket of distance, read off the histogram: [0]: distance 0; [k]: 2^(k-1) <= d < 2^k; up to the largest distance seen. */
  log2Counts(): number[] {
    this.flush();
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
    this.flush();
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

  /** Marks in words 0..n-1 (n <= the current word). */
  private treePrefix(n: number): number {
    const tr = this.tree;
    let s = 0;
    for (let j = n; j > 0; j -= j & -j) s += tr[j]!;
    return s;
  }

  private treeAdd(w: number, v: number): void {
    const tr = this.tree;
    const n = tr.length - 1;
    for (let j = w + 1; j <= n; j += j & -j) tr[j]! += v;
  }

  /** Renumbers the latest times to 0..live-1, in order; the span grows to SPAN_PER_LIVE times the live pages. */
  private compact(): void {
    const bits = this.bits;
    // A mark's new time: the marks before it.
    const before = new Int32Array(bits.length);
    let r = 0;
    for (let w = 0; w < bits.length; w++) {
      before[w] = r;
      r += popcount(bits[w]!);
    }
    for (const tb of this.tables) {
      tb.updateValues((t) => before[t >>> 5]! + popcount(bits[t >>> 5]! & ((1 << (t & 31)) - 1)));
    }
    this.cap = Math.max(this.minCapacity, SPAN_PER_LIVE * r);
    const nw = Math.ceil(this.cap / 32);
    // Marks at 0..r-1: whole words, then the current word's low bits.
    const nb = (this.bits = new Int32Array(nw));
    const full = r >>> 5;
    nb.fill(-1, 0, full);
    if (r & 31) nb[full] = (1 << (r & 31)) - 1;
    // The tree holds the whole words before the current one (32 marks each), built in O(nw).
    const tr = (this.tree = new Int32Array(nw + 1));
    for (let j = 1; j <= nw; j++) {
      if (j <= full) tr[j]! += 32;
      const up = j + (j & -j);
      if (up <= nw) tr[up]! += tr[j]!;
    }
    this.now = r;
    this.word = full;
    this.inTree = 32 * full;
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

/** The reference key of file page (fs, inode, index). */
function fileRef(fs: number, inode: number, index: number): number {
  return fs * P47 + inode * P20 + index;
}

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
  /** An event of op `code` at time `t` (µs; undefined: none). */
  const seen = (code: number, t: number | undefined): void => {
    events++;
    byOp[code]!++;
    if (t === undefined) return;
    timed++;
    if (t < min) min = t;
    if (t > max) max = t;
  };
  const fc = src.fileAccesses?.();
  if (fc !== undefined) {
    // A trace of page-cache accesses only (an imported one): the same figures from the
    // cursor's fields, without an event object a reference.
    const code = OP_TABLE.file.code;
    while (fc.next()) {
      seen(code, fc.t >= 0 ? fc.t : undefined);
      rd.queue(2, fileRef(fc.fs, fc.inode, fc.index));
    }
  } else for (const { event } of src.eventsSync()) {
    const ev: TraceEvent = event;
    const code = OP_TABLE[ev.op].code;
    seen(code, ev.t);
    // The key of the referenced page, from the fields its name space is named by.
    switch (SPACE_OF[code]) {
      case 0: {
        const a = ev as { pid?: number; page: number };
        rd.queue(0, (a.pid ?? 0) * P32 + a.page);
        break;
      }
      case 1: {
        const sw = ev as { type: number; offset: number };
        rd.queue(1, sw.type * P32 + sw.offset);
        break;
      }
      case 2: {
        const f = ev as { fs: number; inode: number; index: number };
        rd.queue(2, fileRef(f.fs, f.inode, f.index));
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
  const refs = rd.references;
  rd.log2Counts().forEach((count, b) => {
    hits += count;
    const lo = b === 0 ? 0 : 2 ** (b - 1);
    const hi = b === 0 ? 0 : 2 ** b - 1;
    buckets.push({ lo, hi, count, lru_hit_ratio: refs > 0 ? hits / refs : 0 });
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
    reuse: { references: refs, cold: rd.cold, buckets },
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
