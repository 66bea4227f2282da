/**
 * The `heap` content class: anonymous process memory. Heap pages are 7/8
 * malloc chunks of a few object types, 1/8 arrays (pointers, counters,
 * doubles); targets in registry.ts.
 */

import { Cls } from '../page.js';
import { Rng } from '../rng.js';
import { scratchFor, scratchView, below, Lexicon, type ContentClass } from './common.js';

const rng = new Rng(0);

const IDENTS = new Lexicon(`name id type value next prev data size count key parent children
  list node buffer length flags state handle config user session request response header
  path file url host port timeout callback error result index offset mode status
  /usr/lib/x86_64-linux-gnu/libc.so.6 /etc/ld.so.cache en_US.UTF-8 LANG=C.UTF-8 HOME=/home/user
  application/json text/html Content-Type Content-Length keep-alive utf-8 true false null
  std::string std::vector<int> main worker localhost 127.0.0.1 GET POST`);

/** Field kinds of a struct template, one per 8-byte slot. */
const enum Field {
  Zero, HeapPtr, CodePtr, SmallInt, IntPair, Size, Str, Double, Flags, Hash,
}
/** Weighted field-kind table (32 entries). */
const FIELD_TABLE = Uint8Array.from([
  Field.Zero, Field.Zero, Field.Zero, Field.Zero, Field.Zero, Field.Zero, Field.Zero, Field.Zero, Field.Zero,
  Field.HeapPtr, Field.HeapPtr, Field.HeapPtr, Field.HeapPtr, Field.HeapPtr, Field.HeapPtr,
  Field.CodePtr, Field.CodePtr, Field.SmallInt, Field.SmallInt, Field.SmallInt, Field.SmallInt,
  Field.IntPair, Field.IntPair, Field.IntPair, Field.Size, Field.Size, Field.Str, Field.Str,
  Field.Double, Field.Flags, Field.Flags, Field.Hash,
]);
/**
 * Field kinds whose value differs between objects of one type: pointers and
 * hashes always, counters and sizes half of the time; the rest repeat the
 * type's prototype.
 */
const ALWAYS_VARIES = (1 << Field.HeapPtr) | (1 << Field.Hash);
const OFTEN_VARIES = (1 << Field.SmallInt) | (1 << Field.Size) | (1 << Field.IntPair);

interface HeapState {
  /** High 32 bits of heap pointers (0x000055xx or 0x00007fxx). */
  heapHi: number;
  /** Low 32 bits of this page's address (4 KiB aligned). */
  pageLo: number;
  /** High and low words of the program's code and data (vtables, function pointers). */
  codeHi: number;
  codeLo: number;
  /** The per-process tcache key (random since glibc 2.34). */
  keyLo: number;
  keyHi: number;
}

/** A heap pointer, 16-byte aligned: mostly near this page (neighbours), else within 1 MiB. */
function heapPtr(dv: DataView, p: number, st: HeapState, r: number): void {
  const d = (r & 0x40000) !== 0 ? ((r >>> 19) & 0x1ff) - 0x100 : ((r >>> 12) & 0xffff) - 0x8000;
  dv.setInt32(p, (st.pageLo + d * 16) | 0, true);
  dv.setInt32(p + 4, st.heapHi, true);
}

/** Writes one 8-byte slot of kind f at p. */
function field(b: Uint8Array, dv: DataView, p: number, f: number, st: HeapState, id: number): void {
  const r = rng.bits();
  let lo = 0;
  let hi = 0;
  switch (f) {
    case Field.HeapPtr:
      if ((r & 7) !== 0) {
        heapPtr(dv, p, st, r);
        return;
      }
      break;
    case Field.CodePtr: // a vtable or function pointer: fixed per template slot
      lo = (st.codeLo + (id & 0xfff) * 8) | 0;
      hi = st.codeHi;
      break;
    case Field.SmallInt:
      lo = (r & 3) === 0 ? (r >>> 8) & 0xff : (r >>> 8) & 3;
      if ((r & 0x30000) === 0) lo |= ((r >>> 18) & 0x0f) << 8;
      break;
    case Field.IntPair:
      lo = (r >>> 4) & 0x1f;
      hi = (r >>> 12) & 0x07;
      break;
    case Field.Size:
      lo = ((r >>> 4) & 0x1ff) << ((r >>> 13) & 3);
      break;
    case Field.Str: { // short inline string (SSO): up to 7 chars and a NUL
      IDENTS.put(dv, p, IDENTS.pick(r));
      const len = IDENTS.len[IDENTS.pick(r)]!;
      for (let i = len < 7 ? len : 7; i < 8; i++) b[p + i] = 0;
      return;
    }
    case Field.Double: // small doubles: integers and halves below 1024
      dv.setFloat64(p, ((r >>> 8) & 0x3ff) * ((r & 1) !== 0 ? 0.5 : 1), true);
      return;
    case Field.Flags:
      lo = (1 << (r & 7)) | (((r >>> 8) & 1) << 16);
      break;
    case Field.Hash:
      lo = r;
      hi = rng.bits();
      break;
    default:
      break;
  }
  dv.setInt32(p, lo, true);
  dv.setInt32(p + 4, hi, true);
}

/** The object types of one heap page (up to 3): slots, field kinds and a prototype object. */
const MAX_SLOTS = 16;
const tmplSlots = new Uint8Array(3);
const tmplFields = new Uint8Array(3 * MAX_SLOTS);
/** Prototype objects, as 32-bit words. */
const protoWords = new Int32Array(3 * MAX_SLOTS * 2);

/**
 * A heap page of small malloc chunks holding a few object types. Objects of
 * a type start as a copy of the type's prototype (vtable, flags, type tags,
 * zero fields repeat) and redraw their varying fields (pointers, counters,
 * sizes, hashes).
 */
function heapObjects(b: Uint8Array, dv: DataView, end: number, st: HeapState): void {
  const types = 1 + below(rng.bits(), 3);
  // Prototypes are encoded at b[0..8) (a long string may spill further), then the page is cleared.
  for (let t = 0; t < types; t++) {
    const slots = 1 + 2 * ((rng.bits() >>> 4) & 7); // 8..120 bytes: chunk sizes 0x20..0x80
    tmplSlots[t] = slots;
    for (let i = 0; i < slots; i++) {
      const f = FIELD_TABLE[(rng.bits() >>> 8) & 31]!;
      tmplFields[t * MAX_SLOTS + i] = f;
      field(b, dv, 0, f, st, t * MAX_SLOTS + i);
      protoWords[(t * MAX_SLOTS + i) * 2] = dv.getInt32(0, true);
      protoWords[(t * MAX_SLOTS + i) * 2 + 1] = dv.getInt32(4, true);
    }
  }
  b.fill(0, 0, end + 640);
  let p = 0;
  while (p < end) {
    const r = rng.bits();
    const t = below(r, types);
    const odd = (r & 0xf) === 0; // an odd-sized buffer
    const slots = odd ? 1 + ((r >>> 4) & 63) : tmplSlots[t]!;
    // malloc chunk: [prev_size: previous chunk's data][size | PREV_INUSE][user data]
    const chunk = (slots * 8 + 8 + 15) & ~15;
    dv.setInt32(p + 8, chunk | 1, true);
    const user = p + 16;
    if (odd) {
      // A buffer: words separated by spaces or NULs, or zeros.
      if ((r & 0x100) !== 0) {
        const q = user + slots * 8 - 12;
        for (let i = user; i < q; ) {
          i = IDENTS.put(dv, i, IDENTS.pick(rng.bits()));
          b[i++] = (r & 0x200) !== 0 ? 0 : 32;
        }
      }
    } else {
      const f = t * MAX_SLOTS;
      for (let i = 0; i < slots; i++) {
        dv.setInt32(user + i * 8, protoWords[(f + i) * 2]!, true);
        dv.setInt32(user + i * 8 + 4, protoWords[(f + i) * 2 + 1]!, true);
      }
      if ((r & 0xf0) === 0x10) {
        // A freed chunk in tcache: safe-linked next pointer, then the key; stale data after.
        const d = ((r >>> 19) & 0x1ff) - 0x100;
        dv.setInt32(user, ((st.pageLo + d * 16) ^ ((st.pageLo >>> 12) | (st.heapHi << 20))) | 0, true);
        dv.setInt32(user + 4, st.heapHi ^ (st.heapHi >>> 12), true);
        dv.setInt32(user + 8, st.keyLo, true);
        dv.setInt32(user + 12, st.keyHi, true);
      } else {
        const coin = rng.bits();
        for (let i = 0; i < slots; i++) {
          const k = tmplFields[f + i]!;
          if ((((ALWAYS_VARIES | (((coin >>> i) & 1) * OFTEN_VARIES)) >>> k) & 1) !== 0) {
            field(b, dv, user + i * 8, k, st, f + i);
          }
        }
      }
    }
    p += chunk;
  }
}

/** An array page: pointers (a vector, hash buckets), counters, or doubles. */
function heapArray(b: Uint8Array, dv: DataView, end: number, st: HeapState): void {
  const kind = below(rng.bits(), 3);
  b.fill(0, 0, end + 16);
  if (kind === 0) {
    for (let p = 0; p < end; p += 8) {
      const r = rng.bits();
      if ((r & 3) !== 0) heapPtr(dv, p, st, r);
    }
  } else if (kind === 1) {
    // Counters (a histogram, reference counts): many zeros, mostly small.
    for (let p = 0; p < end; p += 4) {
      const r = rng.bits();
      if ((r & 3) !== 0) dv.setInt32(p, (r & 0x1c) === 0 ? (r >>> 8) & 1023 : (r >>> 8) & 15, true);
    }
  } else {
    let v = ((rng.bits() >>> 8) & 1023) / 4;
    for (let p = 0; p < end; p += 8) {
      const r = rng.bits();
      v = (r & 7) === 0 ? 0 : v + ((r >>> 4) & 15) / 8;
      dv.setFloat64(p, v, true);
    }
  }
}

function fillHeap(seed: number, dst: Uint8Array): void {
  rng.reseed(seed);
  const n = dst.length;
  const r0 = rng.bits();
  const skip = (r0 & 31) * 16;
  const end = n + skip;
  const b = scratchFor(end + 640);
  const dv = scratchView();
  const mmap = (r0 & 0x20) !== 0; // a mmap'd arena (0x7f..) or the brk heap (0x55..)
  const st: HeapState = {
    heapHi: (mmap ? 0x7f00 : 0x5500) + ((r0 >>> 8) & 0xff),
    pageLo: rng.bits() & ~0xfff,
    codeHi: (mmap ? 0x7f00 : 0x5500) + ((r0 >>> 16) & 0xff),
    codeLo: rng.bits() & ~0xffff,
    keyLo: rng.bits(),
    keyHi: rng.bits(),
  };
  if (((r0 >>> 24) & 7) !== 0) heapObjects(b, dv, end, st);
  else heapArray(b, dv, end, st);
  dst.set(b.subarray(skip, end));
}

export const heapClass: ContentClass = {
  name: 'heap', code: Cls.Heap, runSeedIndependent: false,
  description: 'anonymous process heap (malloc chunks, 0x55../0x7f.. pointers, small ints, zero runs, strings)',
  fill: fillHeap,
};
