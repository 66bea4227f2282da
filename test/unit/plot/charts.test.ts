/**
 * Every chart rendered to SVG and on to PNG: the PNG has the SVG's size and
 * is not blank, each series' colour is on it; the Vega-Lite spec and the SVG
 * say what the chart claims (gaps as separate line segments, the window in
 * the axis title, dashes and shapes beside colours, labels and markers).
 */

import { describe, expect, it } from 'vitest';
import { compile } from 'vega-lite';
import { energyChart, frontierChart, hitChart, placeLabels, poolChart, tornadoChart, type FrontPoint } from '../../../src/plot/charts.js';
import type { Uncertainty } from '../../../src/cost/uncertainty.js';
import { renderSvg } from '../../../src/plot/render.js';
import { DASHES, INK, OKABE_ITO } from '../../../src/plot/style.js';
import { emptySeries, type Series } from '../../../src/sim/sampler.js';
import { inked, pixelsOf, pngHeader, toPng } from '../../helpers/png.js';

/** A series from per-stretch increments (cumulative counters built here). */
function series(rows: { t_ms: number; stored: number; pool: number; swapIns: number; swapHits: number; gets?: number; getHits?: number }[]): Series {
  const s = emptySeries();
  let a = 0, b = 0, c = 0, d = 0;
  rows.forEach((r, i) => {
    s.event.push(i + 1);
    s.t_ns.push(r.t_ms * 1e6);
    s.stored_pages.push(r.stored);
    s.pool_pages.push(r.pool);
    s.swap_ins.push((a += r.swapIns));
    s.swap_ins_tmem.push((b += r.swapHits));
    s.cc_gets.push((c += r.gets ?? 0));
    s.cc_hits.push((d += r.getHits ?? 0));
    s.pg_lookups.push(0);
    s.pg_hits.push(0);
  });
  return s;
}

/** `d` attributes of the line-mark paths of a series (by its aria label). */
function linePaths(svg: string, name: string): string[] {
  return [...svg.matchAll(/<path aria-label="([^"]*)"[^>]*aria-roledescription="line mark"[^>]*d="([^"]*)"/g)].filter((m) => m[1]!.includes(`series: ${name}`)).map((m) => m[2]!);
}

async function rendered(spec: Parameters<typeof renderSvg>[0]): Promise<{ svg: string; png: ReturnType<typeof toPng> }> {
  const svg = await renderSvg(spec);
  return { svg, png: toPng(svg) };
}

function expectDrawn(svg: string, png: ReturnType<typeof toPng>): void {
  const w = Number(/<svg[^>]* width="(\d+)"/.exec(svg)![1]);
  const h = Number(/<svg[^>]* height="(\d+)"/.exec(svg)![1]);
  const head = pngHeader(png.bytes);
  expect(head).toEqual({ signature: true, width: 2 * w, height: 2 * h });
  expect(w).toBeGreaterThan(500);
  // not blank: axes, marks and text ink at least 2 % of the picture, and not a filled square
  const ink = inked(png);
  expect(ink).toBeGreaterThan(0.02 * 4 * w * h);
  expect(ink).toBeLessThan(0.6 * 4 * w * h);
}

const ramp = Array.from({ length: 40 }, (_, i) => ({ t_ms: 10 * (i + 1), stored: 100 * i, pool: 40 * i, swapIns: 0, swapHits: 0 }));

describe('pool chart', () => {
  it('draws stored and pool pages in different colours and dashes', async () => {
    const { svg, png } = await rendered(poolChart('pool', [{ label: 'zcache', series: series(ramp) }]));
    expectDrawn(svg, png);
    expect(pixelsOf(png, OKABE_ITO[0])).toBeGreaterThan(100);
    expect(pixelsOf(png, OKABE_ITO[1])).toBeGreaterThan(50);
    const stored = linePaths(svg, 'zcache stored pages');
    const pool = linePaths(svg, 'zcache pool pages');
    expect(stored).toHaveLength(1);
    expect(pool).toHaveLength(1);
    expect(svg).toMatch(new RegExp(`stroke-dasharray="${DASHES[1]!.join(',')}"`));
  });
});

describe('hit-ratio chart', () => {
  // 10 stretches of 30 swap-ins (all hits), 5 with none, 10 of 30 (a third hits), one of 5 alone after a gap
  const rows = [
    ...Array.from({ length: 10 }, (_, i) => ({ t_ms: i + 1, stored: 0, pool: 0, swapIns: 30, swapHits: 30 })),
    ...Array.from({ length: 5 }, (_, i) => ({ t_ms: 11 + i, stored: 0, pool: 0, swapIns: 0, swapHits: 0 })),
    ...Array.from({ length: 10 }, (_, i) => ({ t_ms: 16 + i, stored: 0, pool: 0, swapIns: 30, swapHits: 10 })),
    { t_ms: 26, stored: 0, pool: 0, swapIns: 0, swapHits: 0 },
    { t_ms: 27, stored: 0, pool: 0, swapIns: 5, swapHits: 5 },
  ];

  it('leaves a gap as a gap: one line segment per run of windows, nulls between them in the data', async () => {
    const spec = hitChart('hits', series(rows));
    const layers = (spec as { layer: { data: { values: { ratio: number | null; series: string }[] } }[] }).layer;
    const fs = layers[0]!.data.values.filter((v) => v.series === 'frontswap load hit');
    expect(fs.filter((v) => v.ratio === null)).toHaveLength(1);
    // the compiled Vega line is undefined (broken) where the ratio is null
    const lineMark = JSON.stringify(compile(spec).spec.marks).match(/"type":"line".*?"defined":\{"signal":"((?:[^"\\]|\\.)*)"/);
    expect(lineMark).not.toBeNull();
    expect(JSON.parse(`"${lineMark![1]}"`)).toContain('isValid(datum["ratio"])');
    const { svg, png } = await rendered(spec);
    expectDrawn(svg, png);
    const paths = linePaths(svg, 'frontswap load hit');
    expect(paths).toHaveLength(1);
    expect(paths[0]!.match(/M/g)).toHaveLength(2);
    expect(pixelsOf(png, OKABE_ITO[0])).toBeGreaterThan(100);
  });

  it('states its window and plots one point per window of ≥ 50 lookups, ratios exact', async () => {
    const spec = hitChart('hits', series(rows));
    const mids = (spec as { layer: { data: { values: { ratio: number; lookups: number; series: string }[] } }[] }).layer[1]!.data.values;
    // 300 lookups before the gap: windows of 60 (2 stretches) → 5; after it likewise 5; the lone 5 is not drawn
    expect(mids.map((m) => m.lookups)).toEqual(Array(10).fill(60));
    expect(mids.map((m) => m.ratio)).toEqual([...Array(5).fill(1), ...Array(5).fill(1 / 3)]);
    const svg = await renderSvg(spec);
    expect(svg).toContain('hit ratio per window of ≥ 50 lookups');
    expect(svg).toContain('frontswap load hit: 5 lookups in runs of &lt; 50 between gaps, not drawn');
    expect(svg).toContain('cleancache get hit: no lookups');
    expect(svg.match(/aria-roledescription="point"/g)).toHaveLength(10);
  });

  it('gives each series its own colour, dash and shape', async () => {
    const r = rows.map((x) => ({ ...x, gets: x.swapIns, getHits: Math.floor(x.swapHits / 2) }));
    const { svg, png } = await rendered(hitChart('hits', series(r)));
    expect(pixelsOf(png, OKABE_ITO[0])).toBeGreaterThan(50);
    expect(pixelsOf(png, OKABE_ITO[1])).toBeGreaterThan(50);
    expect(svg).toMatch(new RegExp(`stroke-dasharray="${DASHES[1]!.join(',')}"`));
    // circles for the first series, squares for the second (the symbol paths differ)
    const sym = [...svg.matchAll(/aria-roledescription="point"[^>]*d="([^"]*)"[^>]*fill="(#[0-9A-Fa-f]{6})"/g)];
    const byColour = new Map<string, Set<string>>();
    for (const m of sym) byColour.set(m[2]!.toUpperCase(), (byColour.get(m[2]!.toUpperCase()) ?? new Set()).add(m[1]!.replace(/[-\d.]+/g, '#')));
    expect(byColour.size).toBe(2);
    const shapes = [...byColour.values()].map((s) => [...s].join('|'));
    expect(shapes[0]).not.toBe(shapes[1]);
  });
});

describe('energy chart', () => {
  it('stacks components in Okabe–Ito colours and labels the wide segments', async () => {
    const e = (cpu: number, st: number) => ({ cpu_uj: cpu, storage_uj: st, dram_uj: 0, network_uj: 0, total_uj: cpu + st }) as never;
    const { svg, png } = await rendered(energyChart('energy', e(4000, 6000), e(500, 9000), 'zcache'));
    expectDrawn(svg, png);
    expect(pixelsOf(png, OKABE_ITO[0])).toBeGreaterThan(500); // CPU
    expect(pixelsOf(png, OKABE_ITO[3])).toBeGreaterThan(500); // storage
    expect(svg).toContain('baseline (no backend)');
    const labels = [...svg.matchAll(/<text[^>]*font-weight="bold"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(labels.filter((l) => l === 'storage')).toHaveLength(2);
    expect(labels.filter((l) => l === 'CPU')).toHaveLength(1); // the baseline's CPU is under 10 % of the widest bar
  });
});

describe('tornado chart', () => {
  // A saving of -14 mJ; writeEnergyUJ's range crosses 0 (it flips the sign), cpu.hz's does not.
  const bar = (constant: string, lo: number, hi: number, atLo: number, atHi: number, flips: boolean) =>
    ({ constant, lo, hi, saving_at_lo_uj: atLo, saving_at_hi_uj: atHi, swing_uj: Math.abs(atHi - atLo), flips_sign: flips, source: 'test' });
  const iv = (point: number, lo: number, hi: number) => ({ point, lo, hi });
  const u = {
    saving_uj: iv(-14_000, -300_000, 400_000),
    saving_pct: iv(-3.7, -80, 60),
    tornado: [bar('storage.writeEnergyUJ', 30, 250, -95_000, 235_000, true), bar('cpu.hz', 1.5e9, 2.5e9, -30_000, -5_000, false)],
    sign_flipping: ['storage.writeEnergyUJ'],
    sign_uncertain: true,
  } as unknown as Uncertainty;

  it('draws one bar per range end from the point estimate, largest swing on top, with the break-even and the sign-flippers named', async () => {
    const spec = tornadoChart('tornado', u);
    const { svg, png } = await rendered(spec);
    expectDrawn(svg, png);
    expect(pixelsOf(png, OKABE_ITO[0])).toBeGreaterThan(300); // low ends
    expect(pixelsOf(png, OKABE_ITO[1])).toBeGreaterThan(300); // high ends
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
    expect(texts).toContain('storage.writeEnergyUJ (flips the sign)');
    expect(texts).toContain('cpu.hz');
    expect(texts).not.toContain('cpu.hz (flips the sign)');
    for (const t of ['low 30', 'high 250', 'low 1500000000', 'high 2500000000', 'point estimate -14.000', 'break-even (0)']) expect(texts).toContain(t);
    // the largest swing is the top row
    const rowY = (name: string): number => Number(new RegExp(`transform="translate\\(-?[\\d.]+,([\\d.]+)\\)"[^>]*>${name.replace(/[.()]/g, '\\$&')}<`).exec(svg)?.[1] ?? NaN);
    expect(rowY('storage.writeEnergyUJ (flips the sign)')).toBeLessThan(rowY('cpu.hz'));
    // bars run from the point estimate to each end's saving, in mJ
    const data = (spec as { layer: { data: { values: { row: string; x0: number; x1: number; end: string }[] } }[] }).layer[0]!.data.values;
    expect(data.map((v) => [v.row, v.x0, v.x1])).toEqual([
      ['storage.writeEnergyUJ (flips the sign)', -14, -95], ['storage.writeEnergyUJ (flips the sign)', -14, 235],
      ['cpu.hz', -14, -30], ['cpu.hz', -14, -5],
    ]);
    expect(svg).toContain('saving -14.000 mJ, interval [-300.000 .. 400.000]');
  });

  it('keeps the top bars only, and says how many it left out', async () => {
    const svg = await renderSvg(tornadoChart('tornado', u, 1));
    expect(svg).toContain('storage.writeEnergyUJ (flips the sign)');
    expect(svg).not.toContain('>cpu.hz<');
    expect(svg).toContain('the 1 constants that move it most of 2');
  });
});

describe('frontier chart', () => {
  // two clusters of near-coincident points, so labels must move apart
  const pts: FrontPoint[] = [
    { id: 'zcache/deflate', x: 3700, y: 53, front: false },
    { id: 'zcache/lz4', x: 380, y: 11.6, front: false },
    { id: 'zcache/zstd', x: 430, y: 18.3, front: false },
    { id: 'zswap/deflate', x: 2750, y: 53.2, front: false },
    { id: 'zswap/lz4', x: 345, y: 11.4, front: true },
    { id: 'zswap/zstd', x: 390, y: 18.2, front: true },
  ];

  it('labels every point, dominated ones too, keys each number to its configuration and marks the baseline', async () => {
    const { svg, png } = await rendered(frontierChart('front', 'sub', 'energy (mJ)', 'mean swap-in latency (µs)', pts, { x: 330, y: 100 }));
    expectDrawn(svg, png);
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    for (let i = 1; i <= pts.length; i++) {
      expect(texts).toContain(String(i));
      expect(texts).toContain(`${i}  ${pts[i - 1]!.id}`);
    }
    expect(texts).toContain('baseline');
    // the frontier entries of the key are bold, the others not
    expect(svg).toMatch(/font-weight="bold"[^>]*>5  zswap\/lz4</);
    expect(svg).not.toMatch(/font-weight="bold"[^>]*>1  zcache\/deflate</);
    // one symbol per configuration and one for the baseline, in three sets
    const sym = [...svg.matchAll(/aria-label="([^"]*)" role="graphics-symbol" aria-roledescription="point"/g)].map((m) => m[1]!);
    expect(sym.filter((a) => a.includes('set: dominated'))).toHaveLength(4);
    expect(sym.filter((a) => a.includes('set: on the frontier'))).toHaveLength(2);
    expect(sym.filter((a) => a.includes('set: baseline (no backend)'))).toHaveLength(1);
    expect(pixelsOf(png, OKABE_ITO[1])).toBeGreaterThan(100); // frontier diamonds and line
    expect(pixelsOf(png, INK)).toBeGreaterThan(200); // the baseline cross (and text)
  });

  it('places no label over another label or another point (clusters included)', () => {
    const marks = placeLabels(pts.map((p, i) => ({ ...p, label: String(i + 1) })), 560, 300);
    const [x0, x1] = [Math.min(...pts.map((p) => p.x)), Math.max(...pts.map((p) => p.x))];
    const [y0, y1] = [Math.min(...pts.map((p) => p.y)), Math.max(...pts.map((p) => p.y))];
    const px = (m: { x: number; y: number }) => ({ x: ((m.x - x0) / (x1 - x0)) * 560, y: 300 - ((m.y - y0) / (y1 - y0)) * 300 });
    const boxes = marks.map((m) => {
      const c = px(m);
      const w = 6.5 * m.label.length + 2;
      return { x0: c.x + m.dx - w / 2, x1: c.x + m.dx + w / 2, y0: c.y + m.dy - 5.5, y1: c.y + m.dy + 5.5 };
    });
    const overlap = (a: (typeof boxes)[number], b: (typeof boxes)[number]) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
    for (let i = 0; i < boxes.length; i++) {
      for (let j = 0; j < boxes.length; j++) if (i !== j) expect(overlap(boxes[i]!, boxes[j]!)).toBe(false);
      for (const m of marks) {
        const c = px(m);
        expect(overlap(boxes[i]!, { x0: c.x - 5, x1: c.x + 5, y0: c.y - 5, y1: c.y + 5 })).toBe(false);
      }
      // the label's data position is its pixel offset mapped back
      expect(marks[i]!.lx).toBeCloseTo(marks[i]!.x + (marks[i]!.dx / 560) * (x1 - x0), 9);
    }
  });
});
