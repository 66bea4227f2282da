/**
 * libCacheSim's oracleGeneral binary trace: 24-byte little-endian records
 *
 *   u32 time (seconds), u64 object id, u32 size (bytes), i64 next access (virtual time, -1 = never)
 *
 * with no header. The next-access field is ignored (tmemsim computes no
 * oracle policy from it). Requests are reads; object addressing by default.
 * A name ending in .gz is inflated on the fly (zstd is not read).
 */

import { BinaryCursor } from './import/binary-cursor.js';
import type { IdPolicy } from './import/ids.js';
import { u32le } from './import/records.js';
import { INDEX_PAGES, PAGE_LIMIT, type ImportFormat, type PageBatch, type RequestCursor } from './import/source.js';

const ORACLE_GENERAL_RECORD = 24;
const RECORD_WORDS = ORACLE_GENERAL_RECORD / 4;
/** An id's high word from which its page is PAGE_LIMIT (2^47) or more: 2^47 / 2^32. */
const ID_HI_LIMIT = PAGE_LIMIT / 4294967296;
/** A page's index is its low INDEX_BITS bits; the inode the rest (INDEX_PAGES = 2^INDEX_BITS). */
const INDEX_BITS = Math.log2(INDEX_PAGES);
/** Inodes an id's high word spans: 2^32 / INDEX_PAGES. */
const INODES_PER_HI = 4294967296 / INDEX_PAGES;

class OracleGeneralCursor extends BinaryCursor implements RequestCursor {
  constructor(
    file: string,
    private readonly ids: IdPolicy,
  ) {
    super(file, ORACLE_GENERAL_RECORD);
  }

  next(): boolean {
    const rec = this.rec;
    const p = rec.next();
    if (p < 0) return false;
    // A record's four words in one load each (a record starts at a multiple of 24, so of 4), not
    // byte by byte: this runs once a request.
    const w = rec.words;
    let time: number, lo: number, hi: number, size: number;
    if (w !== null) {
      const q = p >> 2;
      time = w[q]!;
      lo = w[q + 1]!;
      hi = w[q + 2]!;
      size = w[q + 3]!;
    } else {
      const b = rec.buf;
      time = u32le(b, p);
      lo = u32le(b, p + 4);
      hi = u32le(b, p + 8);
      size = u32le(b, p + 12);
    }
    const r = this.req;
    r.time = time * 1e6;
    // An id below 2^53 kept as it is (hash-ids=false, the default) without a call: a call V8
    // does not inline returns a number beyond 2^31 boxed, a new heap number each time.
    r.id = hi < 0x200000 && !this.ids.hash ? hi * 4294967296 + lo : this.idOf(hi, lo);
    r.size = size;
    return true;
  }

  /**
   * RequestCursor.takeSinglePages: the records in memory, decoded in one loop into the page
   * batch (the plain mapping: the page is the id). Stops before an id of 2^47 or more (its high
   * word 2^15 or more), which next() maps or refuses; 0 where the words cannot be read as such
   * (a big-endian host, an unaligned window: next() reads the bytes then).
   */
  takeSinglePages(b: PageBatch, from: number, max: number): number {
    const rec = this.rec;
    const w = rec.words;
    const n = Math.min(max, rec.available());
    if (w === null || n <= 0) return 0;
    // The arrays and the constants in locals: about 8 instructions a record fewer (measured under
    // cachegrind) than reading them through b and the module's bindings in the loop.
    const { inodes, indexes, times, lines, writes } = b;
    const hiLimit = ID_HI_LIMIT;
    const inodesPerHi = INODES_PER_HI;
    const indexBits = INDEX_BITS;
    const indexMask = INDEX_PAGES - 1;
    const words = RECORD_WORDS;
    const line0 = rec.record + 2 - from; // line0 + i: the line of the record at batch index i (1-based)
    const end = from + n;
    let q = rec.offset >> 2;
    let i = from;
    for (; i < end; i++, q += words) {
      const hi = w[q + 2]!;
      if (hi >= hiLimit) break;
      const lo = w[q + 1]!;
      inodes[i] = hi * inodesPerHi + (lo >>> indexBits);
      indexes[i] = lo & indexMask;
      if (times !== null) times[i] = w[q]! * 1e6;
      lines[i] = line0 + i;
      writes[i] = 0;
    }
    rec.take(i - from);
    return i - from;
  }

  /** The id of the 64-bit word hi:lo when it is hashed or beyond 2^53 (IdPolicy's rules). */
  private idOf(hi: number, lo: number): number {
    return hi < 0x200000 ? this.ids.num(hi * 4294967296 + lo) : this.ids.u64(hi, lo, this.failId);
  }
}

export const ORACLE_GENERAL_FORMAT: ImportFormat = {
  name: 'oracleGeneral',
  extensions: ['.oraclegeneral.bin', '.oraclegeneral', '.oraclegeneral.bin.gz'],
  description: 'libCacheSim oracleGeneral: 24-byte records u32 time, u64 id, u32 size, i64 next access',
  options: [],
  plan(path) {
    return { addressing: 'object', open: (ids) => new OracleGeneralCursor(path, ids) };
  },
};
