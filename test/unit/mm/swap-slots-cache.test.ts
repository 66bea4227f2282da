/**
 * The per-CPU swap slots cache's free side (6.1 mm/swap_slots.c, one CPU): free_swap_slot
 * keeps a slot whose count dropped to zero in slots_ret; when a slot comes with 64 already
 * there, swapcache_free_entries frees those 64 (frontswap invalidate, the slot back to the
 * allocator) and the new one waits. Meanwhile the slot is still taken (SWAP_HAS_CACHE) and its
 * frontswap copy stored, and zswap's writeback cannot read it into the swap cache
 * (__read_swap_cache_async finds its count 0: -ENOMEM). 3.x has no cache: a slot is freed at once.
 *
 * The expected state after each free is computed here from those rules, one write fault at a
 * time: a write fault on a swapped-out page frees that page's slot and no other (its readahead
 * neighbours keep theirs until their own write faults).
 */

import { describe, expect, it } from 'vitest';
import { zswapFactory } from '../../../src/backends/zswap.js';
import { Cls, makeDesc } from '../../../src/content/page.js';
import { getReclaim } from '../../../src/mm/reclaim/registry.js';
import type { Machine } from '../../../src/sim/machine.js';
import { testMachine } from '../../helpers/machine.js';

const PID = 1;
const BATCH = 64;

function machine(reclaim: string): Machine {
  const m = testMachine({ ramPages: 2048, seed: 5, factory: zswapFactory, reclaim: getReclaim(reclaim) });
  m.swapon(0, 8192);
  m.insmod('zswap', { era: '6.1', zpool: 'zsmalloc', compressor: 'lz4', max_pool_percent: 50 });
  return m;
}

let gen = 1;
function write(m: Machine, p: number): void {
  m.memory.anonAccess(PID, p, true, makeDesc(Cls.Text, gen++));
  m.memory.balance();
}

describe('the swap slots cache (free_swap_slot)', () => {
  it('keeps up to 64 freed slots, taken and stored, and frees them all when one more comes', () => {
    const m = machine('6.1');
    for (let p = 0; p < 4000; p++) write(m, p);
    const area = m.swap.get(0)!;
    // The first 150 pages are out, each in its slot with a zswap copy.
    const slots: number[] = [];
    for (let p = 0; p < 150; p++) {
      const off = m.memory.slotOfAnon(PID, p);
      expect(off).toBeGreaterThan(0);
      expect(m.frontswap.test(0, off)).toBe(true);
      slots.push(off);
    }
    const freed: number[] = [];
    for (let p = 0; p < 150; p++) {
      write(m, p);
      expect(m.memory.slotOfAnon(PID, p)).toBe(-1);
      freed.push(slots[p]!);
      // The model: the k-th free (k from 1) gives back the 64 before it when 64 wait.
      const k = freed.length;
      const given = BATCH * Math.floor((k - 1) / BATCH);
      for (let i = 0; i < k; i++) {
        const off = freed[i]!;
        if (i < given) {
          expect(m.swapFreePending(0, off)).toBe(false);
          expect(m.frontswap.test(0, off)).toBe(false);
        } else {
          expect(m.swapFreePending(0, off)).toBe(true);
          expect(m.frontswap.test(0, off)).toBe(true);
          expect(area.isUsed(off)).toBe(true);
        }
      }
    }
    expect(m.oracle.counts.stale + m.oracle.counts.lost).toBe(0);
  });

  it("refuses zswap's writeback of a waiting slot's entry (-ENOMEM), and a trace's invalidate frees at once", () => {
    const m = machine('6.1');
    for (let p = 0; p < 4000; p++) write(m, p);
    const a = m.memory.slotOfAnon(PID, 0);
    const b = m.memory.slotOfAnon(PID, 1);
    write(m, 0);
    expect(m.swapFreePending(0, a)).toBe(true);
    expect(m.swapWriteback(0, a, false, () => true, () => {})).toBe('nomem');
    expect(m.frontswap.test(0, a)).toBe(true);
    // frontswap_invalidate_page issued by a trace is the kernel's own call: no cache in between.
    m.swapFree(0, b);
    expect(m.frontswap.test(0, b)).toBe(false);
    expect(m.swapFreePending(0, b)).toBe(false);
    // One on a slot that waits in the cache frees it now, and the batch does not free it again.
    m.swapFree(0, a);
    expect(m.swapFreePending(0, a)).toBe(false);
    expect(m.swap.get(0)!.isUsed(a)).toBe(false);
    const used = m.swap.usedSlots();
    m.drainSlotsRet();
    expect(m.swap.usedSlots()).toBe(used);
    expect(m.oracle.counts.stale + m.oracle.counts.lost).toBe(0);
  });

  it('is not in the 3.x reclaim: each slot is freed at the write', () => {
    const m = machine('lru-3x');
    for (let p = 0; p < 4000; p++) write(m, p);
    const a = m.memory.slotOfAnon(PID, 0);
    expect(a).toBeGreaterThan(0);
    write(m, 0);
    expect(m.swapFreePending(0, a)).toBe(false);
    expect(m.frontswap.test(0, a)).toBe(false);
  });
});
