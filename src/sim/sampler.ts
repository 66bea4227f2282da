/**
 * A deterministic time-series sampler for one pass: every `stride` events it
 * records the simulated time, the backend's stored and pool pages, the pages
 * unloaded (zombie) backends still hold, and the cumulative hit counters. The number of points stays bounded: when the
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
  /** Pages still held by unloaded backends being drained (rmmod strategy zombie): swap pages not yet repatriated, cleancache pages not yet freed. */
  zombie_pages: number[];
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

const DEFAULT_SERIES_POINTS = 200;

const COLUMNS = ['event', 't_ns', 'stored_pages', 'pool_pages', 'zombie_pages', 'swap_ins', 'swap_ins_tmem', 'cc_gets', 'cc_hits', 'pg_lookups', 'pg_hits'] as const;

export function emptySeries(): Series {
  return { event: [], t_ns: [], stored_pages: [], pool_pages: [], zombie_pages: [], swap_ins: [], swap_ins_tmem: [], cc_gets: [], cc_hits: [], pg_lookups: [], pg_hits: [] };
}

/** At most this many samples are pinned at lifecycle changes (the rest fall back to the regular samples). */
const MAX_PINNED = 1000;

export class Sampler {
  readonly series: Series = emptySeries();
  private stride = 1;
  private next = 1;
  /** Samples taken at lifecycle changes: kept apart, never decimated, merged in at finish(). */
  private readonly pinned: Series = emptySeries();
  private lifecycleSeen = 0;
  private zombiesSeen = 0;

  /**
   * `pinLifecycle`: also sample right after every insmod/rmmod and whenever a
   * zombie backend finishes draining, so a chart's time axis shows each such
   * change at its own time (the regular samples are spaced by events, and a
   * trace can idle for seconds between two of them). For plots: the metrics'
   * series keeps regular samples only, so no figure depends on it.
   */
  constructor(private readonly maxPoints = DEFAULT_SERIES_POINTS, private readonly pinLifecycle = false) {
    if (!(maxPoints >= 2)) throw new RangeError('a series needs at least 2 points');
  }

  /** Call after each event; `events` is the number of events done so far. */
  tick(m: Machine, events: number): void {
    if (this.pinLifecycle && (m.lifecycle.length !== this.lifecycleSeen || m.zombies.length !== this.zombiesSeen)) {
      this.lifecycleSeen = m.lifecycle.length;
      this.zombiesSeen = m.zombies.length;
      if (this.pinned.event.length < MAX_PINNED) this.record(m, events, this.pinned);
    }
    if (events < this.next) return;
    this.record(m, events);
    this.next = events + this.stride;
    if (this.series.event.length >= 2 * this.maxPoints) this.decimate();
  }

  /** The last sample, at the end of the pass (replacing one taken at the same event); pinned samples merged in event order. */
  finish(m: Machine, events: number): Series {
    const s = this.series;
    if (s.event.length > 0 && s.event[s.event.length - 1] === events) for (const c of COLUMNS) s[c].pop();
    this.record(m, events);
    const p = this.pinned;
    if (p.event.length > 0) {
      const merged = emptySeries();
      let i = 0;
      let j = 0;
      const take = (from: Series, k: number): void => {
        for (const c of COLUMNS) merged[c].push(from[c][k]!);
      };
      while (i < s.event.length || j < p.event.length) {
        if (j >= p.event.length || (i < s.event.length && s.event[i]! <= p.event[j]!)) {
          if (j < p.event.length && s.event[i] === p.event[j]) j++; // the same sample, once
          take(s, i++);
        } else take(p, j++);
      }
      for (const c of COLUMNS) s[c] = merged[c];
    }
    return s;
  }

  private record(m: Machine, events: number, s: Series = this.series): void {
    const b = m.backend;
    const st = m.stats;
    const cc = m.cleancache.counters;
    s.event.push(events);
    s.t_ns.push(m.clock);
    s.stored_pages.push(b ? b.storedPages() : 0);
    s.pool_pages.push(b ? b.poolPages() : 0);
    let zombie = 0;
    for (const z of m.zombies) zombie += z.swapPages + Math.max(0, z.ccPages);
    s.zombie_pages.push(zombie);
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
