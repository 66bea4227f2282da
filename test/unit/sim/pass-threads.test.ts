/**
 * A run's passes on worker threads (RunOptions.jobs, `tmemsim run --jobs`):
 * the same report as the passes one after another in this thread, whatever
 * the thread count, with rmmod variants, series, injections at a fraction of
 * the trace and --backend none; a worker's bad-input error comes back as the
 * same UsageError; a notice every worker gives reaches the sink once.
 * (The workers run the built dist/: npm test builds it first.)
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, simulate, type RunOptions } from '../../../src/api.js';
import { simulateTrace } from '../../../src/sim/simulate.js';
import { openTrace } from '../../../src/trace/reader.js';
import { UsageError, setNoticeSink } from '../../../src/errors.js';
import type { RunProgress } from '../../../src/sim/progress.js';

const workloads = new URL('../../../workloads/', import.meta.url).pathname;

/** A JSONL trace in a temporary directory: zcache on ssd and mobile in 64 pages, then `events`; `use` gets its path. */
async function withTrace(events: object[], use: (file: string) => Promise<void>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tmemsim-threads-'));
  try {
    const file = path.join(dir, 't.jsonl');
    const header = { format: 'tmemsim-trace', version: 1, config: { ram_pages: 64, backend: 'zcache', profile: ['ssd', 'mobile'], swap: [{ type: 0, slots: 256 }] } };
    fs.writeFileSync(file, [header, ...events].map((e) => JSON.stringify(e)).join('\n') + '\n');
    await use(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function both(o: RunOptions, jobs: number): Promise<void> {
  const one = await run({ ...o, jobs: 1 });
  const many = await run({ ...o, jobs });
  expect(many).toEqual(one);
  // And byte for byte, as the CLI prints it.
  expect(JSON.stringify(many)).toBe(JSON.stringify(one));
}

describe('passes on worker threads', () => {
  it('rmmod variants on two profiles, with series and an injection at 40 %: the same report on 1, 2 and 5 threads', async () => {
    const o: RunOptions = {
      trace: path.join(workloads, 'lifecycle.json'),
      rmmodStrategies: ['flush', 'zombie'],
      series: 40,
      at: [{ at: { kind: 'percent', value: 40 }, event: { op: 'rmmod' }, spec: '40%:rmmod' }],
    };
    await both(o, 2);
    await both(o, 5);
  }, 120_000);

  it('--backend none on two profiles: one pass each, the same on 2 threads', async () => {
    await both({ trace: path.join(workloads, 'file-scan.json'), backend: null }, 2);
  }, 60_000);

  it('the runs keep their order and each variant has its own profile\'s baseline', async () => {
    const r = await simulate({ trace: path.join(workloads, 'lifecycle.json'), rmmodStrategies: ['flush', 'zombie'], jobs: 3 });
    expect(r.runs.map((x) => `${x.profile}/${x.variant}`)).toEqual(['ssd/flush', 'ssd/zombie', 'mobile/flush', 'mobile/zombie']);
    expect(r.runs[0]!.baseline).toBe(r.runs[1]!.baseline);
    expect(r.runs[2]!.baseline).toBe(r.runs[3]!.baseline);
    expect(r.runs[0]!.baseline).not.toEqual(r.runs[2]!.baseline); // the profiles price it differently
  }, 60_000);

  it('a bad event met in a worker is the UsageError one thread gives (what, where, accepted)', async () => {
    const events = [...Array.from({ length: 50 }, (_, i) => ({ op: 'anon', pid: 1, page: i, write: true })), { op: 'anon', pid: 1, page: -3 }];
    await withTrace(events, async (file) => {
      const one = await simulate({ trace: file, jobs: 1 }).catch((e: unknown) => e);
      const many = await simulate({ trace: file, jobs: 2 }).catch((e: unknown) => e);
      expect(one).toBeInstanceOf(UsageError);
      expect(many).toBeInstanceOf(UsageError);
      const u = many as UsageError;
      expect(u.message).toBe((one as UsageError).message);
      expect(u.where).toEqual((one as UsageError).where);
      expect(u.accepted).toBe((one as UsageError).accepted);
      expect(u.where.line).toBe(52);
    });
  }, 60_000);

  it('a notice each worker gives reaches the sink once', async () => {
    const got: string[] = [];
    const previous = setNoticeSink((m) => void got.push(m));
    try {
      // The deprecated era alias: one notice per thread, two threads here.
      await simulate({ trace: path.join(workloads, 'zswap-compressor-switch.json'), params: { era: '6.x' }, baseline: false, jobs: 2 });
    } finally {
      setNoticeSink(previous);
    }
    expect(got.filter((m) => m.includes("zswap era '6.x' is deprecated"))).toHaveLength(1);
  }, 60_000);

  it("'auto' keeps a run whose passes are short in this thread (a worker's start would cost more), with the same report", async () => {
    const events = Array.from({ length: 200 }, (_, i) => ({ op: 'anon', pid: 1, page: i % 120, write: i < 120 }));
    await withTrace(events, async (file) => {
      const seen = { threads: 0, passes: 0 };
      const progress: RunProgress = { begin: () => undefined, pass: () => void seen.passes++, tick: () => undefined, end: () => undefined, threads: () => void seen.threads++ };
      const auto = await run({ trace: file, jobs: 'auto', progress });
      expect(seen).toEqual({ threads: 0, passes: 4 });
      expect(auto).toEqual(await run({ trace: file, jobs: 1 }));
    });
  });

  it("'auto' past its wait: the passes after the running one start on the other threads beside it, the same runs as in one thread", async () => {
    const trace = path.join(workloads, 'lifecycle.json');
    const o = { rmmodStrategies: ['flush', 'zombie'], series: 20 };
    const one = await simulateTrace(() => openTrace(trace), o);
    let shown = 0;
    const progress: RunProgress = { begin: () => undefined, pass: () => undefined, tick: () => undefined, end: () => undefined, threads: (n) => void (shown = n) };
    const beside = await simulateTrace(() => openTrace(trace), o, progress, undefined, { jobs: 3, trace: { path: trace }, auto: true, autoAfterMs: 0 });
    expect(shown).toBe(3); // this thread and two workers
    expect(JSON.stringify(beside.runs)).toBe(JSON.stringify(one.runs));
  }, 60_000);

  it('the progress display is told of the threads and sees the passes\' bytes summed up to the whole', async () => {
    const file = path.join(workloads, 'mixed-build.json');
    const seen: { jobs: number[]; passes: number[]; bytes: number[]; passCalls: number } = { jobs: [], passes: [], bytes: [], passCalls: 0 };
    const progress: RunProgress = {
      begin: (_t, n) => void seen.passes.push(n),
      pass: () => void seen.passCalls++,
      tick: (_e, b) => void seen.bytes.push(b),
      end: () => undefined,
      threads: (j) => void seen.jobs.push(j),
    };
    await simulate({ trace: file, jobs: 2, progress });
    expect(seen.jobs).toEqual([2]);
    expect(seen.passes).toEqual([4]);
    expect(seen.passCalls).toBe(0);
    const size = fs.statSync(file).size;
    expect(Math.max(...seen.bytes)).toBe(4 * size); // every pass finished
    expect(seen.bytes.every((b) => b >= 0 && b <= 4 * size)).toBe(true);
  }, 60_000);
});
