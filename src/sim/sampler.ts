/**
 * A deterministic time-series sampler for one pass: every `stride` events it
 * records the simulated time, the backend's stored and pool pages and the
 * cumulative hit counters. The number of points stays bounded: when the
 * buffer holds `2 * maxPoints` samples, every other one is dropped and the
 * stride doubles, so a trace of any length ends with between `maxPoints` and
 * `2 * maxPoints` evenly spaced samples (plus the final one). The decisions
 * depend only on the event count, never on the host.
 *
 * Counters are kept cumulative, so a hit ratio over any stretch between two
 * kept samples is exact (hits difference / lookups difference), whatever was
 * dropped in between.
 */

import type { Machine } from './machine.js';

/** Column-wise samples of one pass. */
export interface Series {
  /** Event index after which each sample was taken. */
  event: number[];
  /** Simulated time of the sample, ns. */
  t_ns: number[];
  /** Pages the backend holds (frontswap + cleancache). */
  stored_pages: number[];
  /** Pageframes the backend's pool takes. */
  pool_pages: number[];
  /** Cumulative swap-ins, and those served by frontswap. */
  swap_ins: number[];
  swap_ins_tmem: number[];
  /** Cumulative cleancache gets, and those that hit. */
  cc_gets: number[];
  cc_hits: number[];
  /** Cumulative page-cache lookups, and those that hit. */
  pg_lookups: number[];
  pg_hits: number[];
}

export const DEFAULT_SERIES_POINTS = 200;

const COLUMNS = ['event', 't_ns', 'stored_pages', 'pool_pages', 'swap_ins', 'swap_ins_tmem', 'cc_gets', 'cc_hits', 'pg_lookups', 'pg_hits'] as const;

export function emptySeries(): Series {
  return { event: [], t_ns: [], stored_pages: [], pool_pages: [], swap_ins: [], swap_ins_tmem: [], cc_gets: [], cc_hits: [], pg_lookups: [], pg_hits: [] };
}

export class Sampler {
  readonly series: Series = emptySeries();
  private stride = 1;
  private next = 1;

  constructor(private readonly maxPoints = DEFAULT_SERIES_POINTS) {
    if (!(maxPoints >= 2)) throw new RangeError('a series needs at least 2 points');
  }

  /** Call after each event; `events` is the number of events done so far. */
  tick(m: Machine, events: number): void {
    if (events < this.next) return;
    this.record(m, events);
    this.next = events + this.stride;
    if (this.series.event.length >= 2 * this.maxPoints) this.decimate();
  }

  /** The last sample, at the end of the pass (replacing one taken at the same event). */
  finish(m: Machine, events: number): Series {
    const s = this.series;
    if (s.event.length > 0 && s.event[s.event.length - 1] === events) for (const c of COLUMNS) s[c].pop();
    this.record(m, events);
    return s;
  }

  private record(m: Machine, events: number): void {
    const s = this.series;
    const b = m.backend;
    const st = m.stats;
    const cc = m.cleancache.counters;
    s.event.push(events);
    s.t_ns.push(m.clock);
    s.stored_pages.push(b ? b.storedPages() : 0);
    s.pool_pages.push(b ? b.poolPages() : 0);
    s.swap_ins.push(st.swap_ins);
    s.swap_ins_tmem.push(st.swap_ins_frontswap);
    s.cc_gets.push(cc.succ_gets + cc.failed_gets);
    s.cc_hits.push(cc.succ_gets);
    s.pg_lookups.push(st.pgcache_hits + st.pgcache_misses);
    s.pg_hits.push(st.pgcache_hits);
  }

  /** Keep samples 1, 3, 5, ... (each a multiple of the doubled stride) and double the stride. */
  private decimate(): void {
    const s = this.series;
    for (const c of COLUMNS) s[c] = s[c].filter((_, i) => i % 2 === 1);
    this.stride *= 2;
    this.next = s.event[s.event.length - 1]! + this.stride;
  }
}

/** Hit ratio of each stretch between consecutive samples (0 where there were no lookups). */
export function windowRatio(hits: number[], lookups: number[]): number[] {
  return hits.map((h, i) => {
    const dh = h - (i > 0 ? hits[i - 1]! : 0);
    const dl = lookups[i]! - (i > 0 ? lookups[i - 1]! : 0);
    return dl === 0 ? 0 : dh / dl;
  });
}
