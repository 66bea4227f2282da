/**
 * The simulator's fast path for imported traces (SyncTraceSource.fileAccesses:
 * page accesses read into a cursor's fields, no event object each) against
 * the general path (eventsSync's event objects through the op dispatch):
 *
 * - the cursor's accesses are the events eventsSync() yields, field by field
 *   and location by location, for every importer and mapping option;
 * - a run over the cursor gives the same result as a run over the same source
 *   with fileAccesses hidden (so the simulator takes the event objects), with
 *   and without a backend, with injected events (--at) and time kept;
 * - a trace that fails mid-way fails at the same event with the same message.
 */

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseAt } from '../../../src/cli/at.js';
import type { RunOverrides } from '../../../src/sim/config.js';
import { simulateTrace } from '../../../src/sim/simulate.js';
import type { FileEvent, TraceSource } from '../../../src/trace/events.js';
import type { FormatOptions } from '../../../src/trace/formats/import/options.js';
import type { SyncTraceSource } from '../../../src/trace/reader.js';
import { openImported, oracle, tempDir } from '../trace/helpers.js';

const TRACES = path.resolve(__dirname, '../../../../shared/traces');
const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** The same source with its fast path hidden: the simulator must take eventsSync(). */
function eventsOnly(src: SyncTraceSource): TraceSource {
  return { path: src.path, header: src.header, notes: src.notes, events: () => src.events(), eventsSync: () => src.eventsSync() } as SyncTraceSource;
}

/**
 * Walks the cursor and eventsSync() of one source side by side; returns the accesses
 * compared and the first that differs (null when none), as [cursor's, event's].
 */
function lockstep(src: SyncTraceSource): { n: number; writes: number; timed: number; diff: [string, string] | null } {
  const c = src.fileAccesses!();
  const it = src.eventsSync();
  let n = 0;
  let writes = 0;
  let timed = 0;
  for (;;) {
    const more = c.next();
    const r = it.next();
    if (!more || r.done === true) {
      const diff: [string, string] | null = more === (r.done !== true) ? null : [`cursor ${more ? 'goes on' : 'ended'}`, `events ${r.done === true ? 'ended' : 'go on'}`];
      expect(c.next()).toBe(false);
      return { n, writes, timed, diff };
    }
    const e = r.value.event as FileEvent;
    const a = JSON.stringify([c.fs, c.inode, c.index, c.write, c.t, c.loc.line, c.loc.index]);
    const b = JSON.stringify([e.fs, e.inode, e.index, e.write === true, e.t ?? -1, r.value.loc.line, r.value.loc.index]);
    if (a !== b || e.op !== 'file' || e.data !== undefined || (e.write !== undefined && e.write !== true)) return { n, writes, timed, diff: [a, `${b} ${JSON.stringify(e)}`] };
    n++;
    if (c.write) writes++;
    if (c.t > 0) timed++;
  }
}

const CASES: [string, string, FormatOptions | undefined][] = [
  ['cloudPhysicsIO.oracleGeneral.bin', 'oracleGeneral', undefined],
  ['cloudPhysicsIO.oracleGeneral.bin', 'oracleGeneral', { 'obj-pages': 4, time: 'keep', fs: 3 }],
  ['cloudPhysicsIO.vscsi', 'vscsi', { time: 'keep' }],
  ['cloudPhysicsIO.txt', 'txt', { addressing: 'block', 'max-pages': 2 }],
  ['cloudPhysicsIO.csv', 'csv', { 'obj-id-col': 5, addressing: 'object', 'hash-ids': true }],
];

describe('the cursor reads what eventsSync yields', () => {
  for (const [file, format, opts] of CASES) {
    it(`${file} ${JSON.stringify(opts ?? {})}`, () => {
      const r = lockstep(openImported(path.join(TRACES, file), format, opts));
      expect(r.diff).toBeNull();
      expect(r.n).toBeGreaterThan(100_000);
      // Writes and times appear where the format has them.
      if (format === 'vscsi') expect(r.writes > 0 && r.timed > 0).toBe(true);
    });
  }

  it('random oracleGeneral files, any object size and time', () => {
    const rec = fc.tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.bigInt({ min: 0n, max: 2n ** 40n }), fc.integer({ min: 0, max: 40000 }));
    fc.assert(
      fc.property(fc.array(rec, { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 16 }), fc.boolean(), (records, objPages, keep) => {
        const f = tmp.file('r.oracleGeneral.bin', oracle(records));
        const r = lockstep(openImported(f, 'oracleGeneral', { 'obj-pages': objPages, time: keep ? 'keep' : 'none' }));
        expect(r.diff).toBeNull();
        // An independent count: each request covers clamp(ceil(size / 4096), 1, objPages) pages.
        expect(r.n).toBe(records.reduce((n, [, , size]) => n + Math.min(objPages, Math.max(1, Math.ceil(size / 4096))), 0));
      }),
      { numRuns: 60 },
    );
  });
});

describe('the cursor reads ahead', () => {
  it('names each new batch of accesses, from the access that read it', () => {
    const rec = fc.tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.bigInt({ min: 0n, max: 2n ** 40n }), fc.integer({ min: 0, max: 20000 }));
    fc.assert(
      fc.property(fc.array(rec, { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 6 }), (records, objPages) => {
        const f = tmp.file('ahead.oracleGeneral.bin', oracle(records));
        const c = openImported(f, 'oracleGeneral', { 'obj-pages': objPages }).fileAccesses!();
        const seen: [number, number][] = [];
        const batches: [number, [number, number][]][] = [];
        while (c.next()) {
          if (c.refilled) batches.push([seen.length, Array.from({ length: c.aheadCount! }, (_, k) => [c.aheadInodes![k]!, c.aheadIndexes![k]!])]);
          seen.push([c.inode, c.index]);
        }
        // The model: batches of 16 from access 0 on, the last one shorter, each named at its first access.
        const want: [number, [number, number][]][] = [];
        for (let i = 0; i < seen.length; i += 16) want.push([i, seen.slice(i, i + 16)]);
        expect(batches).toEqual(want);
      }),
      { numRuns: 60 },
    );
  });

  it('a bad record throws once the accesses before it are out, and close() drops what was read ahead', () => {
    const f = tmp.file('bad-ahead.oracleGeneral.bin', oracle([[1, 5n, 4096], [2, 6n, 8192], [3, 2n ** 60n, 4096], [4, 7n, 4096]]));
    const c = openImported(f, 'oracleGeneral', { 'obj-pages': 2 }).fileAccesses!();
    // Requests 0 and 1 are 1 and 2 pages: a batch of three accesses, then record 2's error.
    for (let i = 0; i < 3; i++) expect(c.next()).toBe(true);
    expect(c.aheadCount).toBe(3);
    expect(c.loc.index).toBe(2);
    expect(() => c.next()).toThrow(/record 2: id 1152921504606846976 is beyond 2\^53-1/);
    const d = openImported(f, 'oracleGeneral', { 'obj-pages': 2 }).fileAccesses!();
    expect(d.next()).toBe(true);
    d.close();
    expect(d.next()).toBe(false);
  });
});

describe('a run over the cursor is the run over the events', () => {
  // The sample's first 20,000 requests (the runs stay short on a loaded machine).
  const sample = readFileSync(path.join(TRACES, 'cloudPhysicsIO.oracleGeneral.bin'));
  const file = tmp.file('head.oracleGeneral.bin', sample.subarray(0, 24 * 20_000));
  const runs: [string, FormatOptions | undefined, RunOverrides][] = [
    ['no backend', undefined, { backend: null, ramPages: 1024 }],
    ['xen-tmem, time kept', { time: 'keep' }, { backend: 'xen-tmem', ramPages: 1024 }],
    ['zswap with injected events', undefined, { backend: 'zswap', ramPages: 1024, at: parseAt('5000:rmmod', parseAt('50%:insmod=zswap')) }],
  ];
  for (const [what, opts, overrides] of runs) {
    it(what, async () => {
      const open = (): SyncTraceSource => openImported(file, 'oracleGeneral', opts);
      expect(open().fileAccesses).toBeDefined();
      const fast = await simulateTrace(open, overrides);
      const slow = await simulateTrace(() => eventsOnly(open()), overrides);
      expect(fast.runs[0]!.backend.events).toBe(20_000); // one page a request
      // The runs evict: a page cache smaller than the pages read.
      expect(fast.runs[0]!.backend.mm.pgsteal_file).toBeGreaterThan(1000);
      expect(JSON.stringify(fast)).toBe(JSON.stringify(slow));
    });
  }

  it('a bad record fails at the same event, with the same message, on both paths', async () => {
    const f = tmp.file('bad.oracleGeneral.bin', oracle([[1, 5n, 4096], [2, 6n, 8192], [3, 2n ** 60n, 4096], [4, 7n, 4096]]));
    const open = (): SyncTraceSource => openImported(f, 'oracleGeneral');
    const message = async (o: () => TraceSource): Promise<string> => {
      try {
        await simulateTrace(o, { backend: null });
      } catch (e) {
        return (e as Error).message;
      }
      throw new Error('expected an error');
    };
    const fast = await message(open);
    expect(fast).toMatch(/record 2: id 1152921504606846976 is beyond 2\^53-1/);
    expect(await message(() => eventsOnly(open()))).toBe(fast);
  });
});
