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
import type { ZoneBoot } from '../mm/buddy.js';

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

/** The content class names a DataSpec may give, in TMTB data-tag order (the index is the class's code: never reorder). */
export const DATA_CLASSES = ['zero', 'fill', 'text', 'code', 'random', 'heap', 'vmix'] as const;
/** The keys of a DataSpec object. */
export const DATA_KEYS = ['class', 'seed', 'fill', 'corpus', 'b64'] as const;

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
  /** A rotational device (default false: an SSD); with one on, 6.1 reads swap ahead by slot clusters. */
  rotational?: boolean;
}

export interface MountConfig {
  fs: number;
  uuid?: string;
  /**
   * The filesystem is a block device's own page cache (reads of /dev/sdX): 6.1 allocates its
   * pages GFP_USER (bdev_alloc's mapping gfp mask), unmovable; a filesystem's are movable. Kept
   * for the fs id through later umount and mount events.
   */
  block_device?: boolean;
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
  /** The swap core keeps all-zero pages in a zeromap, as 6.12+ does (default: the backend era's; zswap era 6.12 has it). */
  swap_zeromap?: boolean;
  /**
   * Pages of RAM the kernel itself keeps (a real machine's MemTotal - MemFree
   * before the workload, in pages): the workload gets ram - kernel_pages, while
   * totalram (zswap's max_pool_percent, the balloon) stays the whole ram.
   */
  kernel_pages?: number;
  /** File readahead window of every filesystem's device, KiB (read_ahead_kb; default 128, 0: none). */
  read_ahead_kb?: number;
  /** File sizes (i_size, pages): readahead reads ahead only in files of known size. */
  files?: FileSizeConfig[];
  /** The node's memory zones, lowest first, with their managed pages (they add up to the RAM); absent: one zone. */
  zones?: ZoneConfig[];
  /** vm.min_free_kbytes (absent: the kernel's default for the RAM). */
  min_free_kbytes?: number;
  /**
   * What the events' `t` measures: 'wall' (default) the time since the trace began; 'cpu' the
   * workload's own CPU time so far (its user time), to which the simulator adds the kernel work
   * it models.
   */
  time?: TraceTime;
}

/** What a trace's event times measure (TraceConfig.time). */
export type TraceTime = 'wall' | 'cpu';

export type { ZoneBoot };

export interface ZoneConfig {
  name: 'DMA' | 'DMA32' | 'Normal';
  /** Managed pages (/proc/zoneinfo `managed`). */
  pages: number;
  /**
   * The zone's pageblocks and free blocks by migratetype at the start, as /proc/pagetypeinfo
   * shows them (the buddy allocator of a model with frames starts from them; absent: every page
   * free and movable). The free blocks must fit their pageblocks.
   */
  boot?: ZoneBoot;
}

export interface FileSizeConfig {
  fs: number;
  inode: number;
  pages: number;
}

export interface TraceHeader {
  format: typeof TRACE_FORMAT;
  version: typeof TRACE_VERSION;
  config: TraceConfig;
  content?: ContentConfig;
}

// ---- the op table ----------------------------------------------------------
//
// Every trace op is declared once, here: its name, its fields (type, bounds,
// required or not, how the binary form holds it), its TMTB op code and its
// level. The TypeScript event types below are derived from it, and it drives
// the binary codec (formats/tmtb.ts), the fast parser's vocabulary
// (formats/flat-parse.ts), `trace inspect` (inspect.ts) and the simulator's
// dispatch (sim/simulate.ts: a handler per op, a missing one is a type
// error). schema/trace-v1.schema.json states the same fields and bounds; a
// test (test/unit/trace/op-table.test.ts) checks it against this table field
// by field. Adding an op: one entry here, its handler in sim/simulate.ts,
// its $defs entry in the schema.

/** How a field is held in a TMTB record (formats/tmtb.ts). */
export type Wire =
  /** one byte */
  | 'u8'
  /** unsigned LEB128 */
  | 'varint'
  /** varint byte length, then UTF-8 */
  | 'str'
  /** little-endian double */
  | 'f64'
  /** varint count, then (str key, value) pairs */
  | 'params'
  /** u8 tag: 0 str, 1 true, 2 false, 3 f64 */
  | 'value'
  /** a flags bit (its presence and its value) */
  | 'flag'
  /** a data spec after the fields (a flags bit says it is there) */
  | 'data';

/** One field of an op. */
export interface FieldSpec {
  /** The JSON value: int (an integer), number, name (a non-empty string), bool, params (a ParamMap), value (a ParamValue), data (a DataSpec). */
  readonly type: 'int' | 'number' | 'name' | 'bool' | 'params' | 'value' | 'data';
  readonly wire: Wire;
  /** Absent from an event unless given (default: required). */
  readonly optional?: boolean;
  readonly min?: number;
  readonly max?: number;
  /** Values must be greater than this. */
  readonly above?: number;
  /** The schema's $defs entry the field refers to (absent: written inline in the op's entry). */
  readonly def?: string;
  /** What error messages call the field (default: its name). */
  readonly label?: string;
}

/** The levels the simulator distinguishes: control (the machine), tmem-level frontswap and cleancache ops issued as given, mm-level touches the memory model turns into traffic. */
export type OpLevel = 'control' | 'frontswap' | 'cleancache' | 'mm';

/** The page name space an op references the contents of (trace inspect's unique pages and reuse distances). */
export type PageSpace = 'anon' | 'swap' | 'file';

/** The fields that name a page of each name space. */
export const PAGE_KEYS: Readonly<Record<PageSpace, readonly string[]>> = {
  anon: ['page'], // and pid, default 0
  swap: ['type', 'offset'],
  file: ['fs', 'inode', 'index'],
};

export interface OpSpec {
  /** TMTB op code: fixed forever (files written before must decode). */
  readonly code: number;
  readonly level: OpLevel;
  /** Fields in schema and binary order (a `flag` field sits in the flags byte, `data` after the other fields). */
  readonly fields: Readonly<Record<string, FieldSpec>>;
  /** The $defs entry of the op in the schema (default: the op's name). */
  readonly def?: string;
  /** The page whose contents the op references, if any. */
  readonly pages?: PageSpace;
}

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
  /** RAMster nodes. */
  maxNode: 7,
} as const;

/** The field kinds ops share (each a $defs entry of the schema unless inline). */
const F = {
  swapType: { type: 'int', wire: 'u8', min: 0, max: LIMITS.swapTypes - 1, def: 'swapType', label: 'swap type' },
  slots: { type: 'int', wire: 'varint', min: 1, max: LIMITS.maxSlots, def: 'slots' },
  offset: { type: 'int', wire: 'varint', min: 0, max: LIMITS.maxSlots - 1, def: 'offset' },
  fs: { type: 'int', wire: 'u8', min: 0, max: LIMITS.maxFs - 1, def: 'fs' },
  inode: { type: 'int', wire: 'varint', min: 0, max: LIMITS.maxInode, def: 'inode' },
  index: { type: 'int', wire: 'varint', min: 0, max: LIMITS.maxIndex, def: 'index' },
  pid: { type: 'int', wire: 'varint', min: 0, max: LIMITS.maxPid, def: 'pid', optional: true },
  page: { type: 'int', wire: 'varint', min: 0, max: LIMITS.maxVpn, def: 'vpn' },
  node: { type: 'int', wire: 'u8', min: 0, max: LIMITS.maxNode },
  write: { type: 'bool', wire: 'flag', def: 'write', optional: true },
  data: { type: 'data', wire: 'data', def: 'dataSpec', optional: true },
  name: { type: 'name', wire: 'str', def: 'name' },
} as const satisfies Record<string, FieldSpec>;

/**
 * Every trace op, in documentation order (= code order). Codes are the TMTB
 * op codes: never renumber one.
 */
export const OP_TABLE = {
  // ---- control ----------------------------------------------------------
  swapon: { code: 0, level: 'control', fields: { type: F.swapType, slots: F.slots } },
  swapoff: { code: 1, level: 'control', fields: { type: F.swapType } },
  mount: { code: 2, level: 'control', def: 'mount_event', fields: { fs: F.fs, uuid: { type: 'name', wire: 'str', def: 'uuid', optional: true } } },
  umount: { code: 3, level: 'control', fields: { fs: F.fs } },
  insmod: { code: 4, level: 'control', fields: { backend: { ...F.name, label: 'backend' }, params: { type: 'params', wire: 'params', def: 'paramMap', optional: true } } },
  /** Unload the backend; `strategy`: flush (default), zombie (drained at `rate` pages/s), writethrough, refuse. */
  rmmod: {
    code: 5, level: 'control',
    fields: { strategy: { ...F.name, label: 'strategy', optional: true }, rate: { type: 'number', wire: 'f64', above: 0, max: LIMITS.maxRate, optional: true } },
  },
  param: { code: 6, level: 'control', fields: { name: { ...F.name, label: 'param name' }, value: { type: 'value', wire: 'value', def: 'paramValue', label: 'param' } } },
  /** A remote memory node (RAMster) dies, or comes back empty. */
  node_down: { code: 7, level: 'control', fields: { node: F.node } },
  node_up: { code: 8, level: 'control', fields: { node: F.node } },
  // ---- tmem level: frontswap (type, offset) --------------------------------
  frontswap_store: { code: 9, level: 'frontswap', pages: 'swap', fields: { type: F.swapType, offset: F.offset, data: F.data } },
  frontswap_load: { code: 10, level: 'frontswap', pages: 'swap', fields: { type: F.swapType, offset: F.offset } },
  frontswap_invalidate_page: { code: 11, level: 'frontswap', fields: { type: F.swapType, offset: F.offset } },
  frontswap_invalidate_area: { code: 12, level: 'frontswap', fields: { type: F.swapType } },
  // ---- tmem level: cleancache (fs, inode, index) ---------------------------
  cleancache_put: { code: 13, level: 'cleancache', pages: 'file', fields: { fs: F.fs, inode: F.inode, index: F.index, data: F.data } },
  cleancache_get: { code: 14, level: 'cleancache', pages: 'file', fields: { fs: F.fs, inode: F.inode, index: F.index } },
  cleancache_invalidate_page: { code: 15, level: 'cleancache', fields: { fs: F.fs, inode: F.inode, index: F.index } },
  cleancache_invalidate_inode: { code: 16, level: 'cleancache', fields: { fs: F.fs, inode: F.inode } },
  cleancache_invalidate_fs: { code: 17, level: 'cleancache', fields: { fs: F.fs } },
  // ---- mm level ----------------------------------------------------------------
  /** An anonymous page of process `pid` (default 0) at virtual page `page` is touched. */
  anon: { code: 18, level: 'mm', pages: 'anon', fields: { pid: F.pid, page: F.page, write: F.write, data: F.data } },
  /** A page of a file is read or written through the page cache. */
  file: { code: 19, level: 'mm', pages: 'file', fields: { fs: F.fs, inode: F.inode, index: F.index, write: F.write, data: F.data } },
  // ---- control ----------------------------------------------------------
  /** A named point of the run: every counter is snapshotted into the report (a phase boundary). */
  mark: { code: 20, level: 'control', fields: { name: { ...F.name, label: 'mark name' } } },
} as const satisfies Record<string, OpSpec>;

// ---- the event types, derived from the table ---------------------------------

type Table = typeof OP_TABLE;
export type EventOp = keyof Table;

/** The value a field holds. */
type FieldValue<S> = S extends { type: 'int' | 'number' } ? number
  : S extends { type: 'name' } ? string
  : S extends { type: 'bool' } ? boolean
  : S extends { type: 'params' } ? ParamMap
  : S extends { type: 'value' } ? ParamValue
  : S extends { type: 'data' } ? DataSpec
  : never;

type Fields<K extends EventOp> = Table[K]['fields'];
type RequiredOf<Fs> = { -readonly [N in keyof Fs as Fs[N] extends { optional: true } ? never : N]: FieldValue<Fs[N]> };
type OptionalOf<Fs> = { -readonly [N in keyof Fs as Fs[N] extends { optional: true } ? N : never]?: FieldValue<Fs[N]> };
type Flat<T> = { [P in keyof T]: T[P] };

/**
 * The event of op K: `op`, the optional `t` (simulated time in µs since the
 * start of the trace; without it an event happens as soon as the previous
 * one has finished) and the op's fields.
 */
export type EventOf<K extends EventOp> = Flat<{ op: K; t?: number } & RequiredOf<Fields<K>> & OptionalOf<Fields<K>>>;

export type TraceEvent = { [K in EventOp]: EventOf<K> }[EventOp];

export type SwaponEvent = EventOf<'swapon'>;
export type SwapoffEvent = EventOf<'swapoff'>;
export type MountEvent = EventOf<'mount'>;
export type UmountEvent = EventOf<'umount'>;
export type InsmodEvent = EventOf<'insmod'>;
export type RmmodEvent = EventOf<'rmmod'>;
export type ParamEvent = EventOf<'param'>;
export type NodeDownEvent = EventOf<'node_down'>;
export type NodeUpEvent = EventOf<'node_up'>;
export type MarkEvent = EventOf<'mark'>;
export type FsStoreEvent = EventOf<'frontswap_store'>;
export type FsLoadEvent = EventOf<'frontswap_load'>;
export type FsInvalidatePageEvent = EventOf<'frontswap_invalidate_page'>;
export type FsInvalidateAreaEvent = EventOf<'frontswap_invalidate_area'>;
export type CcPutEvent = EventOf<'cleancache_put'>;
export type CcGetEvent = EventOf<'cleancache_get'>;
export type CcInvalidatePageEvent = EventOf<'cleancache_invalidate_page'>;
export type CcInvalidateInodeEvent = EventOf<'cleancache_invalidate_inode'>;
export type CcInvalidateFsEvent = EventOf<'cleancache_invalidate_fs'>;
export type AnonEvent = EventOf<'anon'>;
export type FileEvent = EventOf<'file'>;

/** Every event kind, in documentation order (= code order). */
export const EVENT_OPS: readonly EventOp[] = (Object.keys(OP_TABLE) as EventOp[]).sort((a, b) => OP_TABLE[a].code - OP_TABLE[b].code);

/** An op's spec (the table, seen through the OpSpec interface). */
export function opSpec(op: EventOp): OpSpec {
  return OP_TABLE[op];
}

/** Every field name of every op, in table order, each once. */
export const FIELD_NAMES: readonly string[] = [...new Set(EVENT_OPS.flatMap((op) => Object.keys(opSpec(op).fields)))];

// The table's own rules (checked once at load): codes are 0..n-1 in order,
// at most two optional fields besides a flag and data (two flags bits hold
// them), at most one flag field (a bool), data comes last.
EVENT_OPS.forEach((op, i) => {
  const s = opSpec(op);
  if (s.code !== i) throw new Error(`trace op table: ${op} has code ${s.code}, expected ${i} (codes are 0..n-1 in table order)`);
  const names = Object.keys(s.fields);
  let optional = 0;
  names.forEach((n, j) => {
    const f = s.fields[n]!;
    if (f.wire === 'flag' && f.type !== 'bool') throw new Error(`trace op table: ${op}.${n}: only a bool is a flag`);
    if (f.wire === 'data' && j !== names.length - 1) throw new Error(`trace op table: ${op}.${n}: data must be the last field`);
    if (f.optional && f.wire !== 'flag' && f.wire !== 'data') optional++;
  });
  if (optional > 2) throw new Error(`trace op table: ${op} has more than two optional fields`);
  if (names.filter((n) => s.fields[n]!.wire === 'flag').length > 1) throw new Error(`trace op table: ${op} has more than one flag field`);
  // trace inspect keys a referenced page by its name space's fields.
  const keys = s.pages === undefined ? [] : PAGE_KEYS[s.pages];
  for (const k of keys) if (!names.includes(k)) throw new Error(`trace op table: ${op} references ${s.pages} pages but has no field ${k}`);
});

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

/**
 * One pass over a trace whose events are all page-cache accesses (`file`
 * events without `data`: an imported trace's requests), read into the
 * cursor's own fields instead of an event object each. next() moves to the
 * next access (false at the end); the fields then hold the FileEvent it
 * stands for: `write` true for `write: true`, `t` -1 for no `t`.
 */
export interface FileAccessCursor {
  readonly fs: number;
  readonly inode: number;
  readonly index: number;
  readonly write: boolean;
  readonly t: number;
  /** The access's location (one object, updated by next()). */
  readonly loc: EventLocation;
  /**
   * If the cursor reads accesses in batches: true after the next() that read a new batch, whose
   * accesses (this one and those after it) are aheadInodes/aheadIndexes[0, aheadCount). Their
   * lines can be fetched together (speed only: what a pass computes never depends on it).
   */
  readonly refilled?: boolean;
  readonly aheadInodes?: Float64Array;
  readonly aheadIndexes?: Float64Array;
  readonly aheadCount?: number;
  next(): boolean;
  /** Releases the file (idempotent; next() calls it at the end). */
  close(): void;
}
