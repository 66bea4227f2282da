/**
 * A swap write that the reclaim plug submitted mid-pass completes before the pass's next round of
 * batches (6.1: the plug flushes at 32 requests or a 128 KiB request; end_swap_bio_write →
 * folio_end_writeback → folio_rotate_reclaimable puts the page at the inactive tail, and the next
 * shrink_inactive_list's lru_add_drain empties that batch before it isolates), so the same pass
 * can free the page it wrote. Before, tmemsim completed every write at the pass's end only.
 *
 * Observed from outside the policy: which anonymous pages a pass wrote to the device (an
 * eviction that called swapWrite) and which of them the same pass then dropped as clean
 * swap-cache pages; a pass ends at its nodePass. A page is never dropped in the round that wrote
 * it (its write cannot have completed), which the test checks with the rounds it sees.
 */

import { describe, expect, it } from 'vitest';
import { Cls, makeDesc } from '../../../src/content/page.js';
import { Evicted } from '../../../src/mm/reclaim/reclaim.js';
import { getReclaim } from '../../../src/mm/reclaim/registry.js';
import { testMachine } from '../../helpers/machine.js';

describe('a swap write completes within the pass that submitted it', () => {
  for (const model of ['6.1', '6.1-cfs']) {
    it(`${model}: pages written mid-pass are freed by the same pass, never in the batch that wrote them`, () => {
      const m = testMachine({ ramPages: 32_768, reclaim: getReclaim(model), seed: 4 });
      m.swapon(0, 100_000, true);
      const mem = m.memory;
      let current = -1;
      let pass = 0;
      const writtenIn = new Map<number, number>();
      let sameBatchDrops = 0;
      let sameBatchWrites = new Set<number>();
      let freedSamePass = 0;
      let written = 0;
      const evict = mem.evict.bind(mem);
      mem.evict = (id, type, shadow) => {
        current = id;
        const r = evict(id, type, shadow);
        if (r === Evicted.Dropped && writtenIn.get(id) === pass) {
          freedSamePass++;
          if (sameBatchWrites.has(id)) sameBatchDrops++;
        }
        current = -1;
        return r;
      };
      const swapWrite = m.swapWrite.bind(m);
      m.swapWrite = (type, off, desc) => {
        if (current >= 0) {
          writtenIn.set(current, pass);
          sameBatchWrites.add(current);
          written++;
        }
        return swapWrite(type, off, desc);
      };
      // A batch ends where the policy warms the next one (shrink_inactive_list's isolation).
      const warm = mem.warmEvict.bind(mem);
      mem.warmEvict = (ids, type, n) => {
        sameBatchWrites = new Set();
        warm(ids, type, n);
      };
      const nodePass = mem.nodePass.bind(mem);
      mem.nodePass = () => {
        pass++;
        nodePass();
      };
      for (let p = 0; p < 60_000; p++) {
        m.memory.anonAccess(1, p, true, makeDesc(Cls.Text, p + 1));
        m.afterEvent();
      }
      expect(written).toBeGreaterThan(10_000);
      expect(freedSamePass).toBeGreaterThan(0);
      expect(sameBatchDrops).toBe(0);
    });
  }
});
