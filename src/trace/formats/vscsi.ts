/**
 * VMware vscsi block traces (as libCacheSim reads them), little-endian
 * records with no header:
 *
 *   version 1, 32 bytes: u32 sn, u32 len, u32 nSG, u16 cmd, u16 ver, u64 lbn, u64 ts
 *   version 2, 40 bytes: u16 cmd, u16 ver, u32 sn, u32 len, u32 nSG, u64 lbn, u64 ts, u64 rt
 *
 * `ver >> 8` is the version; like libCacheSim, the version is detected
 * from the first two records (version 2 is tried first) unless
 * `version=1|2` says it. lbn is in 512-byte sectors, len in bytes, ts in
 * microseconds. cmd is the SCSI opcode: READ(6/10/12/16) = 08/28/a8/88
 * are reads, WRITE(6/10/12/16) = 0a/2a/aa/8a are writes; any other command
 * is an error unless `unknown-op=read|skip`. Block addressing by default.
 */

import { UsageError } from '../../errors.js';
import { BinaryCursor } from './import/binary-cursor.js';
import type { IdPolicy } from './import/ids.js';
import type { OptionReader } from './import/options.js';
import { readU64, RecordCursor, u64hi, u64lo } from './import/records.js';
import type { ImportFormat, RequestCursor } from './import/source.js';

export type UnknownOp = 'error' | 'read' | 'skip';

const READS = new Set([0x08, 0x28, 0xa8, 0x88]);
const WRITES = new Set([0x0a, 0x2a, 0xaa, 0x8a]);

interface Layout {
  size: number;
  cmd: number;
  len: number;
}
const V1: Layout = { size: 32, cmd: 12, len: 4 };
const V2: Layout = { size: 40, cmd: 0, len: 8 };
// lbn at 16 and ts at 24 in both.

class VscsiCursor extends BinaryCursor implements RequestCursor {
  constructor(
    file: string,
    private readonly layout: Layout,
    private readonly ids: IdPolicy,
    private readonly unknownOp: UnknownOp,
  ) {
    super(file, layout.size);
  }

  next(): boolean {
    for (;;) {
      const p = this.rec.next();
      if (p < 0) return false;
      const b = this.rec.buf;
      const L = this.layout;
      const cmd = b.readUInt16LE(p + L.cmd) & 0xff;
      const r = this.req;
      if (WRITES.has(cmd)) r.write = true;
      else if (READS.has(cmd)) r.write = false;
      else if (this.unknownOp === 'skip') continue;
      else if (this.unknownOp === 'read') r.write = false;
      else {
        this.fail(`SCSI command 0x${cmd.toString(16).padStart(2, '0')} is neither a read nor a write`, 'cmd',
          'READ 08/28/a8/88, WRITE 0a/2a/aa/8a; or unknown-op=read|skip');
      }
      r.size = b.readUInt32LE(p + L.len);
      const lbn = readU64(b, p + 16);
      r.id = lbn >= 0 ? this.ids.num(lbn) : this.ids.u64(u64hi, u64lo, this.failId);
      const ts = b.readUInt32LE(p + 28) * 4294967296 + b.readUInt32LE(p + 24);
      r.time = ts;
      return true;
    }
  }
}

/** The record layout of a vscsi file: from the first two records, as libCacheSim does. */
function detect(path: string): Layout {
  const c = new RecordCursor(path, 1);
  try {
    const { at, length } = c.peek(80);
    if (length === 0) return V1;
    const b = c.buf;
    const ver = (off: number, stride: number): boolean => {
      const n = Math.min(2, Math.floor(length / stride));
      if (n === 0) return false;
      for (let i = 0; i < n; i++) if (b.readUInt16LE(at + i * stride + off) >> 8 !== (stride === 40 ? 2 : 1)) return false;
      return true;
    };
    if (ver(2, 40)) return V2;
    if (ver(14, 32)) return V1;
    throw new UsageError('not a vscsi trace: the first records carry no version 1 or 2 mark', { file: path }, 'vscsi version 1 (32-byte) or 2 (40-byte) records; or version=1|2');
  } finally {
    c.close();
  }
}

export function unknownOpOption(o: OptionReader): UnknownOp {
  return o.choice<UnknownOp>('unknown-op', 'error', ['error', 'read', 'skip']);
}

// duplicates: alike in shape to lcs-csv.ts's CSV_FORMAT (an ImportFormat entry): one file per trace format, each with
// its own options (the shared ones are COMMON_OPTIONS and OBJ_ID_IS_NUM in import/source.ts).
export const VSCSI_FORMAT: ImportFormat = {
  name: 'vscsi',
  extensions: ['.vscsi', '.vscsi.gz'],
  description: 'VMware vscsi block trace, version 1 (32-byte) or 2 (40-byte) records',
  options: [
    { name: 'version', values: 'auto, 1, 2', default: 'auto', doc: 'record version (auto: from the first two records)' },
    { name: 'unknown-op', values: 'error, read, skip', default: 'error', doc: 'what a SCSI command other than READ/WRITE becomes' },
  ],
  plan(path, o) {
    const v = o.choice('version', 'auto', ['auto', '1', '2']);
    const unknownOp = unknownOpOption(o);
    const layout = v === '1' ? V1 : v === '2' ? V2 : detect(path);
    return { addressing: 'block', open: (ids) => new VscsiCursor(path, layout, ids, unknownOp) };
  },
};
