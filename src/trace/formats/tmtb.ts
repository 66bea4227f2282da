/**
 * tmemsim's binary trace format, TMTB (.tmtb): the same header and events
 * as trace format v1 (events.ts), packed for fast streaming. Layout (all
 * integers little-endian; "varint" = unsigned LEB128, at most 8 bytes, a
 * value below 2^53):
 *
 *   file    = magic "TMTB" | u16 version (1) | u32 header length H | H bytes of header JSON
 *             | record* | end
 *   record  = u8 op code (the op table's code, events.ts OP_TABLE) | u8 flags | [time] | op fields
 *   end     = u8 0xFF | varint event count            (then the file ends)
 *
 *   flags   bits 0-1: time: 0 none, 1 zigzag varint delta (µs) from the previous event's t,
 *                         2 f64 absolute (non-integer or huge t)
 *           bit 2: data present     bit 3: `write` present   bit 4: `write` value
 *           bit 5: first optional field present (anon pid, mount uuid, insmod params, rmmod strategy)
 *           bit 6: second optional field present (rmmod rate)           bit 7: 0
 *
 *   op fields: the op table's fields in table order, each as its `wire`
 *     says (u8, varint, str = varint length + UTF-8, f64, params = varint n
 *     then n × (key str, value), value); a `flag` field (write) is bits 3-4,
 *     a data field comes last. E.g. swapon type slots | mount fs [uuid] |
 *     insmod backend [params] | rmmod [strategy] [rate] | anon [pid] page [data]
 *     | file fs inode index [data]
 *   value   = u8 tag: 0 str, 1 true, 2 false, 3 f64
 *   data    = u8 tag: 0..6 a class name (CLASS_NAMES), 0x10|c {class: c, seed: varint},
 *             0x20|c {class: c}, 0x40 {fill: u8}, 0x41 {corpus: varint}, 0x42 {b64: str}
 *
 * A file-page event (the commonest) is 5-9 bytes. The reader decodes a
 * 4 MiB window with one refill check per record; every field is range
 * checked as the schema would check it, and a record cut short by the end
 * of the file, an unknown op code or a value out of range is one UsageError
 * naming the file, the byte offset and the record index. A file without the
 * end record (a writer that died) is truncated, as is one whose count
 * disagrees.
 */

import { closeSync, readSync, writeSync } from 'node:fs';
import { UsageError } from '../../errors.js';
import {
  DATA_CLASSES, EVENT_OPS, LIMITS, OP_TABLE, opSpec, type DataSpec, type EventLocation, type FieldSpec, type LocatedEvent,
  type ParamMap, type ParamValue, type TraceEvent, type TraceHeader, type TraceSource, type Wire,
} from '../events.js';
import { validateHeader } from '../validate.js';
import { openFile } from './chunk-reader.js';
import { asyncEvents, type SyncTraceSource } from './text-source.js';

export const TMTB_MAGIC = 'TMTB';
const TMTB_VERSION = 1;
/** Bytes before the header JSON. */
const PREFIX = 10;
const END_CODE = 0xff;
/** The longest a record without strings can be: op, flags, f64 time, 3 varints, data (tag + varint). */
const MAX_FIXED = 2 + 8 + 3 * 8 + 1 + 8 + 8;
/** Bytes read per refill. */
const WINDOW = 4 << 20;
/** The longest string (a name, a b64 page) or header accepted. */
const MAX_STRING = 16 << 20;

const CLASS_NAMES = DATA_CLASSES;
const CLASS_CODE: Record<string, number> = Object.fromEntries(CLASS_NAMES.map((c, i) => [c, i]));
const B64 = /^[A-Za-z0-9+/]*={0,2}$/;
const B64_MAX = 5464;

// duplicates: alike in shape only to backends/zswap.ts's and compressors/zstd.ts's constants (runs of const NAME = n):
// nothing in common.
const F_TIME = 3;
const T_DELTA = 1;
const T_F64 = 2;
const F_DATA = 4;
const F_WRITE = 8;
const F_WRITE_VALUE = 16;
const F_OPT1 = 32;
const F_OPT2 = 64;
const F_RESERVED = 128;

// ---- the op table, as the codec reads it ------------------------------------------

/** One field held in the record's bytes, or in the write bits of the flags (not data: that comes last). */
interface WireField {
  readonly name: string;
  readonly wire: Exclude<Wire, 'data'>;
  /** The flags bit saying an optional field is there (F_OPT1, F_OPT2), 0 when required. */
  readonly bit: number;
  /** What messages call it. */
  readonly label: string;
  readonly min: number;
  readonly max: number;
  /** Values must be greater than this (f64 fields). */
  readonly above: number;
}

/** An op's record layout, from its table entry. */
interface Codec {
  readonly op: TraceEvent['op'];
  readonly fields: readonly WireField[];
  /** The field held in the write bits (F_WRITE, F_WRITE_VALUE), if any. */
  readonly flag: string | undefined;
  /** The data field, if any. */
  readonly data: string | undefined;
  /** How many optional fields F_OPT1/F_OPT2 can say are there. */
  readonly optional: number;
  /** Which hot decoder reads it (LAYOUT_*). */
  readonly layout: number;
}

/** Decoded by the general, table-driven reader. */
const LAYOUT_ANY = 0;
/** fs u8, inode varint, index varint (file and cleancache page records). */
const LAYOUT_FS_INODE_INDEX = 1;
/** type u8, offset varint (frontswap page records). */
const LAYOUT_TYPE_OFFSET = 2;
/** [pid varint] page varint (anon). */
const LAYOUT_PID_PAGE = 3;

type Shape = readonly (readonly [string, Wire, number, number, boolean])[];

/**
 * Each hot layout: the fields in the record's bytes (name, wire, bounds,
 * optional), and whether its decoder reads a `write` flag field after them.
 * An op whose fields are exactly these takes it.
 */
const HOT: readonly (readonly [number, Shape, boolean])[] = [
  [LAYOUT_FS_INODE_INDEX, [['fs', 'u8', 0, LIMITS.maxFs - 1, false], ['inode', 'varint', 0, LIMITS.maxInode, false], ['index', 'varint', 0, LIMITS.maxIndex, false]], true],
  [LAYOUT_TYPE_OFFSET, [['type', 'u8', 0, LIMITS.swapTypes - 1, false], ['offset', 'varint', 0, LIMITS.maxSlots - 1, false]], false],
  [LAYOUT_PID_PAGE, [['pid', 'varint', 0, LIMITS.maxPid, true], ['page', 'varint', 0, LIMITS.maxVpn, false]], true],
];

function codecOf(op: TraceEvent['op']): Codec {
  const fields: WireField[] = [];
  let flag: string | undefined;
  let data: string | undefined;
  let optional = 0;
  for (const [name, f] of Object.entries(opSpec(op).fields) as [string, FieldSpec][]) {
    if (f.wire === 'data') data = name;
    else {
      if (f.wire === 'flag') flag = name;
      const bit = f.wire === 'flag' ? F_WRITE : f.optional ? (optional++ === 0 ? F_OPT1 : F_OPT2) : 0;
      fields.push({ name, wire: f.wire, bit, label: f.label ?? name, min: f.min ?? 0, max: f.max ?? Infinity, above: f.above ?? -Infinity });
    }
  }
  const inBytes = fields.filter((f) => f.wire !== 'flag');
  // A flag field, if any, must be one named write after the other fields, and the layout's decoder must read it.
  const flagOk = (reads: boolean): boolean => flag === undefined || (reads && flag === 'write' && fields[fields.length - 1]!.wire === 'flag');
  const same = (shape: Shape, reads: boolean): boolean =>
    flagOk(reads) &&
    shape.length === inBytes.length &&
    shape.every(([n, w, lo, hi, opt], i) => {
      const f = inBytes[i]!;
      return f.name === n && f.wire === w && f.min === lo && f.max === hi && (f.bit !== 0) === opt;
    });
  const layout = HOT.find(([, shape, reads]) => same(shape, reads))?.[0] ?? LAYOUT_ANY;
  return { op, fields, flag, data, optional, layout };
}

/** By op code. */
const CODECS: readonly Codec[] = EVENT_OPS.map(codecOf);
const LAYOUT: Uint8Array = Uint8Array.from(CODECS, (c) => c.layout);
/**
 * By op code: the flags bits its records may set (the time bits; the data bit,
 * the write bits and F_OPT1/F_OPT2 when the op has such fields). The decoder
 * looks at a record's other bits only when there are any.
 */
const FLAGS_OK: Uint8Array = Uint8Array.from(CODECS, (c) =>
  F_TIME
  | (c.data !== undefined ? F_DATA : 0)
  | (c.flag !== undefined ? F_WRITE | F_WRITE_VALUE : 0)
  | (c.optional >= 1 ? F_OPT1 : 0)
  | (c.optional >= 2 ? F_OPT2 : 0));

// ---- writing -----------------------------------------------------------------

/**
 * Encodes events into TMTB bytes, handed to `sink` in blocks of about 1 MiB.
 * The events must be valid (validated by a reader, or typed by the caller);
 * a value the format cannot hold throws.
 */
export class TmtbEncoder {
  private buf = Buffer.allocUnsafe(1 << 20);
  private pos = 0;
  private prevT = 0;
  count = 0;

  constructor(
    header: TraceHeader,
    private readonly sink: (bytes: Uint8Array) => void,
  ) {
    const json = Buffer.from(JSON.stringify(header), 'utf8');
    this.room(PREFIX + json.length);
    this.buf.write(TMTB_MAGIC, 0, 'latin1');
    this.buf.writeUInt16LE(TMTB_VERSION, 4);
    this.buf.writeUInt32LE(json.length, 6);
    json.copy(this.buf, PREFIX);
    this.pos = PREFIX + json.length;
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) this.buf = Buffer.allocUnsafe(n);
  }

  /** Hands what is encoded so far to the sink. */
  flush(): void {
    if (this.pos > 0) this.sink(this.buf.subarray(0, this.pos));
    this.buf = Buffer.allocUnsafe(this.buf.length);
    this.pos = 0;
  }

  private u8(v: number): void {
    this.buf[this.pos++] = v;
  }

  private varint(v: number, what: string): void {
    if (!Number.isSafeInteger(v) || v < 0) throw new Error(`tmtb: ${what} ${v} is not an integer 0..2^53-1`);
    const b = this.buf;
    let p = this.pos;
    while (v >= 128) {
      b[p++] = (v % 128) | 128;
      v = Math.floor(v / 128);
    }
    b[p++] = v;
    this.pos = p;
  }

  private f64(v: number): void {
    this.buf.writeDoubleLE(v, this.pos);
    this.pos += 8;
  }

  private str(s: string): void {
    const n = Buffer.byteLength(s, 'utf8');
    this.room(9 + n);
    this.varint(n, 'string length');
    this.buf.write(s, this.pos, 'utf8');
    this.pos += n;
  }

  private value(v: ParamValue): void {
    this.room(9);
    if (typeof v === 'string') {
      this.u8(0);
      this.str(v);
    } else if (typeof v === 'boolean') this.u8(v ? 1 : 2);
    else {
      this.u8(3);
      this.f64(v);
    }
  }

  private data(d: DataSpec): void {
    if (typeof d === 'string') return this.u8(classCode(d));
    if ('class' in d) {
      const c = classCode(d.class);
      if (d.seed === undefined) return this.u8(0x20 | c);
      this.u8(0x10 | c);
      return this.varint(d.seed, 'seed');
    }
    if ('fill' in d) {
      this.u8(0x40);
      return this.u8(d.fill);
    }
    if ('corpus' in d) {
      this.u8(0x41);
      return this.varint(d.corpus, 'corpus');
    }
    this.u8(0x42);
    this.str(d.b64);
  }

  /** Appends one event. */
  write(ev: TraceEvent): void {
    const code = (OP_TABLE[ev.op] as { code: number } | undefined)?.code;
    if (code === undefined) throw new Error(`tmtb: unknown op ${String(ev.op)}`);
    const c = CODECS[code]!;
    const e = ev as unknown as Readonly<Record<string, unknown>>;
    // The flags first: a long string below may flush the buffer between here and the end of the record.
    let flags = 0;
    let dt = 0;
    if (ev.t !== undefined) {
      const d = ev.t - this.prevT;
      if (Number.isSafeInteger(ev.t) && Number.isSafeInteger(d) && Math.abs(d) < 2 ** 51) {
        flags |= T_DELTA;
        dt = d >= 0 ? d * 2 : -d * 2 - 1;
      } else flags |= T_F64;
    }
    const data = c.data === undefined ? undefined : (e[c.data] as DataSpec | undefined);
    if (data !== undefined) flags |= F_DATA;
    if (c.flag !== undefined && e[c.flag] !== undefined) flags |= e[c.flag] ? F_WRITE | F_WRITE_VALUE : F_WRITE;
    if (c.optional > 0) for (const f of c.fields) if (f.bit !== 0 && f.wire !== 'flag' && e[f.name] !== undefined) flags |= f.bit;
    this.room(MAX_FIXED);
    this.u8(code);
    this.u8(flags);
    if (flags & T_DELTA) this.varint(dt, 't');
    else if (flags & T_F64) this.f64(ev.t!);
    if (ev.t !== undefined) this.prevT = ev.t;
    // The commonest records take an encoder written out for their layout, as they do a decoder (the op table says which).
    switch (c.layout) {
      case LAYOUT_FS_INODE_INDEX: {
        const f = ev as { fs: number; inode: number; index: number };
        this.u8(f.fs);
        this.varint(f.inode, 'inode');
        this.varint(f.index, 'index');
        break;
      }
      case LAYOUT_TYPE_OFFSET: {
        const f = ev as { type: number; offset: number };
        this.u8(f.type);
        this.varint(f.offset, 'offset');
        break;
      }
      case LAYOUT_PID_PAGE: {
        const f = ev as { pid?: number; page: number };
        if (f.pid !== undefined) this.varint(f.pid, 'pid');
        this.varint(f.page, 'page');
        break;
      }
      default:
        this.fields(c, e);
    }
    if (data !== undefined) {
      this.room(9);
      this.data(data);
    }
    this.count++;
  }

  /** Writes a record's fields as its op's table entry lays them out (the control and rare records). */
  private fields(c: Codec, e: Readonly<Record<string, unknown>>): void {
    for (const f of c.fields) {
      const v = e[f.name];
      if (v === undefined || f.wire === 'flag') continue; // an optional field not given (its bit is clear), or held in the flags
      this.room(9);
      switch (f.wire) {
        case 'u8':
          this.u8(v as number);
          break;
        case 'varint':
          this.varint(v as number, f.name);
          break;
        case 'str':
          this.str(v as string);
          break;
        case 'f64':
          this.f64(v as number);
          break;
        case 'value':
          this.value(v as ParamValue);
          break;
        case 'params': {
          const params = v as ParamMap;
          const keys = Object.keys(params);
          this.varint(keys.length, 'params');
          for (const k of keys) {
            this.str(k);
            this.value(params[k]!);
          }
          break;
        }
      }
    }
  }

  /** Writes the end record and flushes. */
  end(): void {
    this.room(9);
    this.u8(END_CODE);
    this.varint(this.count, 'count');
    this.flush();
  }
}

function classCode(c: string): number {
  const k = CLASS_CODE[c];
  if (k === undefined) throw new Error(`tmtb: unknown content class '${c}'`);
  return k;
}

// ---- reading -----------------------------------------------------------------

/** Reads and checks the magic, version and header of an open file; returns the header and the first record's offset. */
function readHeader(fd: number, file: string): { header: TraceHeader; start: number } {
  const pre = Buffer.alloc(PREFIX);
  const n = readSync(fd, pre, 0, PREFIX, 0);
  if (n < 4 || pre.toString('latin1', 0, 4) !== TMTB_MAGIC) {
    throw new UsageError(`not a tmemsim binary trace: the file does not start with "${TMTB_MAGIC}"`, { file }, 'a file written by tmemsim trace convert ... OUT.tmtb');
  }
  if (n < PREFIX) throw new UsageError(`truncated binary trace: the file ends at byte ${n}, inside the header`, { file });
  const version = pre.readUInt16LE(4);
  if (version !== TMTB_VERSION) throw new UsageError(`unsupported binary trace version ${version}`, { file }, String(TMTB_VERSION));
  const len = pre.readUInt32LE(6);
  if (len > MAX_STRING) throw new UsageError(`corrupt binary trace: header length ${len} at byte 6 exceeds ${MAX_STRING}`, { file });
  const json = Buffer.alloc(len);
  const got = len === 0 ? 0 : readSync(fd, json, 0, len, PREFIX);
  if (got < len) throw new UsageError(`truncated binary trace: the file ends at byte ${PREFIX + got}, inside the ${len}-byte header`, { file });
  let raw: unknown;
  try {
    raw = JSON.parse(json.toString('utf8'));
  } catch (e) {
    throw new UsageError(`corrupt binary trace: the header at byte ${PREFIX} is not JSON (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`, { file });
  }
  return { header: validateHeader(raw, { file }), start: PREFIX + len };
}

/** The position after the last varint read by `varintAt`. */
let at = 0;

/** A varint at b[p] (the one-byte case is inlined by callers). Returns -1 when longer than 8 bytes. */
function varintAt(b: Uint8Array, p: number): number {
  let v = 0;
  let mul = 1;
  for (let i = 0; i < 8; i++) {
    const c = b[p++]!;
    v += (c & 127) * mul;
    if (c < 128) {
      at = p;
      return v;
    }
    mul *= 128;
  }
  at = p;
  return -1;
}

/** One pass over a TMTB file: yields located events. */
class TmtbIterator implements IterableIterator<LocatedEvent> {
  private fd: number;
  private buf = Buffer.allocUnsafe(WINDOW + 64);
  /** File offset of buf[0]. */
  private base: number;
  private pos = 0;
  private end = 0;
  private eof = false;
  private index = 0;
  private prevT = 0;
  private done = false;
  private readonly loc: EventLocation;
  /** File offset of the current record (for messages). */
  private recordAt = 0;
  private readonly res: { value: LocatedEvent; done: false } = { value: { event: { op: 'rmmod' }, loc: { file: '', line: 0, index: 0 } }, done: false };

  constructor(
    private readonly file: string,
    start: number,
  ) {
    this.fd = openFile(file);
    this.base = start;
    this.loc = { file, line: 0, index: 0 };
    this.refill();
  }

  /** Bytes consumed so far (for progress). */
  get bytesRead(): number {
    return this.base + this.pos;
  }

  /** Keeps buf[pos..end), reads more after it. */
  private refill(need = 0): void {
    if (this.eof) return;
    const keep = this.end - this.pos;
    let buf = this.buf;
    if (keep + need + 64 > buf.length - WINDOW / 2) {
      const bigger = Buffer.allocUnsafe(Math.max(buf.length * 2, keep + need + WINDOW + 64));
      buf.copy(bigger, 0, this.pos, this.end);
      this.buf = buf = bigger;
    } else if (keep > 0) buf.copy(buf, 0, this.pos, this.end);
    this.base += this.pos;
    this.pos = 0;
    this.end = keep;
    const target = keep + Math.max(need, WINDOW / 2);
    while (this.end < buf.length - 64) {
      let n: number;
      try {
        n = readSync(this.fd, buf, this.end, buf.length - 64 - this.end, this.base + this.end);
      } catch (e) {
        this.close();
        throw new UsageError(`cannot read trace: ${e instanceof Error ? e.message.replace(/, \w+ '.*'$/, '') : String(e)}`, { file: this.file });
      }
      if (n === 0) {
        this.eof = true;
        break;
      }
      this.end += n;
      if (this.end >= target) break;
    }
    // Zeros after the data: a varint cut short by the end of the file stops on them.
    buf.fill(0, this.end, Math.min(buf.length, this.end + 64));
  }

  /**
   * Makes the window hold buf[p..p+n) when the file has those bytes (a
   * record longer than MAX_FIXED: a control record with names and params, a
   * b64 page), refilling when it does not. Returns where buf[p] now is (a
   * refill moves the window's bytes to the start of the buffer). A field
   * reader reads only after asking: next() guarantees MAX_FIXED bytes from
   * a record's start and nothing more.
   */
  private ensure(p: number, n: number): number {
    if (p + n <= this.end || this.eof) return p;
    const off = p - this.pos;
    this.refill(off + n);
    return this.pos + off;
  }

  private fail(what: string): never {
    this.close();
    throw new UsageError(what, { file: this.file, event: this.index });
  }

  private truncated(): never {
    return this.fail(
      `truncated binary trace: the file ends at byte offset ${this.base + this.end}, inside record #${this.index} (which starts at byte ${this.recordAt})`,
    );
  }

  private corrupt(what: string, p: number): never {
    return this.fail(`corrupt binary trace: ${what} at byte offset ${this.base + p} (record #${this.index})`);
  }

  next(): IteratorResult<LocatedEvent> {
    if (this.done) return { value: undefined, done: true };
    if (this.end - this.pos < MAX_FIXED && !this.eof) this.refill();
    const b = this.buf;
    let p = this.pos;
    this.recordAt = this.base + p;
    if (p >= this.end) {
      this.truncated();
    }
    const code = b[p]!;
    if (code === END_CODE) return this.finishAt(p);
    const flags = b[p + 1]!;
    p += 2;
    if (code >= EVENT_OPS.length) this.corrupt(`unknown op code ${code}`, p - 2);
    if (flags & F_RESERVED || (flags & F_TIME) === 3) this.corrupt(`bad flags 0x${flags.toString(16)}`, p - 1);
    // Bits this op's records may not set (reported below, where the record's fields end).
    const bad = flags & ~FLAGS_OK[code]!;
    let t = -1;
    const tk = flags & F_TIME;
    if (tk === T_DELTA) {
      let z = b[p]!;
      if (z < 128) p++;
      else {
        z = varintAt(b, p);
        p = at;
        if (z < 0) this.corrupt('varint longer than 8 bytes in t', p - 8);
      }
      t = this.prevT + (z % 2 === 0 ? z / 2 : -(z + 1) / 2);
      if (t < 0) this.corrupt(`time ${t} before 0`, p - 1);
      if (t > LIMITS.maxT) this.corrupt(`time ${t} beyond ${LIMITS.maxT} µs (2^53 ns)`, p - 1);
      this.prevT = t;
    } else if (tk === T_F64) {
      t = b.readDoubleLE(p);
      p += 8;
      if (!(t >= 0 && t <= LIMITS.maxT)) this.corrupt(`time ${t} is not a number in 0..${LIMITS.maxT} µs (2^53 ns)`, p - 8);
      this.prevT = t;
    }
    let ev: TraceEvent;
    // The commonest records take a decoder written out for their layout (the op table says which).
    // duplicates: the one-byte varint reads below repeat per field by design: written out in the decoder's hot loop
    // (varintAt is the longer varints' path).
    switch (LAYOUT[code]) {
      case LAYOUT_FS_INODE_INDEX: {
        const fs = b[p++]!;
        let inode = b[p]!;
        if (inode < 128) p++;
        else {
          inode = varintAt(b, p);
          p = at;
        }
        let index = b[p]!;
        if (index < 128) p++;
        else {
          index = varintAt(b, p);
          p = at;
        }
        if (p > this.end) this.truncated();
        if (fs > LIMITS.maxFs - 1) this.corrupt(`fs ${fs} out of range 0..${LIMITS.maxFs - 1}`, p);
        if (!(inode >= 0 && inode <= LIMITS.maxInode)) this.corrupt(`inode ${inode} out of range 0..${LIMITS.maxInode}`, p);
        if (!(index >= 0 && index <= LIMITS.maxIndex)) this.corrupt(`index ${index} out of range 0..${LIMITS.maxIndex}`, p);
        ev = { op: EVENT_OPS[code] as 'file', fs, inode, index };
        if (flags & F_WRITE) ev.write = (flags & F_WRITE_VALUE) !== 0; // on an op without it: corrupt, below
        break;
      }
      case LAYOUT_TYPE_OFFSET: {
        const type = b[p++]!;
        let offset = b[p]!;
        if (offset < 128) p++;
        else {
          offset = varintAt(b, p);
          p = at;
        }
        if (p > this.end) this.truncated();
        if (type >= LIMITS.swapTypes) this.corrupt(`swap type ${type} out of range 0..${LIMITS.swapTypes - 1}`, p);
        if (!(offset >= 0 && offset < LIMITS.maxSlots)) this.corrupt(`offset ${offset} out of range 0..${LIMITS.maxSlots - 1}`, p);
        ev = { op: EVENT_OPS[code] as 'frontswap_load', type, offset };
        break;
      }
      case LAYOUT_PID_PAGE: {
        let pid = -1;
        if (flags & F_OPT1) {
          pid = b[p]!;
          if (pid < 128) p++;
          else {
            pid = varintAt(b, p);
            p = at;
          }
        }
        let page = b[p]!;
        if (page < 128) p++;
        else {
          page = varintAt(b, p);
          p = at;
        }
        if (p > this.end) this.truncated();
        if (pid > LIMITS.maxPid || (pid < 0 && flags & F_OPT1)) this.corrupt(`pid ${pid} out of range 0..${LIMITS.maxPid}`, p);
        if (!(page >= 0 && page <= LIMITS.maxVpn)) this.corrupt(`page ${page} out of range 0..${LIMITS.maxVpn}`, p);
        const op = EVENT_OPS[code] as 'anon';
        ev = pid >= 0 ? { op, pid, page } : { op, page };
        if (flags & F_WRITE) ev.write = (flags & F_WRITE_VALUE) !== 0; // on an op without it: corrupt, below
        break;
      }
      default:
        p = this.fields(code, flags, p);
        ev = this.ctl!;
        break;
    }
    if (flags & F_DATA) {
      if (bad & F_DATA) this.corrupt(`data flag on a ${EVENT_OPS[code]} record`, p);
      (ev as { data?: DataSpec }).data = this.dataAt(p);
      p = at;
    }
    if (bad !== 0) this.badFlags(code, bad, p);
    if (p > this.end) this.truncated();
    if (t >= 0) ev.t = t;
    this.pos = p;
    const loc = this.loc;
    loc.index = this.index;
    loc.line = ++this.index;
    // The result object is reused (for-of never keeps it); the {event, loc} pair is not.
    const res = this.res;
    res.value = { event: ev, loc };
    return res;
  }

  /** The end record at b[p]: checks the count and that nothing follows. */
  private finishAt(p: number): IteratorResult<LocatedEvent> {
    const count = varintAt(this.buf, p + 1);
    if (at > this.end) this.truncated();
    if (count !== this.index) this.corrupt(`the end record counts ${count} events, the file holds ${this.index}`, p);
    const after = this.base + at;
    if (at < this.end || !this.eof) {
      this.pos = at;
      this.refill();
      if (this.end > this.pos) this.fail(`corrupt binary trace: bytes after the end record, from byte offset ${after}`);
    }
    this.close();
    return { value: undefined, done: true };
  }

  /** A varint that must fit, or a located error. */
  private vint(p: number, what: string): number {
    p = this.ensure(p, 9);
    const v = varintAt(this.buf, p);
    if (at > this.end) this.truncated();
    if (v < 0) this.corrupt(`varint longer than 8 bytes in ${what}`, p);
    return v;
  }

  /** A string at b[p]; sets `at` after it. */
  private strAt(p: number, what: string, minLength = 1): string {
    const n = this.vint(p, `${what} length`);
    if (n > MAX_STRING) this.corrupt(`${what} length ${n} exceeds ${MAX_STRING}`, p);
    const q = this.ensure(at, n);
    if (q + n > this.end) this.truncated();
    const s = this.buf.toString('utf8', q, q + n);
    if (s.length < minLength) this.corrupt(`empty ${what}`, p);
    at = q + n;
    return s;
  }

  private valueAt(p: number, what: string): ParamValue {
    p = this.ensure(p, 9);
    const tag = this.buf[p]!;
    if (p >= this.end) this.truncated();
    switch (tag) {
      case 0:
        return this.strAt(p + 1, what, 0);
      case 1:
      case 2:
        at = p + 1;
        return tag === 1;
      case 3: {
        if (p + 9 > this.end) this.truncated();
        const v = this.buf.readDoubleLE(p + 1);
        if (!Number.isFinite(v)) this.corrupt(`${what} ${v} is not a finite number`, p + 1);
        at = p + 9;
        return v;
      }
      default:
        return this.corrupt(`unknown value tag ${tag} in ${what}`, p);
    }
  }

  private dataAt(p: number): DataSpec {
    p = this.ensure(p, 2);
    const b = this.buf;
    const tag = b[p]!;
    if (p >= this.end) this.truncated();
    if (tag < CLASS_NAMES.length) {
      at = p + 1;
      return CLASS_NAMES[tag]!;
    }
    const c = tag & 15;
    switch (tag & 0xf0) {
      case 0x10:
      case 0x20: {
        if (c >= CLASS_NAMES.length) break;
        if (tag & 0x20) {
          at = p + 1;
          return { class: CLASS_NAMES[c]! };
        }
        const seed = this.vint(p + 1, 'seed');
        if (seed > 2 ** 48 - 1) this.corrupt(`seed ${seed} out of range 0..2^48-1`, p + 1);
        return { class: CLASS_NAMES[c]!, seed };
      }
      case 0x40:
        if (tag === 0x40) {
          at = p + 2;
          if (at > this.end) this.truncated();
          return { fill: b[p + 1]! };
        }
        if (tag === 0x41) {
          const corpus = this.vint(p + 1, 'corpus');
          if (corpus > 2 ** 32 - 1) this.corrupt(`corpus page ${corpus} out of range 0..2^32-1`, p + 1);
          return { corpus };
        }
        if (tag === 0x42) {
          const b64 = this.strAt(p + 1, 'b64', 0);
          if (b64.length > B64_MAX || !B64.test(b64)) this.corrupt('b64 data is not base64 of at most 4096 bytes', p + 1);
          return { b64 };
        }
        break;
      default:
        break;
    }
    return this.corrupt(`unknown data tag 0x${tag.toString(16)}`, p);
  }

  /** The last event decoded by fields(). */
  private ctl: TraceEvent | undefined;

  /** A write or optional-field flag the op has no field for is corrupt (`bad`: the bits FLAGS_OK does not allow). */
  private badFlags(code: number, bad: number, p: number): void {
    if (bad & (F_WRITE | F_WRITE_VALUE)) this.corrupt(`write flag on a ${EVENT_OPS[code]} record`, p);
    if (bad & (F_OPT1 | F_OPT2)) this.corrupt(`optional-field flag on a ${EVENT_OPS[code]} record`, p);
  }

  /**
   * Decodes a record's fields at p as its op's table entry lays them out,
   * into this.ctl (the control and rare records); returns the position after them.
   */
  private fields(code: number, flags: number, p: number): number {
    const c = CODECS[code]!;
    if (flags & (F_OPT1 | F_OPT2) & ~FLAGS_OK[code]!) this.corrupt(`optional-field flag on a ${EVENT_OPS[code]} record`, p);
    const ev: Record<string, unknown> = { op: c.op };
    at = p;
    for (const f of c.fields) {
      if (f.bit !== 0 && !(flags & f.bit)) continue;
      switch (f.wire) {
        case 'flag':
          ev[f.name] = (flags & F_WRITE_VALUE) !== 0;
          break;
        case 'u8': {
          const q = this.ensure(at, 1);
          if (q >= this.end) this.truncated();
          const v = this.buf[q]!;
          if (v < f.min || v > f.max) this.corrupt(`${f.label} ${v} out of range ${f.min}..${f.max}`, q);
          ev[f.name] = v;
          at = q + 1;
          break;
        }
        case 'varint': {
          const q = at;
          const v = this.vint(q, f.label);
          if (v < f.min || v > f.max) this.corrupt(`${f.label} ${v} out of range ${f.min}..${f.max}`, q);
          ev[f.name] = v;
          break;
        }
        case 'str':
          ev[f.name] = this.strAt(at, f.label);
          break;
        case 'f64': {
          const q = this.ensure(at, 8);
          if (q + 8 > this.end) this.truncated();
          const v = this.buf.readDoubleLE(q);
          if (!(v > f.above && v >= f.min && v <= f.max)) {
            this.corrupt(`${f.label} ${v} is not a number in ${f.above > -Infinity ? `(${f.above}` : `[${f.min}`}, ${f.max}]`, q);
          }
          ev[f.name] = v;
          at = q + 8;
          break;
        }
        case 'value': {
          // A parameter's value is named by the parameter (the op's name field, when it has one).
          const named = typeof ev['name'] === 'string' ? `${f.label} ${ev['name']}` : f.label;
          ev[f.name] = this.valueAt(at, named);
          break;
        }
        case 'params': {
          const n = this.vint(at, `${f.name} count`);
          const params: ParamMap = {};
          for (let i = 0; i < n; i++) {
            const k = this.strAt(at, 'param name', 0);
            // An own property even for a key such as "__proto__", as JSON.parse makes it.
            Object.defineProperty(params, k, { value: this.valueAt(at, `param ${k}`), enumerable: true, writable: true, configurable: true });
          }
          ev[f.name] = params;
          break;
        }
      }
    }
    this.ctl = ev as TraceEvent;
    return at;
  }

  return(): IteratorResult<LocatedEvent> {
    this.close();
    return { value: undefined, done: true };
  }

  [Symbol.iterator](): IterableIterator<LocatedEvent> {
    return this;
  }

  close(): void {
    this.done = true;
    if (this.fd >= 0) {
      closeSync(this.fd);
      this.fd = -1;
    }
  }
}

/** A TMTB trace: header read and validated at open; every events() pass re-reads the file. */
class TmtbTraceSource implements SyncTraceSource, TraceSource {
  readonly header: TraceHeader;
  private readonly start: number;

  constructor(readonly path: string) {
    const fd = openFile(path);
    try {
      const h = readHeader(fd, path);
      this.header = h.header;
      this.start = h.start;
    } finally {
      closeSync(fd);
    }
  }

  eventsSync(): IterableIterator<LocatedEvent> & { readonly bytesRead: number } {
    return new TmtbIterator(this.path, this.start);
  }

  events(): AsyncIterable<LocatedEvent> {
    return asyncEvents(() => this.eventsSync());
  }
}

export function openTmtb(path: string): SyncTraceSource {
  return new TmtbTraceSource(path);
}

/** Writes a whole trace to an open file descriptor. */
export function writeTmtb(fd: number, header: TraceHeader, events: Iterable<TraceEvent>): number {
  const enc = new TmtbEncoder(header, (bytes) => {
    writeSync(fd, bytes);
  });
  for (const ev of events) enc.write(ev);
  enc.end();
  return enc.count;
}
