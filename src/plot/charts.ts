/**
 * The charts, as Vega-Lite specs built from plain data: stored pages and pool
 * size over simulated time, hit ratios over time, the energy breakdown of a
 * backend against its baseline, the ranking of the constants that move its
 * saving (a tornado chart), and a sweep's Pareto frontier. Colours,
 * shapes, dashes and the frame come from ./style.ts.
 */

import type { TopLevelSpec } from 'vega-lite';
import type { Series } from '../sim/sampler.js';
import { hitWindows, MIN_WINDOW_LOOKUPS } from './windows.js';
import type { EnergyBreakdown } from '../cost/energy.js';
import type { TornadoBar, Uncertainty } from '../cost/uncertainty.js';
import { categoryScales, domainOf, eventLayers, frame, OKABE_ITO, INK, MUTED, type TimeEvent } from './style.js';

const sec = (ns: number): number => ns / 1e9;

/** The encoding of one line per `series`: its colour (with `legend`) and its dash pattern, from categoryScales. */
function seriesLines(sc: { color: unknown; strokeDash: unknown }, legend: Record<string, unknown>): Record<string, unknown> {
  return {
    color: { field: 'series', type: 'nominal', title: null, scale: sc.color, legend },
    strokeDash: { field: 'series', type: 'nominal', title: null, scale: sc.strokeDash },
  };
}

/**
 * Stored pages and pool pageframes of one or more passes over simulated time,
 * and, where an unloaded backend was still being drained (rmmod strategy
 * zombie), the pages it held; lifecycle events as labelled rules.
 */
export function poolChart(title: string, passes: { label: string; series: Series }[], events: readonly TimeEvent[] = []): TopLevelSpec {
  const values: { t_s: number; pages: number; series: string }[] = [];
  for (const p of passes) {
    const s = p.series;
    const zombie = (s.zombie_pages ?? []).some((z) => z > 0);
    for (let i = 0; i < s.t_ns.length; i++) {
      values.push({ t_s: sec(s.t_ns[i]!), pages: s.stored_pages[i]!, series: `${p.label} stored pages` });
      values.push({ t_s: sec(s.t_ns[i]!), pages: s.pool_pages[i]!, series: `${p.label} pool pages` });
      if (zombie) values.push({ t_s: sec(s.t_ns[i]!), pages: s.zombie_pages[i]!, series: `${p.label} zombie pages (unloaded, draining)` });
    }
  }
  const sc = categoryScales(domainOf(values, (v) => v.series));
  const sub = ['pages the backend holds and the pageframes its pool takes'];
  if (values.some((v) => v.series.endsWith('(unloaded, draining)'))) sub.push("zombie pages: an unloaded backend's pages, until its worker drains them");
  return {
    ...frame(title, sub),
    layer: [
      {
        data: { values },
        mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.6 },
        encoding: {
          x: { field: 't_s', type: 'quantitative', title: 'simulated time (s)' },
          y: { field: 'pages', type: 'quantitative', title: 'pages' },
          ...seriesLines(sc, { orient: 'bottom', columns: 2, labelLimit: 400, symbolType: 'stroke' }),
        },
      },
      ...eventLayers(events),
    ],
  } as TopLevelSpec;
}

/** One zombie unload: when it began and ended, and where its pages went (src/sim/summary.ts LifecycleEntry). */
interface ZombieDrain {
  backend: string;
  t_ns: number;
  /** When the last page was drained (null: not by the end of the pass). */
  drained_ns: number | null;
  pages_to_ram: number;
  pages_to_disk: number;
  pages_dropped: number;
}

/**
 * The drain of a backend unloaded with rmmod strategy zombie, zoomed on the
 * drain: the pages it still holds from the rmmod until drained (or the end
 * of the pass), beside the stored pages of whatever backend is loaded.
 */
export function zombieChart(title: string, s: Series, d: ZombieDrain, events: readonly TimeEvent[] = []): TopLevelSpec {
  const end = s.t_ns.length > 0 ? s.t_ns[s.t_ns.length - 1]! : d.t_ns;
  const stop = d.drained_ns ?? end;
  const span = Math.max(stop - d.t_ns, 1);
  const lo = Math.max(0, d.t_ns - 0.15 * span);
  const hi = Math.min(end, stop + 0.5 * span);
  const values: { t_s: number; pages: number; series: string }[] = [];
  const names = [`${d.backend} zombie pages (unloaded, draining)`, 'stored pages of the loaded backend'];
  let first = -1;
  for (let i = 0; i < s.t_ns.length; i++) {
    const t = s.t_ns[i]!;
    if (t > hi) break;
    if (t < lo) {
      first = i;
      continue;
    }
    if (first >= 0 && values.length === 0) {
      // the state at lo: that of the last sample before it
      values.push({ t_s: sec(lo), pages: s.zombie_pages[first]!, series: names[0]! }, { t_s: sec(lo), pages: s.stored_pages[first]!, series: names[1]! });
    }
    values.push({ t_s: sec(t), pages: s.zombie_pages[i]!, series: names[0]! }, { t_s: sec(t), pages: s.stored_pages[i]!, series: names[1]! });
  }
  const sc = categoryScales(names);
  const took = d.drained_ns === null ? 'not drained by the end of the pass' : `drained in ${((d.drained_ns - d.t_ns) / 1e6).toFixed(1)} ms of simulated time`;
  return {
    ...frame(title, [took, `pages: ${d.pages_to_ram} swap pages to RAM, ${d.pages_to_disk} to the swap device, ${d.pages_dropped} cleancache freed`,
      'a swap page stays loadable until drained; a cleancache page misses at once']),
    layer: [
      {
        data: { values },
        mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.8, clip: true },
        encoding: {
          x: { field: 't_s', type: 'quantitative', title: 'simulated time (s)', scale: { domain: [sec(lo), sec(hi)], nice: false } },
          y: { field: 'pages', type: 'quantitative', title: 'pages' },
          ...seriesLines(sc, { orient: 'bottom', labelLimit: 400, symbolType: 'stroke' }),
        },
      },
      ...eventLayers(events.filter((e) => e.t_s >= sec(lo) && e.t_s <= sec(hi))),
    ],
  } as TopLevelSpec;
}

const HIT_SERIES = ['frontswap load hit', 'cleancache get hit', 'page cache hit'] as const;

/**
 * Hit ratios over time, one step per window of at least `minLookups` lookups
 * (./windows.ts): the step spans the window, a point marks its middle, and a
 * stretch with no lookups is left as a gap (a null breaks the line there).
 */
export function hitChart(title: string, s: Series, events: readonly TimeEvent[] = [], minLookups = MIN_WINDOW_LOOKUPS): TopLevelSpec {
  const line: { seq: number; t_s: number; ratio: number | null; series: string }[] = [];
  const mids: { t_s: number; ratio: number; lookups: number; from_s: number; to_s: number; series: string }[] = [];
  const notes: string[] = [];
  const add = (name: string, hits: number[], lookups: number[]): void => {
    if (lookups.length === 0 || lookups[lookups.length - 1] === 0) {
      notes.push(`${name}: no lookups`);
      return;
    }
    const w = hitWindows(s.t_ns, hits, lookups, minLookups);
    w.runs.forEach((run, k) => {
      if (k > 0) line.push({ seq: line.length, t_s: sec(run[0]!.t0_ns), ratio: null, series: name });
      line.push({ seq: line.length, t_s: sec(run[0]!.t0_ns), ratio: run[0]!.hits / run[0]!.lookups, series: name });
      for (const x of run) {
        const r = x.hits / x.lookups;
        line.push({ seq: line.length, t_s: sec(x.t1_ns), ratio: r, series: name });
        mids.push({ t_s: sec((x.t0_ns + x.t1_ns) / 2), ratio: r, lookups: x.lookups, from_s: sec(x.t0_ns), to_s: sec(x.t1_ns), series: name });
      }
    });
    if (w.undrawn > 0) notes.push(`${name}: ${w.undrawn} lookups in runs of < ${minLookups} between gaps, not drawn`);
  };
  add(HIT_SERIES[0], s.swap_ins_tmem, s.swap_ins);
  add(HIT_SERIES[1], s.cc_hits, s.cc_gets);
  add(HIT_SERIES[2], s.pg_hits, s.pg_lookups);
  const sc = categoryScales(HIT_SERIES);
  const x = { field: 't_s', type: 'quantitative', title: 'simulated time (s)' };
  const y = { field: 'ratio', type: 'quantitative', title: `hit ratio per window of ≥ ${minLookups} lookups`, scale: { domain: [0, 1] }, axis: { format: '.0%' } };
  const sub = [`each step: hit ratio over a window of ≥ ${minLookups} lookups (point: its middle)`, 'gaps: stretches with no lookups, left undrawn', ...notes];
  return {
    ...frame(title, sub),
    layer: [
      {
        data: { values: line },
        mark: { type: 'line', interpolate: 'step-before', strokeWidth: 1.6 },
        encoding: {
          x, y,
          order: { field: 'seq', type: 'quantitative' },
          ...seriesLines(sc, { orient: 'bottom' }),
        },
      },
      {
        data: { values: mids },
        mark: { type: 'point', filled: true, size: 36, opacity: 1 },
        encoding: {
          x, y,
          color: { field: 'series', type: 'nominal', title: null, scale: sc.color },
          shape: { field: 'series', type: 'nominal', title: null, scale: sc.shape },
          tooltip: [{ field: 'series' }, { field: 'ratio', format: '.1%' }, { field: 'lookups' }, { field: 'from_s', title: 'from (s)' }, { field: 'to_s', title: 'to (s)' }],
        },
      },
      ...eventLayers(events),
    ],
  } as TopLevelSpec;
}

const COMPONENTS = ['CPU', 'storage', 'DRAM', 'network'] as const;

/**
 * Energy by component, backend beside baseline, stacked. Each segment wide
 * enough to hold it is labelled with its component, so the stack reads
 * without its colours.
 */
export function energyChart(title: string, backend: EnergyBreakdown, baseline: EnergyBreakdown | null, backendLabel: string): TopLevelSpec {
  const values: { pass: string; component: string; mj: number; x0: number; x1: number; mid: number; label: string }[] = [];
  const add = (pass: string, e: EnergyBreakdown): void => {
    const parts = [e.cpu_uj, e.storage_uj, e.dram_uj, e.network_uj].map((u) => u / 1000);
    let x = 0;
    parts.forEach((mj, i) => {
      values.push({ pass, component: COMPONENTS[i]!, mj, x0: x, x1: x + mj, mid: x + mj / 2, label: '' });
      x += mj;
    });
  };
  add(backendLabel, backend);
  if (baseline) add('baseline (no backend)', baseline);
  const widest = Math.max(0, ...values.map((v) => v.x1));
  for (const v of values) if (widest > 0 && v.mj >= 0.1 * widest) v.label = v.component;
  return {
    ...frame(title, 'energy by component, mJ (segments labelled where they are wide enough)'),
    height: 160,
    data: { values },
    encoding: { y: { field: 'pass', type: 'nominal', title: null, sort: null } },
    layer: [
      {
        mark: { type: 'bar', stroke: 'white', strokeWidth: 1 },
        encoding: {
          x: { field: 'x0', type: 'quantitative', title: 'energy (mJ)' },
          x2: { field: 'x1' },
          color: { field: 'component', type: 'nominal', title: 'component', scale: { domain: [...COMPONENTS], range: [OKABE_ITO[0], OKABE_ITO[3], OKABE_ITO[2], OKABE_ITO[4]] } },
          tooltip: [{ field: 'component' }, { field: 'mj', format: '.3f', title: 'mJ' }],
        },
      },
      {
        mark: { type: 'text', fontSize: 10, color: 'white', fontWeight: 'bold' },
        encoding: { x: { field: 'mid', type: 'quantitative' }, text: { field: 'label' } },
      },
    ],
  } as TopLevelSpec;
}

export interface FrontPoint {
  id: string;
  x: number;
  y: number;
  front: boolean;
}

const SETS = ['on the frontier', 'dominated', 'baseline (no backend)'] as const;

/**
 * Positions for point labels so they neither cover each other nor sit on
 * another point: each label (in order) takes the first free spot of eight
 * around its point, in a pixel space mapped from the data's extent (about
 * Vega-Lite's: its nice rounding widens the extent a little, which only
 * brings a label a little closer to its point). A label with no free spot
 * keeps the first. Returns the offset in pixels (dx, dy) and the label's
 * position in data units (lx, ly), which is what the chart plots.
 */
export function placeLabels<T extends { x: number; y: number; label: string }>(pts: T[], width: number, height: number): (T & { dx: number; dy: number; lx: number; ly: number })[] {
  const ext = (v: number[]): [number, number] => {
    const lo = Math.min(...v);
    const hi = Math.max(...v);
    return hi > lo ? [lo, hi] : [lo - 1, hi + 1];
  };
  const [x0, x1] = ext(pts.map((p) => p.x));
  const [y0, y1] = ext(pts.map((p) => p.y));
  const px = pts.map((p) => ({ x: ((p.x - x0) / (x1 - x0)) * width, y: height - ((p.y - y0) / (y1 - y0)) * height }));
  const boxes: { x0: number; x1: number; y0: number; y1: number }[] = px.map((q) => ({ x0: q.x - 5, x1: q.x + 5, y0: q.y - 5, y1: q.y + 5 }));
  const hit = (b: (typeof boxes)[number], skip: number): boolean => boxes.some((o, j) => j !== skip && b.x0 < o.x1 && o.x0 < b.x1 && b.y0 < o.y1 && o.y0 < b.y1);
  return pts.map((p, i) => {
    const w = 6.5 * p.label.length + 2;
    const h = 11;
    const spots = [[1, -1], [1, 1], [-1, -1], [-1, 1], [0, -1.4], [0, 1.4], [1.6, 0], [-1.6, 0]].map(([sx, sy]) => ({ dx: sx! * (w / 2 + 6), dy: sy! * (h / 2 + 4) }));
    const q = px[i]!;
    const box = (s: { dx: number; dy: number }) => ({ x0: q.x + s.dx - w / 2, x1: q.x + s.dx + w / 2, y0: q.y + s.dy - h / 2, y1: q.y + s.dy + h / 2 });
    const s = spots.find((c) => !hit(box(c), i)) ?? spots[0]!;
    boxes.push(box(s));
    const dx = Math.round(s.dx);
    const dy = Math.round(s.dy);
    return { ...p, dx, dy, lx: p.x + (dx / width) * (x1 - x0), ly: p.y - (dy / height) * (y1 - y0) };
  });
}

/**
 * A scatter of a sweep's configurations: every point numbered, with a key
 * beside the plot giving each number's configuration (frontier ones in
 * bold); the frontier joined by a dashed line; the baseline (no backend), when
 * given, a black cross. Frontier, dominated and baseline differ in shape as
 * well as colour.
 */
export function frontierChart(title: string, subtitle: string | string[], xTitle: string, yTitle: string, points: FrontPoint[], baseline: { x: number; y: number } | null = null): TopLevelSpec {
  const numbered = points.map((p, i) => ({ ...p, n: i + 1, set: p.front ? SETS[0] : SETS[1], label: String(i + 1) }));
  const front = numbered.filter((p) => p.front).sort((a, b) => a.x - b.x || a.y - b.y);
  const base = baseline ? [{ id: 'baseline (no backend)', x: baseline.x, y: baseline.y, set: SETS[2], label: 'baseline' }] : [];
  const { width, height, ...top } = frame(title, subtitle);
  const marks = placeLabels([...numbered, ...base], width, height);
  const x = { field: 'x', type: 'quantitative', title: xTitle, scale: { zero: false } };
  const y = { field: 'y', type: 'quantitative', title: yTitle, scale: { zero: false } };
  const keyRow = 14;
  const keyHeight = Math.max(40, numbered.length * keyRow);
  return {
    ...top,
    hconcat: [
      {
        width,
        height,
        layer: [
          { data: { values: front }, mark: { type: 'line', strokeDash: [5, 3], strokeWidth: 1.5, color: OKABE_ITO[1] }, encoding: { x, y, order: { field: 'x' } } },
          {
            data: { values: marks },
            mark: { type: 'point', filled: true, size: 70, opacity: 1 },
            encoding: {
              x, y,
              color: { field: 'set', type: 'nominal', title: null, scale: { domain: [...SETS], range: [OKABE_ITO[1], MUTED, INK] }, legend: { orient: 'bottom', labelLimit: 300 } },
              shape: { field: 'set', type: 'nominal', title: null, scale: { domain: [...SETS], range: ['diamond', 'circle', 'cross'] } },
              tooltip: [{ field: 'id' }, { field: 'x', title: xTitle }, { field: 'y', title: yTitle }],
            },
          },
          {
            data: { values: marks },
            mark: { type: 'text', align: 'center', baseline: 'middle', fontSize: 10, color: INK },
            encoding: { x: { ...x, field: 'lx' }, y: { ...y, field: 'ly' }, text: { field: 'label' } },
          },
        ],
      },
      {
        width: 230,
        height: keyHeight,
        title: { text: 'key (bold: on the frontier)', fontSize: 10, anchor: 'start' },
        view: { stroke: null },
        data: { values: numbered.map((p) => ({ n: p.n, text: `${p.n}  ${p.id}`, front: p.front })) },
        encoding: { x: { value: 0 }, y: { field: 'n', type: 'ordinal', axis: null, sort: 'ascending' }, text: { field: 'text' } },
        layer: [
          { transform: [{ filter: 'datum.front' }], mark: { type: 'text', align: 'left', baseline: 'middle', fontSize: 9, fontWeight: 'bold', color: INK } },
          { transform: [{ filter: '!datum.front' }], mark: { type: 'text', align: 'left', baseline: 'middle', fontSize: 9, color: INK } },
        ],
      },
    ],
  } as TopLevelSpec;
}

/** The range end a tornado bar is drawn for, in legend order. */
const TORNADO_ENDS = ['constant at the low end of its range', 'constant at the high end of its range'] as const;

/**
 * The uncertainty ranking as a tornado chart (src/cost/uncertainty.ts): one
 * row per constant, largest swing at the top, a bar from the point estimate
 * of the saving to the saving with that constant alone at the low end of its
 * range and another to it at the high end (the others at their values). The
 * ends differ by colour and by the label at the bar's tip ("low 30", "high
 * 250": the constant's value there). A solid rule marks the point estimate, a
 * dashed one the break-even (a saving of 0); a constant whose range crosses it
 * is named "(flips the sign)". Savings follow the report's sign convention
 * (baseline − backend: positive, the backend uses less).
 */
export function tornadoChart(title: string, u: Uncertainty, top = 12): TopLevelSpec {
  const bars = u.tornado.slice(0, top);
  const point = u.saving_uj.point / 1000;
  const short = (v: number): string => (Math.abs(v) >= 1000 || Number.isInteger(v) ? String(Math.round(v * 1000) / 1000) : String(Number(v.toPrecision(3))));
  const rowOf = (b: TornadoBar): string => (b.flips_sign ? `${b.constant} (flips the sign)` : b.constant);
  const values = bars.flatMap((b) => [
    { row: rowOf(b), end: TORNADO_ENDS[0], x0: point, x1: b.saving_at_lo_uj / 1000, tip: `low ${short(b.lo)}`, left: b.saving_at_lo_uj / 1000 < point },
    { row: rowOf(b), end: TORNADO_ENDS[1], x0: point, x1: b.saving_at_hi_uj / 1000, tip: `high ${short(b.hi)}`, left: b.saving_at_hi_uj / 1000 < point },
  ]);
  const order = bars.map(rowOf);
  const all = [point, 0, ...values.map((v) => v.x1)];
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const pad = 0.18 * Math.max(hi - lo, 1e-9); // room for the tip labels
  const x = { type: 'quantitative', title: 'energy saving (mJ): baseline − backend, positive = the backend uses less', scale: { domain: [lo - pad, hi + pad], nice: false, zero: false } };
  const y = { field: 'row', type: 'nominal', title: null, sort: order, axis: { labelLimit: 320 } };
  const s = u.saving_uj;
  const mjs = (v: number): string => (v / 1000).toFixed(3);
  const sub = [
    `saving ${mjs(s.point)} mJ, interval [${mjs(s.lo)} .. ${mjs(s.hi)}] over the profile's ranges (${u.sign_uncertain ? 'the sign is NOT settled' : 'sign settled'})`,
    'each bar: the saving with that constant alone at one end of its range, the others at their values',
    bars.length < u.tornado.length ? `the ${bars.length} constants that move it most of ${u.tornado.length}` : `every constant that moves it (${u.tornado.length})`,
  ];
  const rules = [
    { x: point, label: `point estimate ${point.toFixed(3)}`, dash: [1, 0] },
    ...(point !== 0 ? [{ x: 0, label: 'break-even (0)', dash: [5, 4] }] : []),
  ];
  return {
    ...frame(title, sub),
    height: Math.max(60, 26 * bars.length),
    layer: [
      {
        data: { values },
        mark: { type: 'bar', height: { band: 0.7 } },
        encoding: {
          y,
          x: { ...x, field: 'x0' },
          x2: { field: 'x1' },
          color: { field: 'end', type: 'nominal', title: null, scale: { domain: [...TORNADO_ENDS], range: [OKABE_ITO[0], OKABE_ITO[1]] }, legend: { orient: 'bottom', labelLimit: 400 } },
          tooltip: [{ field: 'row', title: 'constant' }, { field: 'tip', title: 'value' }, { field: 'x1', format: '.3f', title: 'saving (mJ)' }],
        },
      },
      {
        data: { values },
        transform: [{ filter: 'datum.left' }],
        mark: { type: 'text', align: 'right', baseline: 'middle', dx: -3, fontSize: 9, color: INK },
        encoding: { y, x: { ...x, field: 'x1' }, text: { field: 'tip' } },
      },
      {
        data: { values },
        transform: [{ filter: '!datum.left' }],
        mark: { type: 'text', align: 'left', baseline: 'middle', dx: 3, fontSize: 9, color: INK },
        encoding: { y, x: { ...x, field: 'x1' }, text: { field: 'tip' } },
      },
      ...rules.map((r) => ({
        data: { values: [r] },
        mark: { type: 'rule', color: r.x === 0 ? MUTED : INK, strokeDash: r.dash, strokeWidth: 1.4 },
        encoding: { x: { ...x, field: 'x' } },
      })),
      {
        data: { values: rules.map((r, i) => ({ ...r, row: -4 - 11 * i })) },
        mark: { type: 'text', align: 'left', baseline: 'bottom', dx: 3, fontSize: 9, color: INK },
        encoding: { x: { ...x, field: 'x' }, y: { field: 'row', type: 'quantitative', scale: null }, text: { field: 'label' } },
      },
    ],
  } as TopLevelSpec;
}
