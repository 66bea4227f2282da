/**
 * File readahead over random read/write/umount sequences, against an
 * independent model written here:
 * - with room for every page (nothing evicted), a page comes into the page
 *   cache at most once per mount: pages read from the filesystem = pages
 *   brought in, each within its file's size (the size given, grown by the
 *   highest page the trace touched); every page the trace reads was brought
 *   in or written; hits + misses = the file events;
 * - under memory pressure, with a cleancache backend (zcache, Xen tmem:
 *   readahead pages go through cleancache_get as in 3.x's
 *   mpage_readpages), the oracle finds no stale and no lost page, and
 *   hits + misses = the file events.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testMachine } from '../helpers/machine.js';
import { getReclaim } from '../../src/mm/reclaim/registry.js';
import { Cls, makeDesc } from '../../src/content/page.js';

type Op =
  | { k: 'read'; inode: number; index: number }
  | { k: 'seq'; inode: number; from: number; n: number }
  | { k: 'write'; inode: number; index: number }
  | { k: 'remount' };

const SIZES = [40, 300];
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ k: fc.constant('read' as const), inode: fc.nat(2), index: fc.nat(320) }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('seq' as const), inode: fc.nat(2), from: fc.nat(300), n: fc.integer({ min: 1, max: 120 }) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('write' as const), inode: fc.nat(2), index: fc.nat(320) }) },
  { weight: 1, arbitrary: fc.constant({ k: 'remount' as const }) },
);

/** The single page accesses of an op sequence (inode 2 has no size: never read ahead). */
function* accesses(ops: Op[]): Generator<{ inode: number; index: number; write: boolean } | null> {
  for (const op of ops) {
    if (op.k === 'remount') yield null;
    else if (op.k === 'seq') for (let i = op.from; i < op.from + op.n; i++) yield { inode: op.inode, index: i, write: false };
    else yield { inode: op.inode, index: op.index, write: op.k === 'write' };
  }
}

describe('file readahead over random sequences', () => {
  it('with room for everything: pages come in once per mount, inside their file, and a page just read is cached', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 60 }), (ops) => {
        const m = testMachine({ ramPages: 65536 });
        m.mount(1);
        m.memory.setFileReadahead(128, SIZES.map((pages, inode) => ({ fs: 1, inode, pages })));
        const size = [...SIZES];
        let unsized = new Set<number>(); // inode 2's pages touched this mount (never read ahead)
        let fileEvents = 0;
        let broughtIn = 0; // pages added by reads, over every mount
        let writeMisses = 0;
        const access = (inode: number, index: number, write: boolean): { read: number; added: number } => {
          fileEvents++;
          const before = m.meter.totals.fsReads;
          const residentBefore = m.memory.fileResident;
          m.memory.fileAccess(1, inode, index, write, write ? makeDesc(Cls.Text, fileEvents) : 0);
          return { read: m.meter.totals.fsReads - before, added: m.memory.fileResident - residentBefore };
        };
        for (const a of accesses(ops)) {
          if (a === null) {
            m.umount(1);
            m.mount(1);
            unsized = new Set();
            continue;
          }
          if (a.inode < 2 && a.index >= size[a.inode]!) size[a.inode] = a.index + 1; // the file grows
          if (a.inode === 2) unsized.add(a.index);
          const r = access(a.inode, a.index, a.write);
          if (a.write) {
            // A full-page write reads nothing and reads nothing ahead.
            expect(r.read).toBe(0);
            expect(r.added).toBeLessThanOrEqual(1);
            writeMisses += r.added;
          } else {
            // Every page a read adds was read from the filesystem (no cleancache here), and nothing else was.
            expect(r.read).toBe(r.added);
            broughtIn += r.added;
            // Unsized files are read page by page.
            if (a.inode === 2) expect(r.added).toBeLessThanOrEqual(1);
            // The page just read is cached: reading it again hits and reads nothing.
            const hits = m.stats.pgcache_hits;
            expect(access(a.inode, a.index, false)).toEqual({ read: 0, added: 0 });
            expect(m.stats.pgcache_hits).toBe(hits + 1);
          }
          // Nothing past a file's end: at most its size in pages, plus the unsized file's pages touched.
          expect(m.memory.fileResident).toBeLessThanOrEqual(size[0]! + size[1]! + unsized.size);
        }
        expect(m.stats.pgcache_hits + m.stats.pgcache_misses).toBe(fileEvents);
        expect(m.meter.totals.fsReads).toBe(broughtIn);
        // Pages read beyond the demand pages are readahead's.
        expect(m.stats.file_ra).toBe(broughtIn - (m.stats.pgcache_misses - writeMisses));
      }),
      { numRuns: 150 },
    );
  });

  for (const [backend, era] of [['zcache', 'lru-3x'], ['xen-tmem', 'lru-3x'], ['xen-tmem', '6.1']] as const) {
    it(`under memory pressure through ${backend} (${era} reclaim): no stale or lost page, every event counted`, () => {
      fc.assert(
        fc.property(fc.array(opArb, { minLength: 1, maxLength: 60 }), (ops) => {
          const m = testMachine({ ramPages: 160, reclaim: getReclaim(era) });
          m.insmod(backend, {});
          m.mount(1);
          m.memory.setFileReadahead(128, SIZES.map((pages, inode) => ({ fs: 1, inode, pages })));
          let fileEvents = 0;
          for (const a of accesses(ops)) {
            if (a === null) {
              m.umount(1);
              m.mount(1);
              continue;
            }
            fileEvents++;
            m.memory.fileAccess(1, a.inode, a.index, a.write, a.write ? makeDesc(Cls.Text, fileEvents) : 0);
            m.memory.balance();
          }
          expect(m.oracle.counts.stale).toBe(0);
          expect(m.oracle.counts.lost).toBe(0);
          expect(m.stats.pgcache_hits + m.stats.pgcache_misses).toBe(fileEvents);
        }),
        { numRuns: 60 },
      );
    });
  }
});
