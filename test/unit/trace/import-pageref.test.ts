/**
 * Page-reference traces, plain and gzip (made here with zlib), and the
 * checks of the gzip stream: corrupt data, a truncated file, a bad CRC.
 */

import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { crc32, crc32js } from '../../../src/trace/formats/import/bytes.js';
import { openTrace } from '../../../src/trace/reader.js';
import { drainError, importedPages, tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const bin = (name: string, buf: Buffer): string => tmp.file(name, buf);

function pagesOf(file: string, format = 'pageref'): number[] {
  return importedPages(file, format).map((p) => p.page);
}

/** A LIRS-like trace: page numbers with a loop and some reuse. */
const N = 200_000;
const refs = Array.from({ length: N }, (_, i) => (i % 3 === 0 ? (i * 7919) % 5000 : i % 1234));
const text = `# a comment\n*\n${refs.join('\n')}\n\n*\n`;

describe('pageref', () => {
  const plain = tmp.file('lirs.pageref', text);
  const gz = bin('lirs.pageref.gz', gzipSync(Buffer.from(text)));

  it('reads one page number per line, skipping comments, blank lines and * separators', () => {
    const p = pagesOf(plain);
    expect(p.length).toBe(N);
    expect(p).toEqual(refs);
    const src = openTrace(plain);
    expect(src.header.config.description).toContain('(pageref; object addressing');
    const first = src.eventsSync().next().value!;
    expect(first.loc.line).toBe(3);
  });

  it('gives the same events from a gzip file (several inflate chunks), by magic whatever the name', () => {
    expect(pagesOf(gz)).toEqual(refs);
    const disguised = bin('lirs.trace', gzipSync(Buffer.from(text)));
    expect(pagesOf(disguised)).toEqual(refs);
    expect(openTrace(gz).header.config.description).toContain('lirs.pageref.gz (pageref');
  });

  it('reads gzip of several members', () => {
    const two = bin('two.pageref.gz', Buffer.concat([gzipSync(Buffer.from('1\n2\n')), gzipSync(Buffer.from('3\n4'))]));
    expect(pagesOf(two)).toEqual([1, 2, 3, 4]);
  });

  it('txt and csv read gzip too', () => {
    expect(pagesOf(bin('t.txt.gz', gzipSync(Buffer.from('5\n6\n'))), 'txt')).toEqual([5, 6]);
    expect(pagesOf(bin('t.csv.gz', gzipSync(Buffer.from('obj_id\n5\n6\n'))), 'csv')).toEqual([5, 6]);
  });

  it('a corrupt gzip file is one error line naming the file', () => {
    const good = gzipSync(Buffer.from(text));
    const flipped = Buffer.from(good);
    for (let i = 200; i < 260; i++) flipped[i] ^= 0x5a;
    const bad = bin('bad.pageref.gz', flipped);
    const m = drainError(() => openTrace(bad));
    expect(m).toMatch(/^.*bad\.pageref\.gz: gzip data is corrupt: .+ \(after \d+ inflated bytes\)$/);
    expect(m).not.toContain('\n');

    const cut = bin('cut.pageref.gz', good.subarray(0, good.length - 100));
    expect(drainError(() => openTrace(cut))).toMatch(/cut\.pageref\.gz: gzip data is corrupt: /);

    const crc = Buffer.from(good);
    crc[crc.length - 6]! ^= 0xff;
    expect(drainError(() => openTrace(bin('crc.pageref.gz', crc)))).toMatch(/crc\.pageref\.gz: gzip data is corrupt: CRC-32 mismatch \(after \d+ inflated bytes\)/);

    const noTrailer = bin('short.pageref.gz', good.subarray(0, good.length - 4));
    expect(drainError(() => openTrace(noTrailer))).toMatch(/gzip data is corrupt/);
  });

  it('crc32 is the IEEE CRC gzip uses', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.from('6789'), crc32(Buffer.from('12345')))).toBe(0xcbf43926);
    expect(crc32js(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32js(Buffer.from('6789'), crc32js(Buffer.from('12345')))).toBe(0xcbf43926);
  });
});
