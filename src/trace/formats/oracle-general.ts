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
import { readU64, u32le, u64hi, u64lo } from './import/records.js';
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
    const p = this.rec.next();
    if (p < 0) return false;
    const b = this.rec.buf;
    const r = this.req;
    r.time = u32le(b, p) * 1e6;
    const id = readU64(b, p + 4);
    r.id = id >= 0 ? this.ids.num(id) : this.ids.u64(u64hi, u64lo, this.failId);
    r.size = u32le(b, p + 12);
    return true;
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
