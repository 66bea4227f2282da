/**
 * The replay's quiet events (sim/simulate.ts, quietAt): the end of an event that would find
 * nothing to do is skipped after a plain page-cache hit. Skipping changes nothing: the report
 * is the one of a replay that runs every event's end (Collaborators.quietEvents false), on the
 * CloudPhysics sample and on random traces, with and without a backend, kswapd's sleeps and
 * wake-ups, injected events and kept time. And it happens: the replay calls fewer event ends.
 *
 * Checked by breaking it (2026-12-07): skipping the end after every plain hit fails the zswap
 * and zcache rows; skipping it without Machine.settled's check (a clock moved by the trace's
 * time, a work item queued) fails none of these traces, so that check stands on the argument in
 * sim/simulate.ts alone.
 */

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { parseAt } from '../../../src/cli/at.js';
import type { RunOverrides } from '../../../src/sim/config.js';
import { Machine } from '../../../src/sim/machine.js';
import { simulateTrace } from '../../../src/sim/simulate.js';
import type { FormatOptions } from '../../../src/trace/formats/import/options.js';
import { openImported, oracle, tempDir } from '../trace/helpers.js';

const TRACES = path.resolve(__dirname, '../../../../shared/traces');
const tmp = tempDir();
afterAll(() => tmp.cleanup());
afterEach(() => vi.restoreAllMocks());

/** The report with and without the skipping, and how many event ends each ran. */
async function both(file: string, overrides: RunOverrides, opts?: FormatOptions): Promise<{ quiet: string; every: string; endsQuiet: number; endsEvery: number; events: number }> {
  const ends = vi.spyOn(Machine.prototype, 'afterEvent');
  const open = (): ReturnType<typeof openImported> => openImported(file, 'oracleGeneral', opts);
  const q = await simulateTrace(open, overrides, undefined, {});
  const endsQuiet = ends.mock.calls.length;
  ends.mockClear();
  const e = await simulateTrace(open, overrides, undefined, { quietEvents: false });
  const endsEvery = ends.mock.calls.length;
  const events = q.runs.reduce((n, r) => n + r.backend.events + (r.baseline?.events ?? 0), 0);
  return { quiet: JSON.stringify(q), every: JSON.stringify(e), endsQuiet, endsEvery, events };
}

describe('quiet events', () => {
  // The sample's first 20,000 requests: a page cache of 1,024 or 4,096 pages evicts, and re-reads hit.
  const sample = readFileSync(path.join(TRACES, 'cloudPhysicsIO.oracleGeneral.bin'));
  const head = tmp.file('head.oracleGeneral.bin', sample.subarray(0, 24 * 20_000));
  // The last column: whether any end is skipped. The 3.x era's reclaim (zcache's) balances at
  // every event's end, which is never quiet.
  const runs: [string, RunOverrides, FormatOptions | undefined, boolean][] = [
    ['no backend', { backend: null, ramPages: 4096 }, undefined, true],
    ['no backend, a small page cache', { backend: null, ramPages: 1024 }, undefined, true],
    ['zswap, time kept', { backend: 'zswap', ramPages: 1024 }, { time: 'keep' }, true],
    ['zswap with injected events', { backend: 'zswap', ramPages: 1024, at: parseAt('5000:rmmod', parseAt('50%:insmod=zswap')) }, undefined, true],
    ['zcache (the 3.x reclaim)', { backend: 'zcache', ramPages: 1024 }, undefined, false],
  ];
  for (const [what, overrides, opts, skips] of runs) {
    it(`the CloudPhysics sample, ${what}: the same report${skips ? ', fewer event ends' : ''}`, async () => {
      const r = await both(head, overrides, opts);
      expect(r.quiet).toBe(r.every);
      // Every event's end runs without the skipping (and the injected events' own, with --at).
      expect(r.endsEvery).toBeGreaterThanOrEqual(r.events);
      if (skips) expect(r.endsQuiet).toBeLessThan(r.endsEvery);
      else expect(r.endsQuiet).toBe(r.endsEvery);
    });
  }

  it('random traces: the same report with and without the skipping', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 2500 }), fc.constantFrom(4096, 8192)), { minLength: 50, maxLength: 3000 }),
        fc.constantFrom(null, 'zswap'),
        fc.integer({ min: 150, max: 1200 }),
        async (reqs, backend, ramPages) => {
          let t = 0;
          const f = tmp.file('random.oracleGeneral.bin', oracle(reqs.map(([dt, id, size]) => [(t += dt), BigInt(id), size] as const)));
          const r = await both(f, { backend, ramPages }, { time: 'keep' });
          expect(r.quiet).toBe(r.every);
        },
      ),
      { numRuns: 40 },
    );
  });
});
