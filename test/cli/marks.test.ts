import { afterAll, describe, expect, it } from 'vitest';
import { tmemsim } from '../helpers/cli.js';
import { tempDir, toJsonl } from '../helpers/files.js';

// 300 pages written into 200 pages of workload RAM (ram 260, the kernel keeps 60): zswap stores the rest.
const header = { format: 'tmemsim-trace', version: 1, config: { ram_pages: 260, kernel_pages: 60, backend: 'zswap', params: { zpool: 'zbud', max_pool_percent: 50 }, swap: [{ type: 0, slots: 1024 }], profile: 'ssd' } };
const events = [
  { op: 'mark', name: 'start' },
  ...Array.from({ length: 300 }, (_, p) => ({ op: 'anon', page: p, write: true, data: { class: 'text', seed: p + 1 } })),
  { op: 'mark', name: 'written' },
  ...Array.from({ length: 300 }, (_, p) => ({ op: 'anon', page: p })),
  { op: 'mark', name: 'read' },
];

const tmp = tempDir('marks-');
afterAll(() => tmp.cleanup());
let n = 0;
function trace(ext: string): string {
  return tmp.file(`t${n++}.${ext}`, toJsonl(header, events));
}

describe('mark events', () => {
  it('snapshot every counter into the JSON report, in trace order, and the binary form keeps them', async () => {
    const f = trace('jsonl');
    const r = await tmemsim('run', f, '--format', 'json', '--no-baseline');
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.out);
    expect(rep.config.kernel_pages).toBe(60);
    const marks = rep.runs[0].backend.marks;
    expect(marks.map((m: { name: string }) => m.name)).toEqual(['start', 'written', 'read']);
    expect(marks[0].vmstat).toMatchObject({ pswpout: 0, zswpout: 0, nr_anon_pages: 0 });
    expect(marks[0].meminfo).toMatchObject({ MemTotal: 260 * 4, Zswap: 0, Zswapped: 0 });
    const w = marks[1];
    expect(w.event).toBe(301);
    expect(w.debugfs.zswap.stored_pages).toBeGreaterThan(0);
    expect(w.vmstat.zswpout).toBe(w.debugfs.zswap.stored_pages + w.debugfs.zswap.written_back_pages);
    expect(w.meminfo.Zswapped).toBe(w.debugfs.zswap.stored_pages * 4);
    expect(w.vmstat.nr_anon_pages + w.debugfs.zswap.stored_pages).toBeLessThanOrEqual(300);
    // the end-of-run counters equal the last mark's (no event after it)
    expect(rep.runs[0].backend.debugfs.zswap).toEqual(marks[2].debugfs.zswap);
    const bin = f.replace(/\.jsonl$/, '.tmtb');
    expect((await tmemsim('trace', 'convert', f, bin)).code).toBe(0);
    const rb = JSON.parse((await tmemsim('run', bin, '--format', 'json', '--no-baseline')).out);
    expect(rb.runs[0].backend.marks).toEqual(marks);
  });

  it('print a table of counters at each mark; reports of traces without marks have none', async () => {
    const r = await tmemsim('run', trace('jsonl'), '--no-baseline');
    expect(r.out).toMatch(/counters at each mark \(ssd, zswap\)\n.*\n.*counter\s+│\s+start │\s+written │\s+read/);
    expect(r.out).toMatch(/│ zswap\/stored_pages\s+│\s+0 │/);
    const plain = JSON.parse((await tmemsim('run', 'workloads/file-scan.json', '--format', 'json', '--fast', '--no-baseline', '--profile', 'ssd')).out);
    expect('marks' in plain.runs[0].backend).toBe(false);
  });

  it("with named zones (config.zones) a mark records each zone's free pages and watermark boost, which add up to nr_free_pages", async () => {
    const zoned = { ...header, config: { ...header.config, ram_pages: 1200, kernel_pages: 0, zones: [{ name: 'DMA', pages: 200 }, { name: 'DMA32', pages: 1000 }], min_free_kbytes: 256 } };
    const writes = Array.from({ length: 1500 }, (_, p) => ({ op: 'anon', page: p, write: true, data: { class: 'text', seed: p + 1 } }));
    const f = tmp.file(`t${n++}.jsonl`, toJsonl(zoned, [{ op: 'mark', name: 'start' }, ...writes, { op: 'mark', name: 'written' }]));
    const r = await tmemsim('run', f, '--format', 'json', '--no-baseline');
    expect(r.code).toBe(0);
    for (const m of JSON.parse(r.out).runs[0].backend.marks) {
      expect(Object.keys(m.zones)).toEqual(['DMA', 'DMA32']);
      expect(m.zones.DMA.free + m.zones.DMA32.free).toBe(m.vmstat.nr_free_pages);
      for (const z of ['DMA', 'DMA32']) {
        expect(Number.isInteger(m.zones[z].boost) && m.zones[z].boost >= 0).toBe(true);
        expect(Number.isInteger(m.zones[z].pcp_count) && m.zones[z].pcp_count >= 0).toBe(true);
      }
    }
    // without named zones there is no per-zone record
    const plain = await tmemsim('run', trace('jsonl'), '--format', 'json', '--no-baseline');
    expect(JSON.parse(plain.out).runs[0].backend.marks[1].zones).toBeUndefined();
  });
});
