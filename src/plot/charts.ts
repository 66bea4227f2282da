/**
 * The charts, as Vega-Lite specs built from plain data: stored pages and pool
 * size over simulated time, hit ratios over time, the energy breakdown of a
 * backend against its baseline, and a sweep's Pareto frontier.
 */

import type { TopLevelSpec } from 'vega-lite';
import { windowRatio, type Series } from '../sim/sampler.js';
import type { EnergyBreakdown } from '../cost/energy.js';
import { frame } from './render.js';

const sec = (ns: number): number => ns / 1e9;

/** Stored pages and pool pageframes of one or more passes over simulated time. */
export function poolChart(title: string, passes: { label: string; series: Series }[]): TopLevelSpec {
  const values: { t_s: number; pages: number; series: string }[] = [];
  for (const p of passes) {
    const s = p.series;
    for (let i = 0; i < s.t_ns.length; i++) {
      values.push({ t_s: sec(s.t_ns[i]!), pages: s.stored_pages[i]!, series: `${p.label} stored pages` });
      values.push({ t_s: sec(s.t_ns[i]!), pages: s.pool_pages[i]!, series: `${p.label} pool pages` });
    }
  }
  return {
    ...frame(title, 'pages the backend holds and the pageframes its pool takes'),
    data: { values },
    mark: { type: 'line', interpolate: 'step-after' },
    encoding: {
      x: { field: 't_s', type: 'quantitative', title: 'simulated time (s)' },
      y: { field: 'pages', type: 'quantitative', title: 'pages' },
      color: { field: 'series', type: 'nominal', title: null, legend: { orient: 'bottom', columns: 2, labelLimit: 400 } },
    },
  } as TopLevelSpec;
}

/** Hit ratios over each stretch between samples (frontswap loads, cleancache gets, page cache). */
export function hitChart(title: string, s: Series): TopLevelSpec {
  const values: { t_s: number; ratio: number; series: string }[] = [];
  const add = (name: string, hits: number[], lookups: number[]): void => {
    if (lookups[lookups.length - 1] === 0) return;
    const r = windowRatio(hits, lookups);
    for (let i = 0; i < r.length; i++) {
      const dl = lookups[i]! - (i > 0 ? lookups[i - 1]! : 0);
      if (dl > 0) values.push({ t_s: sec(s.t_ns[i]!), ratio: r[i]!, series: name });
    }
  };
  add('frontswap load hit', s.swap_ins_tmem, s.swap_ins);
  add('cleancache get hit', s.cc_hits, s.cc_gets);
  add('page cache hit', s.pg_hits, s.pg_lookups);
  return {
    ...frame(title, 'hit ratio over each stretch of the run'),
    data: { values },
    mark: { type: 'line', point: { size: 12 } },
    encoding: {
      x: { field: 't_s', type: 'quantitative', title: 'simulated time (s)' },
      y: { field: 'ratio', type: 'quantitative', title: 'hit ratio', scale: { domain: [0, 1] }, axis: { format: '.0%' } },
      color: { field: 'series', type: 'nominal', title: null, legend: { orient: 'bottom' } },
    },
  } as TopLevelSpec;
}

/** Energy by component, backend beside baseline, stacked. */
export function energyChart(title: string, backend: EnergyBreakdown, baseline: EnergyBreakdown | null, backendLabel: string): TopLevelSpec {
  const values: { pass: string; component: string; mj: number }[] = [];
  const add = (pass: string, e: EnergyBreakdown): void => {
    values.push({ pass, component: 'CPU', mj: e.cpu_uj / 1000 }, { pass, component: 'storage', mj: e.storage_uj / 1000 }, { pass, component: 'DRAM', mj: e.dram_uj / 1000 }, { pass, component: 'network', mj: e.network_uj / 1000 });
  };
  add(backendLabel, backend);
  if (baseline) add('baseline (no backend)', baseline);
  return {
    ...frame(title, 'energy by component, mJ'),
    height: 160,
    data: { values },
    mark: 'bar',
    encoding: {
      y: { field: 'pass', type: 'nominal', title: null, sort: null },
      x: { field: 'mj', type: 'quantitative', title: 'energy (mJ)', stack: 'zero' },
      color: { field: 'component', type: 'nominal', title: 'component', sort: ['CPU', 'storage', 'DRAM', 'network'] },
      order: { field: 'component' },
    },
  } as TopLevelSpec;
}

export interface FrontPoint {
  id: string;
  x: number;
  y: number;
  front: boolean;
}

/** A scatter of a sweep's configurations with the frontier joined and labelled. */
export function frontierChart(title: string, subtitle: string, xTitle: string, yTitle: string, points: FrontPoint[]): TopLevelSpec {
  const values = points.map((p) => ({ ...p, set: p.front ? 'on the frontier' : 'dominated' }));
  const front = values.filter((p) => p.front).sort((a, b) => a.x - b.x || a.y - b.y);
  return {
    ...frame(title, subtitle),
    layer: [
      { data: { values: front }, mark: { type: 'line', strokeDash: [4, 3], color: '#d62728' }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' }, order: { field: 'x' } } },
      {
        data: { values },
        mark: { type: 'point', filled: true, size: 60 },
        encoding: {
          x: { field: 'x', type: 'quantitative', title: xTitle, scale: { zero: false } },
          y: { field: 'y', type: 'quantitative', title: yTitle, scale: { zero: false } },
          color: { field: 'set', type: 'nominal', title: null, scale: { domain: ['on the frontier', 'dominated'], range: ['#d62728', '#7f7f7f'] } },
          tooltip: [{ field: 'id' }],
        },
      },
      { data: { values: front }, mark: { type: 'text', align: 'left', dx: 6, dy: -6, fontSize: 9 }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' }, text: { field: 'id' } } },
    ],
  } as TopLevelSpec;
}
