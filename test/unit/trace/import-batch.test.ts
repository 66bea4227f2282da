/**
 * The oracleGeneral reader's batch path (RequestCursor.takeSinglePages, the plain mapping: an
 * object of one page, ids as they are) against a decoder written here from the format's
 * definition: every access's page, time and line, in order, and where the reading stops with
 * which record's error. Files cross the reader's 1 MiB window (43,690 records and 16 bytes), so
 * the batch path hands over to the request-at-a-time path and back inside a batch.
 */

import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import type { FormatOptions } from '../../../src/trace/formats/import/options.js';
import { openImported, oracle, tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

type Rec = readonly [number, bigint, number];
interface Access {
  inode: number;
  index: number;
  t: number;
  line: number;
  write: boolean;
}

/** What the file should give: the accesses, and the 0-based record whose error ends it (-1: none). */
function decode(recs: readonly Rec[], keepTime: boolean, truncated: boolean): { accesses: Access[]; errorAt: number } {
  const accesses: Access[] = [];
  let t0 = -1;
  for (let i = 0; i < recs.length; i++) {
    const [time, id] = recs[i]!;
    if (id >= 2n ** 47n) return { accesses, errorAt: i }; // beyond 2^53, or a page past the filesystem's 2^47
    const page = Number(id);
    let t = -1;
    if (keepTime) {
      const us = time * 1e6;
      if (t0 < 0) t0 = us;
      t = Math.max(0, us - t0);
    }
    accesses.push({ inode: Math.floor(page / 2 ** 20), index: page % 2 ** 20, t, line: i + 1, write: false });
  }
  return { accesses, errorAt: truncated ? recs.length : -1 };
}

/** What the reader gives, through the simulator's cursor; the error message that ended it, or ''. */
function read(file: string, opts: FormatOptions): { accesses: Access[]; error: string } {
  const accesses: Access[] = [];
  try {
    // Opening reads the first request too: an error there is the reading's.
    const c = openImported(file, 'oracleGeneral', opts).fileAccesses();
    while (c.next()) accesses.push({ inode: c.inode, index: c.index, t: c.t, line: c.loc.line, write: c.write });
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return { accesses, error: (e as UsageError).what };
  }
  return { accesses, error: '' };
}

let files = 0;
function check(recs: readonly Rec[], keepTime: boolean, truncate: number): void {
  const bytes = oracle(recs);
  const file = tmp.file(`t${files++}.oracleGeneral.bin`, truncate > 0 ? Buffer.concat([bytes, Buffer.alloc(truncate)]) : bytes);
  const want = decode(recs, keepTime, truncate > 0);
  const got = read(file, keepTime ? { time: 'keep' } : {});
  expect(got.accesses.length).toBe(want.accesses.length);
  expect(got.accesses).toEqual(want.accesses);
  if (want.errorAt < 0) expect(got.error).toBe('');
  else expect(got.error).toMatch(new RegExp(`^record ${want.errorAt}[: ]`));
}

/** Ids mostly below 2^47 (small, near 2^32 and near 2^47), sometimes at or past 2^47, 2^53 or 2^64 - 1. */
const id = fc.oneof(
  { weight: 6, arbitrary: fc.bigInt({ min: 0n, max: 2n ** 20n }) },
  { weight: 3, arbitrary: fc.bigInt({ min: 2n ** 32n - 4n, max: 2n ** 32n + 2n ** 21n }) },
  { weight: 3, arbitrary: fc.bigInt({ min: 2n ** 47n - 3n, max: 2n ** 47n - 1n }) },
  { weight: 1, arbitrary: fc.constantFrom(2n ** 47n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 64n - 1n) },
);
const rec = fc.tuple(fc.nat({ max: 0xffffffff }), id, fc.nat({ max: 1 << 20 })) as fc.Arbitrary<Rec>;

describe('the oracleGeneral batch path', () => {
  it('gives what the format says, on random files: pages, times (time=keep), lines, and the record an error names', () => {
    fc.assert(
      fc.property(fc.array(rec, { maxLength: 80 }), fc.boolean(), fc.constantFrom(0, 0, 0, 5, 23), (recs, keepTime, truncate) => check(recs, keepTime, truncate)),
      { numRuns: 150 },
    );
  });

  it('hands over at the reader window: a file of 50,000 records, with a bad id just past the first window and without', () => {
    const window = Math.floor((1 << 20) / 24); // whole records in the first 1 MiB window: 43,690
    const recs: Rec[] = [];
    let x = 7;
    for (let i = 0; i < 50_000; i++) {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      recs.push([1_000 + (i >> 6), BigInt(x % 3_000_000) + (i % 5 === 0 ? 2n ** 33n : 0n), 4096]);
    }
    check(recs, false, 0);
    check(recs, true, 0);
    const bad = recs.slice();
    bad[window + 1] = [5_000, 2n ** 47n, 10];
    check(bad, false, 0);
    check(recs.slice(0, window + 3), true, 11);
  });
});
