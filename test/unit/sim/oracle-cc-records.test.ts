/**
 * The oracle's cleancache records (src/sim/oracle.ts, CcRecords in typed
 * arrays) against a model written here: a Map from "fs/inode/index" to the
 * latest put's tag and desc. After any sequence of puts, drops (a page, an
 * inode, a filesystem, all) and checked gets, the oracle counts the records
 * the model holds, and a get is stale exactly when the model has no record
 * for the page, returns another tag than the model's, or (bytes verified)
 * other bytes than the desc the model's record names.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newPageOut } from '../../../src/content/page.js';
import { Oracle } from '../../../src/sim/oracle.js';

type Op =
  | { k: 'put'; fs: number; inode: number; index: number; desc: number }
  | { k: 'drop'; fs: number; inode: number; index: number }
  | { k: 'dropInode'; fs: number; inode: number }
  | { k: 'dropFs'; fs: number }
  | { k: 'dropAll' }
  | { k: 'get'; fs: number; inode: number; index: number; age: number; sameBytes: boolean };

const fs = fc.integer({ min: 0, max: 1 });
// A few inodes and indexes so that operations meet, with the largest a page key may have.
const inode = fc.constantFrom(0, 7, 2 ** 27 - 1);
const index = fc.constantFrom(0, 1, 64, 2 ** 20 - 1);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ k: fc.constant('put' as const), fs, inode, index, desc: fc.integer({ min: 0, max: 255 }) }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('drop' as const), fs, inode, index }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('dropInode' as const), fs, inode }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('dropFs' as const), fs }) },
  { weight: 1, arbitrary: fc.constant({ k: 'dropAll' as const }) },
  // age 0: the get returns the latest tag; 1: an older one (a stale backend)
  { weight: 6, arbitrary: fc.record({ k: fc.constant('get' as const), fs, inode, index, age: fc.constantFrom(0, 0, 0, 1), sameBytes: fc.boolean() }) },
);

/** Content whose page bytes are cheap: a page of desc d holds d in its first byte. */
const content = {
  cheapBytes: () => true,
  sameBytes: (desc: number, bytes: Uint8Array) => bytes[0] === desc,
  hashOfPage: () => 0,
};

function check(verifyBytes: boolean, ops: Op[]): void {
  const o = new Oracle(verifyBytes, content);
  const model = new Map<string, { tag: number; desc: number }>();
  const out = newPageOut();
  let tag = 0;
  let stale = 0;
  for (const op of ops) {
    switch (op.k) {
      case 'put':
        tag++;
        o.ccPut(op.fs, op.inode, op.index, tag, op.desc, 0);
        model.set(`${op.fs}/${op.inode}/${op.index}`, { tag, desc: op.desc });
        break;
      case 'drop':
        o.ccDrop(op.fs, op.inode, op.index);
        model.delete(`${op.fs}/${op.inode}/${op.index}`);
        break;
      case 'dropInode':
        o.ccDropInode(op.fs, op.inode);
        for (const k of [...model.keys()]) if (k.startsWith(`${op.fs}/${op.inode}/`)) model.delete(k);
        break;
      case 'dropFs':
        o.ccDropFs(op.fs);
        for (const k of [...model.keys()]) if (k.startsWith(`${op.fs}/`)) model.delete(k);
        break;
      case 'dropAll':
        o.ccDropAll();
        model.clear();
        break;
      case 'get': {
        const rec = model.get(`${op.fs}/${op.inode}/${op.index}`);
        out.tag = rec === undefined ? 1 : rec.tag - op.age;
        out.filled = true;
        out.bytes[0] = rec === undefined ? 0 : op.sameBytes ? rec.desc : (rec.desc + 1) % 256;
        const ok = o.ccCheckGet(op.fs, op.inode, op.index, out);
        const want = rec !== undefined && op.age === 0 && (!verifyBytes || op.sameBytes);
        expect(ok).toBe(want);
        if (!want) stale++;
        break;
      }
    }
    expect(o.ccRecords()).toBe(model.size);
  }
  expect(o.counts.stale).toBe(stale);
}

describe('oracle cleancache records', () => {
  it('agree with a map of the latest puts after any sequence of operations', () => {
    fc.assert(fc.property(fc.boolean(), fc.array(opArb, { minLength: 20, maxLength: 300, size: 'max' }), check), { numRuns: 300 });
  });

  it('drop the newest record of an inode (its list head), then the inode', () => {
    const o = new Oracle(false, content);
    o.ccPut(1, 5, 1, 1, 0, 0);
    o.ccPut(1, 5, 2, 2, 0, 0);
    o.ccPut(1, 6, 1, 3, 0, 0);
    o.ccDrop(1, 5, 2);
    o.ccPut(1, 6, 2, 4, 0, 0); // takes the freed record's place
    o.ccDropInode(1, 5);
    expect(o.ccRecords()).toBe(2);
    const out = newPageOut();
    out.tag = 4;
    expect(o.ccCheckGet(1, 6, 2, out)).toBe(true);
    out.tag = 1;
    expect(o.ccCheckGet(1, 5, 1, out)).toBe(false);
  });

  it('keep thousands of records of one inode, and drop them with the inode', () => {
    const o = new Oracle(false, content);
    for (let i = 0; i < 5000; i++) o.ccPut(1, 9, i * 200, i + 1, 0, 0);
    for (let i = 0; i < 100; i++) o.ccPut(1, 10, i, 6000 + i, 0, 0);
    expect(o.ccRecords()).toBe(5100);
    for (let i = 0; i < 5000; i += 2) o.ccDrop(1, 9, i * 200);
    expect(o.ccRecords()).toBe(2600);
    o.ccDropInode(1, 9);
    expect(o.ccRecords()).toBe(100);
    const out = newPageOut();
    out.tag = 6050;
    expect(o.ccCheckGet(1, 10, 50, out)).toBe(true);
    out.tag = 2;
    expect(o.ccCheckGet(1, 9, 200, out)).toBe(false);
    expect(o.counts.stale).toBe(1);
  });
});
