/**
 * RunOverrides.tickPhaseNs (`run --tick-phase`, `validate --tick-phase`): where the
 * scheduler's 4 ms ticks fall. 0 (the default) is the replay as it always was; another phase
 * is named in the report's config, is deterministic, and a phase outside one tick is refused
 * with one line naming the flag.
 */

import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulate } from '../../../src/api.js';
import { buildReport } from '../../../src/report/model.js';
import { resolveConfig } from '../../../src/sim/config.js';
import { UsageError } from '../../../src/errors.js';
import type { TraceHeader } from '../../../src/trace/events.js';

const header = { format: 'tmemsim-trace', version: 1, config: { ram_pages: 4096 } } as TraceHeader;
// A shipped workload whose zswap shrink worker and kswapd share the CPU with the workload.
const WORKLOAD = path.resolve(__dirname, '../../../workloads/zswap-compressor-switch.json');

describe('the scheduler tick\'s phase', () => {
  it('is 0 unless given, kept as given, and refused outside [0, 4 ms) naming --tick-phase', () => {
    expect(resolveConfig(header, 't.json').tickPhaseNs).toBe(0);
    expect(resolveConfig(header, 't.json', { tickPhaseNs: 1_500_000 }).tickPhaseNs).toBe(1_500_000);
    for (const bad of [-1, 4_000_000, Infinity, NaN]) {
      let e: unknown;
      try {
        resolveConfig(header, 't.json', { tickPhaseNs: bad });
      } catch (x) {
        e = x;
      }
      expect(e, String(bad)).toBeInstanceOf(UsageError);
      expect((e as UsageError).message).toMatch(/not within a tick/);
      expect((e as UsageError).where.field).toBe('--tick-phase');
    }
  });

  it('0 is the default replay, byte for byte; another phase is named in the config and replays the same twice', async () => {
    const report = async (o: { tickPhaseNs?: number }) => JSON.stringify(buildReport(await simulate({ trace: WORKLOAD, profiles: ['ssd'], fast: true, baseline: false, ...o })));
    const plain = await report({});
    expect(await report({ tickPhaseNs: 0 })).toBe(plain);
    expect(JSON.parse(plain).config.tick_phase_ms).toBeUndefined();
    const moved = await report({ tickPhaseNs: 2_000_000 });
    expect(await report({ tickPhaseNs: 2_000_000 })).toBe(moved);
    expect(JSON.parse(moved).config.tick_phase_ms).toBe(2);
    expect(JSON.parse(moved).verdict).toEqual({ stale: 0, lost: 0, ok: true });
  }, 60_000);
});
