/**
 * Who reclaims: pageoutrun / pgsteal_kswapd for kswapd's runs, allocstall / pgsteal_direct
 * for a faulting task's own reclaim (vmstat's PAGEOUTRUN, PGSTEAL_KSWAPD, ALLOCSTALL_*,
 * PGSTEAL_DIRECT), in both reclaim models. Every reclaimed page is counted once, on one side:
 * the two add up to pgsteal_anon + pgsteal_file.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cls, makeDesc } from '../../../src/content/page.js';
import { getReclaim } from '../../../src/mm/reclaim/registry.js';
import { testMachine } from '../../helpers/machine.js';

for (const model of ['6.1', 'lru-3x']) {
  describe(`reclaim counters (${model})`, () => {
    const run = (ops: [number, boolean][], kswapd: boolean): ReturnType<typeof testMachine> => {
      const m = testMachine({ ramPages: 2048, reclaim: getReclaim(model), verifyBytes: false });
      m.swapon(0, 8192);
      for (const [page, write] of ops) {
        m.memory.anonAccess(1, page, write, makeDesc(Cls.Text, page + 1));
        if (kswapd) m.memory.balance();
      }
      return m;
    };
    const writes = (n: number): [number, boolean][] => Array.from({ length: n }, (_, p) => [p, true]);

    it('counts every reclaimed page once, on kswapd\'s side or the direct side', () => {
      fc.assert(
        fc.property(fc.array(fc.tuple(fc.nat(5000), fc.boolean()), { minLength: 1000, maxLength: 6000 }), fc.boolean(), (ops, kswapd) => {
          const s = run([...writes(3000), ...ops], kswapd).stats;
          expect(s.pgsteal_anon).toBeGreaterThan(0);
          expect(s.pgsteal_kswapd + s.pgsteal_direct).toBe(s.pgsteal_anon + s.pgsteal_file);
          if (s.pgsteal_kswapd > 0) expect(s.pageoutrun).toBeGreaterThan(0);
          if (s.pgsteal_direct > 0) expect(s.allocstall).toBeGreaterThan(0);
        }),
        { numRuns: 6, seed: 3, endOnFailure: true },
      );
    });

    it('with kswapd never running, all reclaim is direct', () => {
      const s = run(writes(6000), false).stats;
      expect(s.pageoutrun).toBe(0);
      expect(s.pgsteal_kswapd).toBe(0);
      expect(s.allocstall).toBeGreaterThan(0);
      expect(s.pgsteal_direct).toBe(s.pgsteal_anon);
    });

    it('with kswapd running after every fault, it does the reclaim', () => {
      const s = run(writes(6000), true).stats;
      expect(s.pageoutrun).toBeGreaterThan(0);
      expect(s.pgsteal_kswapd).toBeGreaterThan(0);
      expect(s.pgsteal_direct).toBe(0);
      expect(s.allocstall).toBe(0);
    });
  });
}
