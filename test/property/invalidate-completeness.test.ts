/**
 * Random anonymous workloads with frontswap_invalidate_area issued under
 * them (issue 16 must-have 3), through every frontswap backend. What must
 * hold whatever the sequence, from the semantics rather than from the code:
 *   - nothing stale: a page read back is the page last written;
 *   - every swap-in that finds no copy anywhere (unbacked) reads a page the
 *     completeness audit counted lost: each loss is read back unbacked at
 *     most once, because the page comes back dirty and is written again when
 *     evicted (so unbacked reads <= lost pages);
 *   - in frontswap writethrough mode the swap device has every page, so an
 *     invalidate loses nothing and no read is unbacked.
 */

import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { simulate } from '../../src/api.js';
import { tempDir, toJsonl, traceHeader } from '../helpers/files.js';

const tmp = tempDir('tmemsim-inval-');
afterAll(() => tmp.cleanup());
let n = 0;

const op = fc.oneof(
  { weight: 30, arbitrary: fc.record({ page: fc.nat(160), write: fc.boolean() }).map(({ page, write }) => (write ? { op: 'anon', pid: 1, page, write, data: 'text' } : { op: 'anon', pid: 1, page })) },
  { weight: 1, arbitrary: fc.constant({ op: 'frontswap_invalidate_area', type: 0 }) },
);

async function run(backend: string, ramPages: number, events: object[], writethrough: boolean) {
  const file = tmp.file(`t${n++}.jsonl`, toJsonl(traceHeader({ ram_pages: ramPages, backend, frontswap_writethrough: writethrough, swap: [{ type: 0, slots: 1024 }] }), events));
  const r = await simulate({ trace: file, profiles: ['ssd'], baseline: false });
  return r.runs[0]!.backend;
}

describe('frontswap_invalidate_area under the memory model: nothing stale, every unbacked read counted lost', () => {
  for (const backend of ['zcache', 'zswap', 'xen-tmem', 'ramster']) {
    it(backend, async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 32, max: 48 }), fc.array(op, { minLength: 300, maxLength: 500 }), async (ram, events) => {
          const b = await run(backend, ram, events, false);
          expect(b.oracle.stale).toBe(0);
          expect(b.mm.swap_reads_unbacked).toBeLessThanOrEqual(b.oracle.lost);
          const w = await run(backend, ram, events, true);
          expect(w.oracle.stale).toBe(0);
          expect(w.oracle.lost).toBe(0);
          expect(w.mm.swap_reads_unbacked).toBe(0);
        }),
        { numRuns: 40, seed: 16 },
      );
    });
  }
});
