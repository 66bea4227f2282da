/**
 * The request → page mapping of the importers and their options, on small
 * files written here (csv, txt, oracleGeneral, vscsi v1 and v2).
 */

import { afterAll, describe, expect, it } from 'vitest';
import type { FileEvent } from '../../../src/trace/events.js';
import { collectFormatOption, splitOptionList } from '../../../src/trace/formats/import/options.js';
import type { FormatOptions } from '../../../src/trace/formats/import/options.js';
import { openTrace } from '../../../src/trace/reader.js';
import { IMPORT_FORMATS } from '../../../src/trace/formats/import/open.js';
import { OBJ_ID_IS_NUM } from '../../../src/trace/formats/import/source.js';
import { collectSync, importedPages, openImported, oracle, tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const bin = (name: string, buf: Buffer): string => tmp.file(name, buf);

/** Events as [page, write, t?] triples. */
function pages(file: string, format: string, opts?: FormatOptions): (number | boolean)[][] {
  return importedPages(file, format, opts).map(({ page, event: e }) => (e.t !== undefined ? [page, e.write ?? false, e.t] : [page, e.write ?? false]));
}

/** vscsi records: [cmd, lbn, len, ts µs]. */
function vscsi(version: 1 | 2, records: [number, number, number, number][]): Buffer {
  const size = version === 1 ? 32 : 40;
  const b = Buffer.alloc(size * records.length);
  records.forEach(([cmd, lbn, len, ts], i) => {
    const p = i * size;
    if (version === 1) {
      b.writeUInt32LE(i, p);
      b.writeUInt32LE(len, p + 4);
      b.writeUInt32LE(1, p + 8);
      b.writeUInt16LE(cmd, p + 12);
      b.writeUInt16LE(0x100, p + 14);
    } else {
      b.writeUInt16LE(cmd, p);
      b.writeUInt16LE(0x200, p + 2);
      b.writeUInt32LE(i, p + 4);
      b.writeUInt32LE(len, p + 8);
      b.writeUInt32LE(1, p + 12);
    }
    b.writeBigUInt64LE(BigInt(lbn), p + 16);
    b.writeBigUInt64LE(BigInt(ts), p + 24);
  });
  return b;
}

describe('block addressing', () => {
  const csv = tmp.file('blk.csv', 'time,op,size,lbn\n10,r,512,0\n10,w,4096,7\n11,R,0,16\n12,2a,8192,8\n\n13,read,1,1000000000\n');

  it('touches every 4 KiB page the sector range overlaps; size 0 touches one page', () => {
    expect(pages(csv, 'csv')).toEqual([
      [0, false],
      [0, true], [1, true], // sectors 7..14: bytes 3584..7679
      [2, false],
      [1, true], [2, true],
      [125000000, false],
    ]);
  });

  it('sector-size, page-size and max-pages change the mapping', () => {
    expect(pages(csv, 'csv', { 'sector-size': 4096 }).map((r) => r[0])).toEqual([0, 7, 16, 8, 9, 1000000000]);
    expect(pages(csv, 'csv', { 'page-size': 8192 }).map((r) => r[0])).toEqual([0, 0, 1, 0, 1, 62500000]);
    expect(pages(csv, 'csv', { 'max-pages': 1 }).map((r) => r[0])).toEqual([0, 0, 2, 1, 125000000]);
  });

  it('time=keep gives t in microseconds since the first request (time-unit s by default)', () => {
    expect(pages(csv, 'csv', { time: 'keep' }).map((r) => r[2])).toEqual([0, 0, 0, 1e6, 2e6, 2e6, 3e6]);
    expect(pages(csv, 'csv', { time: 'keep', 'time-unit': 'ms' }).map((r) => r[2])).toEqual([0, 0, 0, 1e3, 2e3, 2e3, 3e3]);
  });

  it('vscsi version 1 and 2 records give the same requests; lbn is in 512-byte sectors; ts in µs', () => {
    const recs: [number, number, number, number][] = [[0x28, 0, 512, 1000], [0x2a, 7, 4096, 1500], [0x88, 16, 0, 2500], [0x8a, 8, 8192, 3000]];
    const v1 = bin('a.vscsi', vscsi(1, recs));
    const v2 = bin('b.vscsi', vscsi(2, recs));
    const want = [[0, false, 0], [0, true, 500], [1, true, 500], [2, false, 1500], [1, true, 2000], [2, true, 2000]];
    expect(pages(v1, 'vscsi', { time: 'keep' })).toEqual(want);
    expect(pages(v2, 'vscsi', { time: 'keep' })).toEqual(want);
    expect(pages(v2, 'vscsi', { version: '2' })).toEqual(want.map((r) => r.slice(0, 2)));
    // A single record is enough to detect the version.
    expect(pages(bin('one.vscsi', vscsi(2, [[0x2a, 80, 512, 0]])), 'vscsi')).toEqual([[10, true]]);
    expect(pages(bin('empty.vscsi', Buffer.alloc(0)), 'vscsi')).toEqual([]);
  });
});

describe('object addressing', () => {
  const og = bin('o.oracleGeneral.bin', oracle([[1, 5n, 100], [2, 5n, 9000], [3, 2n ** 40n, 4096], [3, 0n, 0]]));

  it('one object is one page by default, whatever its size', () => {
    expect(pages(og, 'oracleGeneral')).toEqual([[5, false], [5, false], [2 ** 40, false], [0, false]]);
  });

  it('obj-pages=N: object id owns pages id*N..id*N+N-1 and a request touches ceil(size/page-size) of them (1..N)', () => {
    expect(pages(og, 'oracleGeneral', { 'obj-pages': 4 }).map((r) => r[0])).toEqual([20, 20, 21, 22, 2 ** 42, 0]);
    const txt = tmp.file('o.txt', '3\n\n1\n');
    expect(pages(txt, 'txt', { 'obj-pages': 2 }).map((r) => r[0])).toEqual([6, 7, 2, 3]); // no size: all N
  });

  it('page p is inode p >> 20, index p & 0xFFFFF', () => {
    const evs = [...openImported(og, 'oracleGeneral').eventsSync()].map((x) => ({ ...x.event }));
    expect(evs[2]).toEqual({ op: 'file', fs: 1, inode: 2 ** 20, index: 0 });
    const e = openImported(tmp.file('big.txt', `${2 ** 47 - 1}\n`), 'txt').eventsSync().next().value!.event;
    expect(e).toEqual({ op: 'file', fs: 1, inode: 2 ** 27 - 1, index: 2 ** 20 - 1 });
  });

  it('hash-ids folds 64-bit ids into page numbers, deterministically; text ids are hashed with obj-id-is-num=false', () => {
    const big = bin('big.oracleGeneral.bin', oracle([[0, 2n ** 63n + 5n, 1], [0, 7n, 1], [0, 2n ** 63n + 5n, 1]]));
    const a = pages(big, 'oracleGeneral', { 'hash-ids': true }).map((r) => r[0] as number);
    expect(a[0]).toBe(a[2]);
    expect(a[0]).not.toBe(a[1]);
    expect(a.every((p) => p < 2 ** 47)).toBe(true);
    expect(pages(big, 'oracleGeneral', { 'hash-ids': 'true' }).map((r) => r[0])).toEqual(a);
    const keys = tmp.file('keys.csv', 'key,size,op\nuser:1,10,get\nuser:2,10,set\nuser:1,10,get\n');
    const k = pages(keys, 'csv', { 'obj-id-is-num': false });
    expect(k.map((r) => r[1])).toEqual([false, true, false]);
    expect(k[0]![0]).toBe(k[2]![0]);
    expect(k[0]![0]).not.toBe(k[1]![0]);
  });

  it('obj-id-is-num is an option of exactly the formats listing OBJ_ID_IS_NUM (csv, txt); the others refuse it', () => {
    expect([...IMPORT_FORMATS.values()].filter((f) => f.options.includes(OBJ_ID_IS_NUM)).map((f) => f.name).sort()).toEqual(['csv', 'txt']);
    const words = tmp.file('words.txt', 'alpha\nbeta\nalpha\n');
    const w = pages(words, 'txt', { 'obj-id-is-num': 'false' }).map((r) => r[0]);
    expect(w[0]).toBe(w[2]);
    expect(w[0]).not.toBe(w[1]);
    expect(() => pages(words, 'txt')).toThrow(/not an unsigned integer/);
    const og = bin('one.oracleGeneral.bin', oracle([[0, 7n, 1]]));
    expect(() => pages(og, 'oracleGeneral', { 'obj-id-is-num': 'false' })).toThrow(/unknown option 'obj-id-is-num'/);
  });
});

describe('csv columns and header', () => {
  it('a libCacheSim column spec, with or without a header line', () => {
    const spec = 'time-col=2,obj-id-col=5,obj-size-col=4,op-col=3,delimiter=,';
    const withHeader = tmp.file('spec.csv', 'v,t,o,s,x\n1,5,2a,512,8\n1,6,28,512,9\n');
    const noHeader = tmp.file('spec2.csv', '1,5,2a,512,8\n1,6,28,512,9\n');
    const opts = collectFormatOption(spec);
    expect(opts).toEqual({ 'time-col': '2', 'obj-id-col': '5', 'obj-size-col': '4', 'op-col': '3', delimiter: ',' });
    // No header name says "block": object addressing, one page per id.
    expect(pages(withHeader, 'csv', opts)).toEqual([[8, true], [9, false]]);
    expect(pages(noHeader, 'csv', opts)).toEqual([[8, true], [9, false]]);
    expect(pages(noHeader, 'csv', { ...opts, addressing: 'block' })).toEqual([[1, true], [1, false]]);
    expect(pages(withHeader, 'csv', { ...opts, header: 'true' })).toEqual([[8, true], [9, false]]);
  });

  it('other delimiters, quoted fields, CRLF line ends, blank lines, a BOM', () => {
    const tsv = tmp.file('t.tsv', '\ufeffid\tsize\r\n"12"\t1\r\n\r\n13\t1');
    expect(pages(tsv, 'csv', { delimiter: 'tab' }).map((r) => r[0])).toEqual([12, 13]);
    const sp = tmp.file('s.txt', '  4   100 w\n5 1 r\n');
    expect(pages(sp, 'csv', { delimiter: 'space', 'obj-id-col': 1, 'op-col': 3 })).toEqual([[4, true], [5, false]]);
  });

  it('splitting a --format-opt list keeps a comma delimiter', () => {
    expect(splitOptionList('delimiter=,,header=true')).toEqual([['delimiter', ','], ['header', 'true']]);
    expect(splitOptionList('header=true,delimiter=,')).toEqual([['header', 'true'], ['delimiter', ',']]);
    expect(collectFormatOption('page-size=8192', { 'obj-pages': '2' })).toEqual({ 'obj-pages': '2', 'page-size': '8192' });
  });

  it('unknown-op=read or skip', () => {
    const f = tmp.file('ops.csv', 'key,op\n1,get\n2,delete\n3,set\n');
    expect(pages(f, 'csv', { 'unknown-op': 'read' })).toEqual([[1, false], [2, false], [3, true]]);
    expect(pages(f, 'csv', { 'unknown-op': 'skip' })).toEqual([[1, false], [3, true]]);
  });
});

describe('the header of an imported trace', () => {
  it('ram-mb, backend, content and fs options fill it; openTrace passes formatOptions', () => {
    const f = tmp.file('h.txt', '1\n2\n');
    const src = openTrace(f, { formatOptions: { 'ram-mb': 128, backend: 'zcache', content: 'text:3+zero:1', fs: 7 } });
    expect(src.header.config).toMatchObject({ ram_mb: 128, backend: 'zcache', mounts: [{ fs: 7 }] });
    expect(src.header.content).toEqual({ default: { text: 3, zero: 1 } });
    expect([...src.eventsSync()].map((e) => (e.event as FileEvent).fs)).toEqual([7, 7]);
    expect(openTrace(f, { format: 'txt', formatOptions: { backend: 'none' } }).header.config.backend).toBeUndefined();
  });

  it('every pass re-reads the file, and locations are the request lines', () => {
    const f = tmp.file('loc.csv', 'lbn,size\n0,8192\n\n16,512\n');
    const src = openImported(f, 'csv');
    const locs = collectSync(src).map((e) => [e.line, e.index]); // loc objects are reused: copied as they come
    expect(locs).toEqual([[2, 0], [2, 1], [4, 2]]);
    expect([...src.eventsSync()].length).toBe(3);
  });
});
