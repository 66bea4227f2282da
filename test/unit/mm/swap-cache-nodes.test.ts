/**
 * The swap cache's xarray nodes (src/mm/swap.ts, SwapArea.xaNodes) and their slab charged to RAM
 * (src/mm/memory.ts, Memory.xaSlabPages), against an independent count written here:
 * - 6.1 keeps one xarray per 2^14 slots of an area (SWAP_ADDRESS_SPACE_SHIFT), 64 slots a node;
 *   a slot in use holds a page or a shadow, so the nodes are: a leaf per 64-slot range with a
 *   slot in use, a node per 4,096-slot range with one, and a root for each address space with a
 *   slot in use at index 4,096 or more (height 3);
 * - struct radix_tree_node is 576 bytes, 14 to an order-1 slab: 2 pages per 14 nodes or part;
 * - the 6.1 reclaim models charge them against free memory, lru-3x (3.x: no shadows in the swap
 *   cache) does not.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SwapArea } from '../../../src/mm/swap.js';
import { getReclaim } from '../../../src/mm/reclaim/registry.js';
import { testMachine } from '../../helpers/machine.js';
import { Cls, makeDesc } from '../../../src/content/page.js';

/** The nodes by the definition above, from the set of slots in use. */
function nodesOf(used: Iterable<number>): number {
  const leaves = new Set<number>();
  const mids = new Set<number>();
  const roots = new Set<number>();
  for (const off of used) {
    leaves.add(Math.floor(off / 64));
    mids.add(Math.floor(off / 4096));
    if (off % 16384 >= 4096) roots.add(Math.floor(off / 16384));
  }
  return leaves.size + mids.size + roots.size;
}

describe('swap cache xarray nodes', () => {
  it('counts a leaf, its 4,096-slot node and a root, by hand', () => {
    const a = new SwapArea(0, 40000);
    a.claim(1);
    expect(a.xaNodes).toBe(2); // leaf 0, mid 0
    a.claim(63);
    expect(a.xaNodes).toBe(2);
    a.claim(64);
    expect(a.xaNodes).toBe(3); // leaf 1
    a.claim(5000);
    expect(a.xaNodes).toBe(6); // leaf 78, mid 1, the space's root
    a.claim(21000);
    expect(a.xaNodes).toBe(9); // space 1 at index 4,616: leaf, mid, root
    a.free(5000);
    expect(a.xaNodes).toBe(6);
    for (const off of [1, 63, 64, 21000]) a.free(off);
    expect(a.xaNodes).toBe(0);
  });

  it('equals the independent count under any allocation and freeing', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 49999 })), { maxLength: 400, size: 'max' }), fc.boolean(), (ops, rotational) => {
        const a = new SwapArea(0, 50000, rotational);
        const used = new Set<number>();
        for (const [alloc, off] of ops) {
          if (alloc) {
            const got = a.alloc();
            if (got >= 0) used.add(got);
          } else if (used.size > 0) {
            // free the k-th slot in use, k from the drawn number
            const k = off % used.size;
            const victim = [...used][k]!;
            used.delete(victim);
            a.free(victim);
          }
          if (a.xaNodes !== nodesOf(used)) return false;
        }
        return true;
      }),
      { numRuns: 200 },
    );
  });

  it('takes two pages of RAM per 14 nodes or part in the 6.1 models, none in lru-3x', () => {
    for (const [name, charged] of [
      ['6.1', true],
      ['6.1-cfs-buddy', true],
      ['lru-3x', false],
    ] as const) {
      const m = testMachine({ ramPages: 8192, reclaim: getReclaim(name) });
      m.swapon(0, 20000);
      const area = m.swap.get(0)!;
      const before = m.memory.free;
      // 15 leaves (slots 1..959) and their 4,096-slot node: 16 nodes, two slabs.
      for (let k = 0; k < 959; k++) area.alloc();
      expect(area.xaNodes).toBe(16);
      expect(m.memory.xaSlabPages).toBe(charged ? 4 : 0);
      expect(m.memory.free).toBe(before - (charged ? 4 : 0));
    }
  });

  it("takes a new node's slab in reclaim, at add_to_swap_cache, before the page is written (with frames: the validation guest's zones)", () => {
    const m = testMachine({ ramPages: 16_384, seed: 5, zones: { managed: [3840, 12_544], minFreeKbytes: 1024 }, reclaim: getReclaim('6.1-cfs-buddy') });
    m.swapon(0, 40_000, true);
    const mem = m.memory as unknown as { xaSlabPages: number; xaSlabFrames: { pages: number } };
    // At every swap write the slot's node is in the xarray and its slab holds frames already:
    // 2 pages per 14 nodes or part (6.1 allocates the node under xa_lock with GFP_NOWAIT, in reclaim).
    let writes = 0;
    let grew = 0;
    let last = 0;
    const swapWrite = m.swapWrite.bind(m);
    m.swapWrite = (type: number, off: number, desc: number): boolean => {
      writes++;
      expect(mem.xaSlabFrames.pages).toBe(2 * Math.ceil(m.swap.xaNodes() / 14));
      if (mem.xaSlabFrames.pages > last) grew++;
      last = mem.xaSlabFrames.pages;
      return swapWrite(type, off, desc);
    };
    for (let p = 0; p < 30_000; p++) {
      m.memory.anonAccess(1, p, true, makeDesc(Cls.Text, p + 1));
      m.afterEvent();
    }
    expect(writes).toBeGreaterThan(10_000);
    expect(grew).toBeGreaterThan(10);
    expect(mem.xaSlabPages).toBe(mem.xaSlabFrames.pages);
  });
});
