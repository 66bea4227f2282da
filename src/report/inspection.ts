/** `tmemsim trace inspect`'s text: events by kind, unique pages, time span, reuse distances and miss ratios. */

import Table from 'cli-table3';
import type { TraceInspection } from '../trace/inspect.js';
import { TABLE_STYLE } from './layout.js';
import { grouped } from './numbers.js';

const num = (x: number): string => grouped(x, 3);
const pct = (x: number): string => `${(100 * x).toFixed(2)} %`;

/** The inspection as text tables. */
export function renderInspection(r: TraceInspection): string {
  const out: string[] = [`${r.trace} (${r.format}): ${num(r.events)} events`];
  const kinds = new Table({ head: ['event kind', 'events', 'share'], style: TABLE_STYLE, colAligns: ['left', 'right', 'right'] });
  for (const [op, n] of Object.entries(r.by_kind)) kinds.push([op, num(n), pct(n / r.events)]);
  out.push(kinds.toString());
  const u = r.unique_pages;
  const pages = new Table({ head: ['unique pages', 'pages', 'MiB at 4 KiB'], style: TABLE_STYLE, colAligns: ['left', 'right', 'right'] });
  for (const [k, n] of [['anonymous (pid, page)', u.anon], ['swap slots (type, offset)', u.swap_slots], ['file (fs, inode, index)', u.file], ['total', u.total]] as const) {
    pages.push([k, num(n), (n / 256).toFixed(1)]);
  }
  out.push(pages.toString());
  const t = r.time;
  out.push(t.timed_events === 0
    ? 'time: no event carries t'
    : `time: ${num(t.timed_events)} timed events, from ${num(t.start_us!)} us to ${num(t.end_us!)} us: span ${(t.span_us! / 1e6).toFixed(6)} s`);
  const reuse = new Table({ head: ['reuse distance', 'references', 'share', 'LRU of (pages)', 'LRU hit ratio'], style: TABLE_STYLE, colAligns: ['left', 'right', 'right', 'right', 'right'] });
  const refs = r.reuse.references;
  reuse.push(['cold (first reference)', num(r.reuse.cold), pct(refs ? r.reuse.cold / refs : 0), '', '']);
  for (const b of r.reuse.buckets) {
    reuse.push([b.lo === b.hi ? `${num(b.lo)}` : `${num(b.lo)} .. ${num(b.hi)}`, num(b.count), pct(refs ? b.count / refs : 0), num(b.hi + 1), pct(b.lru_hit_ratio)]);
  }
  out.push(`reuse distance (LRU stack distance) of ${num(refs)} page references:`);
  out.push(reuse.toString());
  if (r.mrc !== undefined) {
    const mrc = new Table({ head: ['LRU size', 'pages', 'hits', 'misses', 'miss ratio'], style: TABLE_STYLE, colAligns: ['left', 'right', 'right', 'right', 'right'] });
    for (const m of r.mrc) mrc.push([m.size, num(m.pages), num(m.hits), num(m.misses), m.miss_ratio === null ? 'n/a' : pct(m.miss_ratio)]);
    out.push(`exact LRU miss ratios (cold misses included) at the sizes asked, footprint ${num(u.total)} pages:`);
    out.push(mrc.toString());
  }
  return out.join('\n') + '\n';
}
