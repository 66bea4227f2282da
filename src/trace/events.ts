/**
 * Trace format v1: the typed records every trace source yields.
 *
 * A trace is a header (format, version, config, optional content section)
 * followed by a stream of events. Each event is a plain object whose `op`
 * names its kind. Readers validate events against the schema in
 * schema/trace-v1.schema.json before the simulator sees them, so the
 * simulator may rely on the field types declared here.
 *
 * Time: `t` (optional on every event) is simulated time in microseconds
 * since the start of the trace. Without it an event happens as soon as the
 * previous one has finished (the simulated clock advances by modelled work).
 */

export const TRACE_FORMAT = 'tmemsim-trace';
export const TRACE_VERSION = 1;

import type { ParamMap, ParamValue } from '../backends/params.js';

/** Backend module parameters (declared beside the backends); re-exported for the trace's users. */
export type { ParamMap, ParamValue };

/**
 * Page bytes for a store, put or write. Accepted forms:
 * - a content class name: "zero" | "text" | "code" | "random" | "heap"
 *   (bytes seeded from the run seed and the event index);
 * - { class, seed }: a content class with an explicit seed;
 * - { fill: byte }: a same-filled page;
 * - { corpus: index }: page `index` of the corpus file named in the header;
 * - { b64: "..." }: inline bytes, zero-padded to the page size (tiny tests).
 */
export type DataSpec =
  | string
  | { class: string; seed?: number }
  | { fill: number }
  | { corpus: number }
  | { b64: string };

/** Default content of pages that carry no `data`: a class or a weighted mix. */
export interface ContentConfig {
  /** Raw 4 KiB pages, path relative to the trace file. */
  corpus?: string;
  /** Class used when an event carries no data; a name or { name: weight }. */
  default?: string | Record<string, number>;
}

export interface SwapAreaConfig {
  type: number;
  slots: number;
}

export interface MountConfig {
  fs: number;
  uuid?: string;
}

export interface TraceConfig {
  description?: string;
  /** Simulated RAM, in pages (one of ram_pages / ram_mb). */
  ram_pages?: number;
  ram_mb?: number;
  page_size?: number;
  seed?: number;
  /** Backend registered at boot, before any mount or swapon; null or absent = none. */
  backend?: string | null;
  params?: ParamMap;
  compressor?: string;
  profile?: string | string[];
  /** Swap areas switched on at boot. */
  swap?: SwapAreaConfig[];
  /** Filesystems mounted at boot. */
  mounts?: MountConfig[];
  /** Reclaim balance between anonymous and file pages, as vm.swappiness (0..200). */
  swappiness?: number;
  /** Reclaim policy: '6.1' (default) or 'lru-3x' (default for the zcache, RAMster and Xen backends). */
  reclaim?: string;
  /** frontswap writethrough mode (store also writes the swap device). */
  frontswap_writethrough?: boolean;
  /**
   * Pages of RAM the kernel itself keeps (a real machine's MemTotal - MemFree
   * before the workload, in pages): the workload gets ram - kernel_pages, while
   * totalram (zswap's max_pool_percent, the balloon) stays the whole ram.
   */
  kernel_pages?: number;
}

export interface TraceHeader {
  format: typeof TRACE_FORMAT;
  version: typeof TRACE_VERSION;
  config: TraceConfig;
  content?: ContentConfig;
}

interface Timed {
  t?: number;
}

// ---- control ------------------------------------------------------------
export interface SwaponEvent extends Timed { op: 'swapon'; type: number; slots: number }
export interface SwapoffEvent extends Timed { op: 'swapoff'; type: number }
export interface MountEvent extends Timed { op: 'mount'; fs: number; uuid?: string }
export interface UmountEvent extends Timed { op: 'umount'; fs: number }
export interface InsmodEvent extends Timed { op: 'insmod'; backend: string; params?: ParamMap }
/** Unload the backend; `strategy`: flush (default), zombie (drained at `rate` pages/s), writethrough, refuse. */
export interface RmmodEvent extends Timed { op: 'rmmod'; strategy?: string; rate?: number }
export interface ParamEvent extends Timed { op: 'param'; name: string; value: ParamValue }
/** A remote memory node (RAMster) dies, or comes back empty. */
export interface NodeDownEvent extends Timed { op: 'node_down'; node: number }
export interface NodeUpEvent extends Timed { op: 'node_up'; node: number }
/** A named point of the run: every counter is snapshotted into the report (a phase boundary). */
export interface MarkEvent extends Timed { op: 'mark'; name: string }

// ---- tmem level: frontswap (type, offset) -------------------------------
export interface FsStoreEvent extends Timed { op: 'frontswap_store'; type: number; offset: number; data?: DataSpec }
export interface FsLoadEvent extends Timed { op: 'frontswap_load'; type: number; offset: number }
export interface FsInvalidatePageEvent extends Timed { op: 'frontswap_invalidate_page'; type: number; offset: number }
export interface FsInvalidateAreaEvent extends Timed { op: 'frontswap_invalidate_area'; type: number }

// ---- tmem level: cleancache (fs, inode, index) ----------------------------
export interface CcPutEvent extends Timed { op: 'cleancache_put'; fs: number; inode: number; index: number; data?: DataSpec }
export interface CcGetEvent extends Timed { op: 'cleancache_get'; fs: number; inode: number; index: number }
export interface CcInvalidatePageEvent extends Timed { op: 'cleancache_invalidate_page'; fs: number; inode: number; index: number }
export interface CcInvalidateInodeEvent extends Timed { op: 'cleancache_invalidate_inode'; fs: number; inode: number }
export interface CcInvalidateFsEvent extends Timed { op: 'cleancache_invalidate_fs'; fs: number }

// ---- mm level -------------------------------------------------------------
/** An anonymous page of process `pid` (default 0) at virtual page `page` is touched. */
export interface AnonEvent extends Timed { op: 'anon'; pid?: number; page: number; write?: boolean; data?: DataSpec }
/** A page of a file is read or written through the page cache. */
export interface FileEvent extends Timed { op: 'file'; fs: number; inode: number; index: number; write?: boolean; data?: DataSpec }

export type TraceEvent =
  | SwaponEvent | SwapoffEvent | MountEvent | UmountEvent | InsmodEvent | RmmodEvent | ParamEvent
  | NodeDownEvent | NodeUpEvent
  | FsStoreEvent | FsLoadEvent | FsInvalidatePageEvent | FsInvalidateAreaEvent
  | CcPutEvent | CcGetEvent | CcInvalidatePageEvent | CcInvalidateInodeEvent | CcInvalidateFsEvent
  | AnonEvent | FileEvent | MarkEvent;

export type EventOp = TraceEvent['op'];

/** Every event kind, in documentation order. */
export const EVENT_OPS: readonly EventOp[] = [
  'swapon', 'swapoff', 'mount', 'umount', 'insmod', 'rmmod', 'param', 'node_down', 'node_up',
  'frontswap_store', 'frontswap_load', 'frontswap_invalidate_page', 'frontswap_invalidate_area',
  'cleancache_put', 'cleancache_get', 'cleancache_invalidate_page', 'cleancache_invalidate_inode', 'cleancache_invalidate_fs',
  'anon', 'file', 'mark',
];

/**
 * Limits of the numeric fields (keys are packed into one double on the hot
 * path; sizes are capped before anything is allocated for them). The schema
 * (schema/trace-v1.schema.json) states the same bounds; docs/trace-format.md
 * lists them.
 */
export const LIMITS = {
  swapTypes: 32, // MAX_SWAPFILES
  /** Slots of one swap area, and of all areas on at once (2^26: 256 GiB of 4 KiB pages). */
  maxSlots: 2 ** 26,
  /** Event time, µs: 2^53 ns, so every time in ns is an exact integer (about 104 days). */
  maxT: Math.floor(2 ** 53 / 1000),
  /** Zombie drain rate, pages per simulated second. */
  maxRate: 1e12,
  maxFs: 64,
  maxInode: 2 ** 27 - 1,
  maxIndex: 2 ** 20 - 1,
  maxPid: 2 ** 21 - 1,
  maxVpn: 2 ** 32 - 1,
} as const;

/** Where an event came from, for error messages. */
export interface EventLocation {
  file: string;
  /** 1-based line of the event's first character. */
  line: number;
  /** 0-based index of the event in the trace. */
  index: number;
}

/** What a trace reader yields: the header, then the events as an async stream. */
export interface TraceSource {
  readonly path: string;
  readonly header: TraceHeader;
  /** What a report should say about how the source was read (a default it chose), one sentence each. */
  readonly notes?: readonly string[];
  /** Events with their locations; the location object may be reused between iterations. */
  events(): AsyncIterable<LocatedEvent>;
}

export interface LocatedEvent {
  event: TraceEvent;
  loc: EventLocation;
}
