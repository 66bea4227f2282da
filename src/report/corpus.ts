/** `tmemsim corpus stats`'s text: the page counts, the ratio per compressor and the compressed-size histogram. */

import Table from 'cli-table3';
import { BUCKET, type CorpusStats } from '../content/corpus-tools.js';
import { TABLE_STYLE } from './layout.js';

/** The stats as a table: the page counts, then one row per compressor with its histogram. */
export function renderCorpusStats(s: CorpusStats): string {
  const lines = [`${s.corpus}: ${s.pages} pages, ${s.zero} zero, ${s.same_filled} same-filled (non-zero)`];
  const t = new Table({ head: ['compressor', 'ratio', 'compressed bytes', 'incompressible'], style: TABLE_STYLE });
  for (const c of s.compressors) t.push([c.name, c.ratio.toFixed(4), String(c.bytes), String(c.incompressible)]);
  lines.push(t.toString());
  const last = s.compressors[0]?.histogram.length ?? 0;
  const head = ['bytes', ...s.compressors.map((c) => c.name)];
  const h = new Table({ head, style: TABLE_STYLE });
  for (let i = 0; i < last; i++) {
    const label = i === last - 1 ? `${i * BUCKET}+` : `${i * BUCKET}-${(i + 1) * BUCKET - 1}`;
    h.push([label, ...s.compressors.map((c) => String(c.histogram[i]))]);
  }
  lines.push('compressed size histogram (pages):', h.toString());
  return lines.join('\n') + '\n';
}
