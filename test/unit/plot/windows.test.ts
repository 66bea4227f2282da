import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hitWindows, type HitWindow } from '../../../src/plot/windows.js';

/**
 * An independent model: list the stretches, split them at the empty ones
 * into runs, cut each run greedily into windows of ≥ min lookups, the short
 * tail joining the run's last window (or, with none, left undrawn).
 */
function model(t: number[], h: number[], l: number[], min: number): { runs: HitWindow[][]; undrawn: number } {
  const st = t.map((ti, i) => ({ t0: i === 0 ? 0 : t[i - 1]!, t1: ti, dh: h[i]! - (i === 0 ? 0 : h[i - 1]!), dl: l[i]! - (i === 0 ? 0 : l[i - 1]!) }));
  const groups: (typeof st)[] = [[]];
  for (const s of st) {
    if (s.dl === 0) groups.push([]);
    else groups[groups.length - 1]!.push(s);
  }
  const runs: HitWindow[][] = [];
  let undrawn = 0;
  for (const g of groups) {
    if (g.length === 0) continue;
    const total = g.reduce((a, s) => a + s.dl, 0);
    if (total < min) {
      undrawn += total;
      continue;
    }
    const ws: HitWindow[] = [];
    let cur: HitWindow | null = null;
    for (const s of g) {
      cur ??= { t0_ns: s.t0, t1_ns: s.t1, hits: 0, lookups: 0 };
      cur.t1_ns = s.t1;
      cur.hits += s.dh;
      cur.lookups += s.dl;
      if (cur.lookups >= min) {
        ws.push(cur);
        cur = null;
      }
    }
    if (cur) {
      const last = ws[ws.length - 1]!;
      ws[ws.length - 1] = { t0_ns: last.t0_ns, t1_ns: cur.t1_ns, hits: last.hits + cur.hits, lookups: last.lookups + cur.lookups };
    }
    runs.push(ws);
  }
  return { runs, undrawn };
}

const cum = (xs: number[]): number[] => {
  let a = 0;
  return xs.map((x) => (a += x));
};

describe('hit-ratio windows', () => {
  it('cuts at empty stretches, merges stretches up to the minimum, and joins a short tail to the last window', () => {
    // stretches (lookups/hits): 30/30, 30/0, 0, 10/10, 0, 60/30, 20/20
    const t = [10, 20, 30, 40, 50, 60, 70];
    const l = cum([30, 30, 0, 10, 0, 60, 20]);
    const h = cum([30, 0, 0, 10, 0, 30, 20]);
    const w = hitWindows(t, h, l, 50);
    expect(w.runs).toEqual([
      [{ t0_ns: 0, t1_ns: 20, hits: 30, lookups: 60 }],
      [{ t0_ns: 50, t1_ns: 70, hits: 50, lookups: 80 }],
    ]);
    expect(w.undrawn).toBe(10);
  });

  it('draws nothing where there were no lookups', () => {
    expect(hitWindows([1, 2, 3], [0, 0, 0], [0, 0, 0], 50)).toEqual({ runs: [], undrawn: 0 });
    expect(hitWindows([], [], [], 50)).toEqual({ runs: [], undrawn: 0 });
  });

  it('matches the model; every window holds ≥ min lookups, spans no empty stretch, and no lookup is lost (property)', () => {
    const stretch = fc.oneof(fc.constant([0, 0] as [number, number]), fc.integer({ min: 1, max: 80 }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n }))));
    fc.assert(fc.property(fc.array(stretch, { maxLength: 60 }), fc.integer({ min: 1, max: 120 }), (ss, min) => {
      const t = ss.map((_, i) => 100 * (i + 1));
      const l = cum(ss.map((s) => s[0]));
      const h = cum(ss.map((s) => s[1]));
      const w = hitWindows(t, h, l, min);
      expect(w).toEqual(model(t, h, l, min));
      const empty = ss.flatMap((s, i) => (s[0] === 0 ? [100 * (i + 1)] : [])); // end times of empty stretches
      let drawn = 0;
      for (const run of w.runs) {
        for (let k = 0; k < run.length; k++) {
          const x = run[k]!;
          expect(x.lookups).toBeGreaterThanOrEqual(min);
          expect(x.hits).toBeLessThanOrEqual(x.lookups);
          expect(empty.some((e) => e > x.t0_ns && e <= x.t1_ns)).toBe(false);
          if (k > 0) expect(x.t0_ns).toBe(run[k - 1]!.t1_ns);
          drawn += x.lookups;
        }
      }
      expect(drawn + w.undrawn).toBe(l.length ? l[l.length - 1] : 0);
    }));
  });
});
