/**
 * mm.swapinIoCycles: the CPU a major fault spends on its read from the swap device (its
 * read's and readahead window's block I/O, the wait), charged once per fault whose page comes
 * from the device: not for readahead's pages, not for a page frontswap gives back.
 */

import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../../src/api.js';
import { getProfile } from '../../../src/profiles/registry.js';
import { tempDir, toJsonl } from '../../helpers/files.js';

const dir = tempDir();
afterAll(() => dir.cleanup());

// 3,000 anonymous pages written into 1,024 pages of RAM, then read back at random: most reads
// fault a page back in from the swap device (page_cluster 3: readahead reads windows around them).
const N = 3000;
const order = Array.from({ length: N }, (_, i) => (i * 1237) % N);
const events = (data: object): object[] => [
  ...Array.from({ length: N }, (_, i) => ({ op: 'anon', page: i, write: true, data })),
  ...order.map((p) => ({ op: 'anon', page: p })),
];

async function replay(backend: string | null, swapinIo: number | null, data: object = { class: 'text' }): Promise<{ meta: number; mm: Record<string, number> }> {
  const ssd = getProfile('ssd');
  const profile = swapinIo === null ? ssd : { ...ssd, mm: { ...ssd.mm, swapinIoCycles: { value: swapinIo, source: 'test' } } };
  const header = { format: 'tmemsim-trace', version: 1, config: { ram_pages: 1024, swap: [{ type: 0, slots: 8192 }], ...(backend ? { backend, params: { max_pool_percent: 10 } } : {}) } };
  const file = dir.file(`s-${backend}-${swapinIo}.jsonl`, toJsonl(header, events(data)));
  const r = await run({ trace: file, baseline: false, fast: true, profileDefs: [profile] });
  const b = r.runs[0]!.backend;
  return { meta: b.cost.metaCycles, mm: b.mm as unknown as Record<string, number> };
}

describe('mm.swapinIoCycles', () => {
  it('no backend: once per major fault (every one reads from the device), never for readahead pages', async () => {
    const plain = await replay(null, null);
    const charged = await replay(null, 100_000);
    expect(charged.mm).toEqual(plain.mm);
    expect(plain.mm['pgmajfault']).toBeGreaterThan(1000);
    expect(plain.mm['pswpin']).toBeGreaterThan(plain.mm['pgmajfault']!); // readahead read more pages
    expect(charged.meta - plain.meta).toBe(100_000 * plain.mm['pgmajfault']!);
  });

  it('with zswap holding every page (same-filled): the faults zswap serves are not charged', async () => {
    const plain = await replay('zswap', null, { fill: 7 });
    const charged = await replay('zswap', 100_000, { fill: 7 });
    expect(plain.mm['pgmajfault']).toBeGreaterThan(1000);
    expect(plain.mm['pswpin']).toBe(0);
    expect(plain.mm['swap_ins_frontswap']).toBe(plain.mm['swap_ins']);
    expect(charged).toEqual(plain);
  });
});
