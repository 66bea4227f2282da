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
import type { ImportFormat, RequestCursor } from './import/source.js';

const ORACLE_GENERAL_RECORD = 24;

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
