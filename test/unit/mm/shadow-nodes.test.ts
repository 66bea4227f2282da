/**
 * The page cache's shadow entries and the shadow-node shrinker (mm/workingset.c,
 * do_shrink_slab with seeks = 0), against counts worked out by hand here.
 */
import { describe, expect, it } from 'vitest';
import { ShadowNodes } from '../../../src/mm/reclaim/shadow-nodes.js';

/** Page key of page `i` of node `node` (64 keys a node). */
const key = (node: number, i = 0): number => node * 64 + i;

/** `nodes` nodes of one page each, read in then evicted in node order (oldest first). */
function singlePageNodes(nodes: number): ShadowNodes {
  const s = new ShadowNodes();
  const at = Array.from({ length: nodes }, (_, n) => s.pageIn(key(n)));
  for (let n = 0; n < nodes; n++) s.evicted(at[n]!, key(n), 2 * n);
  return s;
}

describe('ShadowNodes', () => {
  it('lists a node only while every entry it holds is a shadow', () => {
    const s = new ShadowNodes();
    const n = [0, 1, 2].map((i) => s.pageIn(key(7, i)));
    expect(new Set(n).size).toBe(1); // one node holds the three pages
    s.evicted(n[0]!, key(7, 0), 10);
    s.evicted(n[0]!, key(7, 1), 12);
    expect(s.listed).toBe(0); // page 2 is still in the page cache
    s.evicted(n[0]!, key(7, 2), 14);
    expect(s.listed).toBe(1);
    expect(s.size).toBe(3);
    expect(s.refault(key(7, 1))).toBe(12); // the page comes back: its shadow is read and gone
    expect(s.node).toBe(n[0]);
    expect(s.listed).toBe(0);
    expect(s.size).toBe(2);
    s.pageOut(n[0]!, key(7, 1)); // truncated page: the node holds shadows only again
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
    expect(s.refault(key(383))).toBe(-1); // the 384 oldest nodes lost their shadows
    expect(s.refault(key(384))).toBe(2 * 384);
    // The refault took node 384 off the list: 615 listed, freeable 515, delta 257, plus 66 deferred = 323:
    // two batches (256), 67 left and deferred.
    s.shrink(800);
    expect(s.reclaimed).toBe(384 + 256);
    expect(s.listed).toBe(615 - 256);
    expect(s.refault(key(384 + 1 + 255))).toBe(-1);
    expect(s.refault(key(384 + 1 + 256))).toBe(2 * (384 + 1 + 256));
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
    const s = new ShadowNodes();
    const slots = [0, 5, 31, 32, 40, 63];
    const n = slots.map((i) => s.pageIn(key(3, i)))[0]!;
    for (const i of slots) s.evicted(n, key(3, i), 100 + i);
    s.evicted(s.pageIn(key(4)), key(4), 7); // a newer node
    expect(s.size).toBe(7);
    s.shrink(0); // max_nodes 0, freeable 2, delta 1: 1 < 128 and < 2, deferred; then 1 + 1 = 2 >= 2
    s.shrink(0);
    expect(s.reclaimed).toBe(2);
    expect(s.size).toBe(0);
    for (const i of slots) expect(s.refault(key(3, i))).toBe(-1);
  });

  it('truncation drops the shadows of the files it names and keeps the others', () => {
    const s = singlePageNodes(10);
    s.truncate((k) => k < key(4));
    expect(s.listed).toBe(6);
    expect(s.size).toBe(6);
    expect(s.refault(key(3))).toBe(-1);
    expect(s.refault(key(4))).toBe(8);
  });
});
