/**
 * The page cache's slots, its shadow entries and the shadow-node shrinker (mm/workingset.c,
 * do_shrink_slab with seeks = 0), against counts worked out by hand here.
 */
import { describe, expect, it } from 'vitest';
import { PageCache } from '../../../src/mm/page-cache.js';

/** Page key of page `i` of node `node` (64 keys a node). */
const key = (node: number, i = 0): number => node * 64 + i;

/** `nodes` nodes of one page each (page n's id n), read in then evicted in node order (oldest first), shadow 2n. */
function singlePageNodes(nodes: number): PageCache {
  const s = new PageCache();
  for (let n = 0; n < nodes; n++) s.add(key(n), n);
  for (let n = 0; n < nodes; n++) s.remove(key(n), 2 * n);
  return s;
}

describe('PageCache', () => {
  it('finds each page in its slot, and only there', () => {
    const s = new PageCache();
    s.add(key(7, 3), 30); // a lone page: the node's table entry alone
    expect(s.get(key(7, 3))).toBe(30);
    expect(s.get(key(7, 4))).toBe(-1);
    expect(s.get(key(8, 3))).toBe(-1);
    s.add(key(7, 40), 31); // a second page: the node takes a record and a block
    expect([s.get(key(7, 3)), s.get(key(7, 40)), s.get(key(7, 41))]).toEqual([30, 31, -1]);
    s.remove(key(7, 3), -1); // one page again
    expect([s.get(key(7, 3)), s.get(key(7, 40))]).toEqual([-1, 31]);
    s.add(2 ** 40 + 5, 32); // a key beyond 2^32
    expect(s.get(2 ** 40 + 5)).toBe(32);
    expect(s.size).toBe(2);
    expect(s.keyList().sort((a, b) => a - b)).toEqual([key(7, 40), 2 ** 40 + 5]);
  });

  it('lists a node only while every entry it holds is a shadow', () => {
    const s = new PageCache();
    [0, 1, 2].forEach((i) => s.add(key(7, i), i));
    s.remove(key(7, 0), 10);
    s.remove(key(7, 1), 12);
    expect(s.listed).toBe(0); // page 2 is still in the page cache
    s.remove(key(7, 2), 14);
    expect(s.listed).toBe(1);
    expect(s.shadows).toBe(3);
    expect(s.get(key(7, 1))).toBe(-1); // a shadow is no page
    expect(s.add(key(7, 1), 5)).toBe(12); // the page comes back: its shadow is read and gone
    expect(s.get(key(7, 1))).toBe(5);
    expect(s.listed).toBe(0);
    expect(s.shadows).toBe(2);
    s.remove(key(7, 1), -1); // truncated page: the node holds shadows only again
    expect(s.listed).toBe(1);
  });

  it('does nothing while the listed nodes are within one per 8 LRU and slab pages', () => {
    const s = singlePageNodes(100);
    s.shrink(800); // max_nodes = 800 >> 3 = 100
    expect(s.listed).toBe(100);
    expect(s.reclaimed).toBe(0);
  });

  it('frees half the excess (and the deferred rest) in batches of 128, oldest nodes first', () => {
    const s = singlePageNodes(1000);
    // max_nodes 100, freeable 900, delta 450: batches 128 + 128 + 128, then 66 < 128 and < 900 stops; 66 deferred.
    s.shrink(800);
    expect(s.reclaimed).toBe(384);
    expect(s.listed).toBe(616);
    expect(s.add(key(383), 383)).toBe(-1); // the 384 oldest nodes lost their shadows
    expect(s.add(key(384), 384)).toBe(2 * 384);
    // The refault took node 384 off the list: 615 listed, freeable 515, delta 257, plus 66 deferred = 323:
    // two batches (256), 67 left and deferred.
    s.shrink(800);
    expect(s.reclaimed).toBe(384 + 256);
    expect(s.listed).toBe(615 - 256);
    expect(s.add(key(384 + 1 + 255), 0)).toBe(-1);
    expect(s.add(key(384 + 1 + 256), 1)).toBe(2 * (384 + 1 + 256));
  });

  it('scans everything left when the scan reaches the excess (total >= freeable)', () => {
    const s = singlePageNodes(150);
    // max_nodes 100, freeable 50, delta 25: 25 < 128 and < 50, nothing scanned, 25 deferred;
    // next call: 25 + 25 = 50 >= freeable: one batch of 50.
    s.shrink(800);
    expect(s.reclaimed).toBe(0);
    s.shrink(800);
    expect(s.reclaimed).toBe(50);
    expect(s.listed).toBe(100);
  });

  it('frees every shadow of a node, in either half of its 64 slots', () => {
    const s = new PageCache();
    const slots = [0, 5, 31, 32, 40, 63];
    for (const i of slots) s.add(key(3, i), i);
    for (const i of slots) s.remove(key(3, i), 100 + i);
    s.add(key(4), 99);
    s.remove(key(4), 7); // a newer node
    expect(s.shadows).toBe(7);
    s.shrink(0); // max_nodes 0, freeable 2, delta 1: 1 < 128 and < 2, deferred; then 1 + 1 = 2 >= 2
    s.shrink(0);
    expect(s.reclaimed).toBe(2);
    expect(s.shadows).toBe(0);
    for (const i of slots) expect(s.add(key(3, i), i)).toBe(-1);
  });

  it('truncation drops the shadows of the files it names and keeps the others', () => {
    const s = singlePageNodes(10);
    s.truncate((k) => k < key(4));
    expect(s.listed).toBe(6);
    expect(s.shadows).toBe(6);
    expect(s.add(key(3), 3)).toBe(-1);
    expect(s.add(key(4), 4)).toBe(8);
  });
});
