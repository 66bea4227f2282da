/**
 * Golden tests: the shipped workloads replayed through the library, with
 * their exact counters compared to the committed expectations in
 * test/golden/expected/. A change in the model that moves any counter shows
 * here; bless a deliberate change with `UPDATE_GOLDEN=1 npx vitest run test/golden`
 * and say why in the commit.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/api.js';

const ROOT = path.resolve(__dirname, '../..');
const EXPECTED = path.join(__dirname, 'expected');

function golden(report: Awaited<ReturnType<typeof run>>) {
  return report.runs.map((r) => ({
    profile: r.profile,
    model: r.model,
    events: r.backend.events,
    frontswap: r.backend.frontswap,
    cleancache: r.backend.cleancache,
    debugfs: r.backend.debugfs,
    io: r.backend.io,
    pool: r.backend.pool,
    ratios: r.backend.ratios,
    energy: r.backend.energy,
    energy_per_op: r.backend.energy_per_op,
    storage_busy_ns: r.backend.storage_busy_ns,
    latency: r.backend.latency,
    baseline_io: r.baseline?.io ?? null,
    baseline_energy: r.baseline?.energy ?? null,
    baseline_energy_per_op: r.baseline?.energy_per_op ?? null,
    baseline_latency: r.baseline?.latency ?? null,
    delta: r.delta,
    lifecycle: r.backend.lifecycle.map((l) => ({ op: l.op, outcome: l.outcome, t_ns: l.t_ns, pages_dropped: l.pages_dropped, pages_to_ram: l.pages_to_ram, pages_to_disk: l.pages_to_disk, drained_ns: l.drained_ns })),
    pools: r.backend.pools,
    oracle: { stale: r.backend.oracle.stale, lost: r.backend.oracle.lost, checked_loads: r.backend.oracle.checked_loads, checked_gets: r.backend.oracle.checked_gets },
  }));
}

const cases: [string, Parameters<typeof run>[0]][] = [
  ['mobile-app-switch', { trace: 'workloads/mobile-app-switch.json' }],
  ['file-scan', { trace: 'workloads/file-scan.json' }],
  ['mixed-build', { trace: 'workloads/mixed-build.json' }],
  ['mixed-build-deflate', { trace: 'workloads/mixed-build.json', compressor: 'deflate', profiles: ['ssd'] }],
  ['mixed-build-xen', { trace: 'workloads/mixed-build.json', backend: 'xen-tmem', profiles: ['ssd'] }],
  ['zswap-compressor-switch', { trace: 'workloads/zswap-compressor-switch.json' }],
  ['zswap-61-zsmalloc', { trace: 'workloads/mobile-app-switch.json', backend: 'zswap', params: { era: '6.1', zpool: 'zsmalloc', max_pool_percent: 10 }, profiles: ['mobile'] }],
  ['xen-selfshrink', { trace: 'workloads/xen-selfshrink.json' }],
  ['lifecycle-flush', { trace: 'workloads/lifecycle.json', rmmodStrategies: ['flush'], profiles: ['ssd'] }],
  ['lifecycle-zombie', { trace: 'workloads/lifecycle.json', rmmodStrategies: ['zombie'], profiles: ['mobile'] }],
  ['lifecycle-writethrough', { trace: 'workloads/lifecycle.json', rmmodStrategies: ['writethrough'], profiles: ['ssd'] }],
  ['ramster-node-failure', { trace: 'workloads/ramster-node-failure.json', profiles: ['ssd'] }],
  ['cloudphysics-pagecache', { trace: 'workloads/cloudphysics-pagecache.json', profiles: ['ssd'] }],
  ['gen-android-app-switch', { trace: 'workloads/gen-android-app-switch.jsonl', profiles: ['mobile'] }],
  ['gen-kernel-build', { trace: 'workloads/gen-kernel-build.jsonl', profiles: ['ssd'] }],
  ['gen-database', { trace: 'workloads/gen-database.jsonl', profiles: ['ssd'] }],
];

/** Workloads whose point is data loss: the lost count is part of the golden, and must not be zero. */
const LOSSY = new Set(['ramster-node-failure']);

describe('golden counters on the shipped workloads', () => {
  for (const [name, opts] of cases) {
    it(name, async () => {
      const prev = process.cwd();
      process.chdir(ROOT);
      try {
        const got = golden(await run(opts));
        const file = path.join(EXPECTED, `${name}.json`);
        if (process.env.UPDATE_GOLDEN) fs.writeFileSync(file, JSON.stringify(got, null, 1) + '\n');
        const want = JSON.parse(fs.readFileSync(file, 'utf8'));
        expect(got).toEqual(want);
        for (const r of got) {
          expect(r.oracle.stale).toBe(0);
          if (LOSSY.has(name)) expect(r.oracle.lost).toBeGreaterThan(0);
          else expect(r.oracle.lost).toBe(0);
        }
      } finally {
        process.chdir(prev);
      }
    });
  }
});
