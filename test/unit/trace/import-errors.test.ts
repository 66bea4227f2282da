/**
 * Bad imported traces and bad format options: one line each, naming the
 * file, the line or record, the field or option, and what is accepted.
 */

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { openTrace } from '../../../src/trace/reader.js';
import { drainError, openImported, tempDir, thrown } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const TRACES = resolve(__dirname, '../../../../shared/traces');

const bin = (name: string, buf: Buffer): string => tmp.file(name, buf);

function oneLine(m: string): string {
  expect(m).not.toContain('\n');
  return m;
}

describe('bad files', () => {
  it('a truncated oracleGeneral record (the real sample plus 20 bytes), at the end of the stream', () => {
    const real = readFileSync(join(TRACES, 'cloudPhysicsIO.oracleGeneral.bin'));
    const p = bin('cloudPhysicsIO.oracleGeneral.bin', Buffer.concat([real, real.subarray(0, 20)]));
    const src = openTrace(p); // the first record is fine: opening works
    let n = 0;
    const m = thrown(() => {
      for (const _ of src.eventsSync()) n++;
    });
    expect(n).toBe(113_872);
    expect(oneLine(m)).toBe(`${p}: record 113872 is truncated (20 of 24 bytes)`);
  });

  it('a truncated vscsi record, and a file that is not vscsi', () => {
    const real = readFileSync(join(TRACES, 'cloudPhysicsIO.vscsi')).subarray(0, 32 * 10 + 7);
    expect(drainError(() => openTrace(bin('t.vscsi', real)))).toBe(`${join(tmp.dir, 't.vscsi')}: record 10 is truncated (7 of 32 bytes)`);
    const junk = bin('junk.vscsi', Buffer.alloc(96, 0x41));
    expect(oneLine(thrown(() => openTrace(junk)))).toBe(
      `${junk}: not a vscsi trace: the first records carry no version 1 or 2 mark (accepted: vscsi version 1 (32-byte) or 2 (40-byte) records; or version=1|2)`,
    );
  });

  it('an unknown SCSI command', () => {
    const b = Buffer.alloc(64);
    for (const i of [0, 1]) {
      b.writeUInt16LE(i === 0 ? 0x28 : 0x35, i * 32 + 12);
      b.writeUInt16LE(0x100, i * 32 + 14);
    }
    const p = bin('cmd.vscsi', b);
    expect(drainError(() => openTrace(p))).toBe(
      `${p}, field 'cmd': record 1: SCSI command 0x35 is neither a read nor a write (accepted: READ 08/28/a8/88, WRITE 0a/2a/aa/8a; or unknown-op=read|skip)`,
    );
    expect([...openTrace(p, { formatOptions: { 'unknown-op': 'skip' } }).eventsSync()].length).toBe(1);
  });

  it('a wrong csv column spec: at open, on the first data line', () => {
    const csv = join(TRACES, 'cloudPhysicsIO.csv');
    expect(oneLine(thrown(() => openTrace(csv, { formatOptions: { 'obj-id-col': 9 } })))).toBe(
      `${csv}:2, field 'obj-id-col': column 9 does not exist in line 2 (5 columns) (accepted: columns 1..5)`,
    );
    expect(thrown(() => openTrace(csv, { formatOptions: { 'obj-id-col': 5, 'obj-size-col': 3 } }))).toBe(
      `${csv}:2, field 'obj-size-col': '2a' is not a size in bytes (accepted: an unsigned integer)`,
    );
    const noHeader = tmp.file('nh.csv', '1,2,3\n');
    expect(thrown(() => openTrace(noHeader))).toBe(
      `${noHeader}, field 'obj-id-col': input format csv: required: the file has no header line that names the columns (accepted: obj-id-col=N (1-based), e.g. --format-opt obj-id-col=5,obj-size-col=4,time-col=2,op-col=3)`,
    );
    const unnamed = tmp.file('un.csv', 'a,b\n1,2\n');
    expect(thrown(() => openTrace(unnamed))).toContain("field 'obj-id-col': input format csv: not given, and no column of the header line names the id (header: a, b)");
  });

  it('a short line later in the file, a bad time and an unknown operation', () => {
    const p = tmp.file('later.csv', 'time,op,size,lbn\n1,r,512,0\n2,w,512\n');
    expect(drainError(() => openTrace(p))).toBe(`${p}:3, field 'obj-id-col': column 4 does not exist in line 3 (3 columns) (accepted: columns 1..3)`);
    const t = tmp.file('time.csv', 'time,lbn\nnoon,1\n');
    expect(thrown(() => openTrace(t))).toBe(`${t}:2, field 'time-col': 'noon' is not a time (accepted: a number >= 0)`);
    const op = tmp.file('op.csv', 'key,op\n1,get\n2,delete\n');
    expect(drainError(() => openTrace(op))).toMatch(new RegExp(`^${op.replace(/[.]/g, '\\.')}:3, field 'op-col': unknown operation 'delete' \\(accepted: r, read, get, .*; or unknown-op=read\\|skip\\)$`));
  });

  it('a non-numeric id', () => {
    const txt = tmp.file('ids.txt', '12\n34\nabc\n');
    expect(drainError(() => openTrace(txt))).toBe(
      `${txt}:3, field 'id': 'abc' is not an unsigned integer (accepted: decimal object ids, or obj-id-is-num=false to hash text ids)`,
    );
    const csv = tmp.file('ids.csv', 'obj_id\n-5\n');
    expect(thrown(() => openTrace(csv))).toBe(
      `${csv}:2, field 'obj-id-col': '-5' is not an unsigned integer (accepted: decimal object ids, or obj-id-is-num=false to hash text ids)`,
    );
    const pr = tmp.file('p.pageref', '1\n2.5\n');
    expect(drainError(() => openTrace(pr))).toContain(":2, field 'page': '2.5' is not an unsigned integer");
  });

  it('ids beyond 2^53, pages beyond 2^47', () => {
    const b = Buffer.alloc(24);
    b.writeBigUInt64LE(2n ** 60n, 4);
    const p = bin('big.oracleGeneral.bin', b);
    expect(thrown(() => openTrace(p))).toBe(`${p}, field 'id': record 0: id 1152921504606846976 is beyond 2^53-1 (accepted: ids up to 2^53-1, or hash-ids=true to hash ids into page numbers)`);
    const far = tmp.file('far.txt', `${2 ** 47}\n`);
    expect(thrown(() => openTrace(far))).toBe(
      `${far}:1, field 'id': id 140737488355328 is page 140737488355328, beyond the 2^47 pages a filesystem holds (inode < 2^27, index < 2^20) (accepted: smaller ids, or hash-ids=true)`,
    );
    const huge = tmp.file('huge.txt', '99999999999999999999999\n');
    expect(thrown(() => openTrace(huge))).toContain("field 'id': id 99999999999999999999999 is beyond 64 bits");
  });

  it('a missing file', () => {
    const m = thrown(() => openImported(join(tmp.dir, 'nope.vscsi'), 'vscsi'));
    expect(m).toMatch(/nope\.vscsi: cannot read trace: ENOENT/);
  });
});

describe('bad format options', () => {
  const txt = tmp.file('ok.txt', '1\n');

  it('an unknown option lists the accepted ones', () => {
    const e = (() => {
      try {
        openTrace(txt, { formatOptions: { 'page-sise': 4096 } });
      } catch (x) {
        return x as UsageError;
      }
      throw new Error('no error');
    })();
    expect(e).toBeInstanceOf(UsageError);
    expect(e.message).toBe(
      "field '--format-opt': unknown option 'page-sise' for input format txt (accepted: page-size, addressing, sector-size, obj-pages, max-pages, hash-ids, time, fs, ram-mb, backend, content, obj-id-is-num)",
    );
  });

  it('bad values name the option', () => {
    expect(thrown(() => openTrace(txt, { formatOptions: { 'page-size': 1000 } }))).toBe(
      "field 'page-size': input format txt: 1000 is not a power of two (accepted: a power of two 512..1048576)",
    );
    expect(thrown(() => openTrace(txt, { formatOptions: { 'max-pages': 'lots' } }))).toBe(
      "field 'max-pages': input format txt: 'lots' is not an integer (accepted: an integer 1..65536)",
    );
    expect(thrown(() => openTrace(txt, { formatOptions: { addressing: 'page' } }))).toBe("field 'addressing': input format txt: unknown value 'page' (accepted: block, object)");
    expect(thrown(() => openTrace(txt, { formatOptions: { 'hash-ids': 'maybe' } }))).toContain("'maybe' is not a boolean");
    expect(thrown(() => openTrace(txt, { formatOptions: { addressing: 'block', 'hash-ids': true } }))).toContain('hashed ids have no block addresses');
    expect(thrown(() => openTrace(txt, { formatOptions: { 'sector-size': 512 } }))).toContain('sector-size applies to block addressing');
    expect(thrown(() => openTrace(txt, { formatOptions: { content: 'lorem' } }))).toMatch(/^field 'content': input format txt: .*lorem/);
    expect(thrown(() => openTrace(tmp.file('d.csv', 'id\n1\n'), { formatOptions: { delimiter: '::' } }))).toContain("'::' is not a one-character delimiter");
  });

  it('tmemsim formats take no options; an unknown format lists them all', () => {
    const j = tmp.file('t.jsonl', '{"format":"tmemsim-trace","version":1,"config":{}}\n');
    expect(thrown(() => openTrace(j, { formatOptions: { 'page-size': 4096 } }))).toBe(
      "field '--format-opt': input format jsonl takes no format options (got page-size) (accepted: csv, txt, oracleGeneral, vscsi, pageref, bpftrace)",
    );
    expect(openTrace(j, { formatOptions: {} }).header.version).toBe(1);
    expect(thrown(() => openTrace(txt, { format: 'lcs' }))).toBe("unknown input format 'lcs' (accepted: json, jsonl, tmtb, csv, txt, oracleGeneral, vscsi, pageref, bpftrace)");
  });
});
