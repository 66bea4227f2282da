/**
 * A tiny tmem-level trace whose every counter is worked out by hand from the
 * kernel rules (comments give the reasoning), replayed through zcache.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/api.js';
import { MAX_RELATIVE_ERROR } from '../../src/cost/latency.js';

const trace = {
  format: 'tmemsim-trace',
  version: 1,
  config: { ram_pages: 4096, swap: [{ type: 0, slots: 1024 }], mounts: [{ fs: 1 }, { fs: 2, uuid: 'u-1' }] },
  events: [
    // Before any backend: lazy init records the swap area and both mounts.
    { op: 'frontswap_store', type: 0, offset: 1, data: 'text' }, // no backend: -1, uncounted, disk write 1
    { op: 'cleancache_put', fs: 1, inode: 7, index: 0, data: 'text' }, // no backend: puts=1 (quirk)
    { op: 'cleancache_get', fs: 1, inode: 7, index: 0 }, // no backend: failed_gets=1, fs read 1
    { op: 'insmod', backend: 'zcache' }, // replays init(0), init_fs, init_shared_fs
    { op: 'frontswap_store', type: 0, offset: 1, data: 'heap' }, // succ_stores=1 (pers zpage 1)
    { op: 'frontswap_store', type: 0, offset: 2, data: 'zero' }, // succ_stores=2 (zero-filled in 3.10)
    { op: 'frontswap_store', type: 0, offset: 3, data: 'random' }, // clen > 3584: compress_poor, failed_stores=1, disk write 2
    { op: 'frontswap_load', type: 0, offset: 1 }, // loads=1, exclusive: bit cleared
    { op: 'frontswap_load', type: 0, offset: 1 }, // bit clear: no call; served from RAM (no I/O)
    { op: 'frontswap_load', type: 0, offset: 3 }, // bit clear: disk read 1
    { op: 'frontswap_invalidate_page', type: 0, offset: 2 }, // invalidates=1
    { op: 'frontswap_invalidate_page', type: 0, offset: 2 }, // bit clear: uncounted
    { op: 'cleancache_put', fs: 1, inode: 7, index: 0, data: 'text' }, // puts=2
    { op: 'cleancache_put', fs: 2, inode: 7, index: 0, data: 'text' }, // puts=3 (shared maps to private in zcache)
    { op: 'cleancache_get', fs: 1, inode: 7, index: 0 }, // succ_gets=1 (exclusive)
    { op: 'cleancache_get', fs: 1, inode: 7, index: 0 }, // failed_gets=2, fs read 2
    { op: 'cleancache_get', fs: 2, inode: 7, index: 0 }, // succ_gets=2
    { op: 'cleancache_invalidate_page', fs: 2, inode: 7, index: 0 }, // invalidates=1 (backend called)
    { op: 'cleancache_invalidate_inode', fs: 1, inode: 7 }, // never counted
  ],
};

describe('a tiny trace, counted by hand', () => {
  it('matches the kernel rules counter for counter', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tmemsim-tiny-'));
    const file = path.join(dir, 'tiny.json');
    fs.writeFileSync(file, JSON.stringify(trace));
    const r = await run({ trace: file, profiles: ['ssd'] });
    const b = r.runs[0]!.backend;
    expect(b.frontswap).toEqual({ loads: 1, succ_stores: 2, failed_stores: 1, invalidates: 1, frontswap_curr_pages: 0 });
    expect(b.cleancache).toEqual({ succ_gets: 2, failed_gets: 2, puts: 3, invalidates: 1 });
    expect(b.io).toEqual({ swap_reads: 1, swap_writes: 2, fs_reads: 2, fs_writes: 0 });
    expect(b.debugfs.zcache!.compress_poor).toBe(1);
    expect(b.debugfs.zcache!.failed_pers_puts).toBe(1);
    expect(b.oracle).toMatchObject({ stale: 0, lost: 0, checked_loads: 1, checked_gets: 2 });
    // The baseline never has a backend: every store and get goes to the devices.
    const base = r.runs[0]!.baseline!;
    expect(base.frontswap).toEqual({ loads: 0, succ_stores: 0, failed_stores: 0, invalidates: 0, frontswap_curr_pages: 0 });
    expect(base.cleancache).toEqual({ succ_gets: 0, failed_gets: 4, puts: 3, invalidates: 0 }); // 4 gets, all miss
    expect(base.io).toEqual({ swap_reads: 3, swap_writes: 4, fs_reads: 4, fs_writes: 0 }); // 3 loads, 4 stores, 4 gets
  });
});

describe('the tiny trace, latency by hand', () => {
  it('gives each swap-in and page-cache miss the latency charged while it runs', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tmemsim-tiny-lat-'));
    const file = path.join(dir, 'tiny.json');
    fs.writeFileSync(file, JSON.stringify(trace));
    const r = await run({ trace: file, profiles: ['ssd'] });
    const run0 = r.runs[0]!;
    // ssd profile: 3 GHz; lz4 decompress = 1000 fixed + 4096 x 3200/3832 cycles/B (per output byte);
    // zcache charges TMEM_OP_CYCLES = 400 per get; the NVMe read is 80 µs plus the block I/O path's
    // 3000 + 1500 + 3000 + 4500 cycles (submission, driver, interrupt, completion).
    const ns = (cycles: number): number => (cycles * 1e9) / 3e9;
    const hit = ns(400 + 1000 + (4096 * 3200) / 3832); // ≈ 1606.8 ns: a zcache get that decompresses
    const read = 80_000 + ns(3000 + 1500 + 3000 + 4500);
    const missAfterLookup = ns(400) + read; // zcache looks, finds nothing, then the filesystem read
    // Swap-ins (the three frontswap_load events): hit, bit clear so served from RAM (nothing charged), disk read.
    const si = run0.backend.latency.swap_in;
    expect(si.count).toBe(3);
    expect(si.mean_ns).toBeCloseTo((hit + 0 + read) / 3, 3);
    expect(Math.abs(si.p50_ns! - hit) / hit).toBeLessThanOrEqual(MAX_RELATIVE_ERROR); // rank 2 of 3
    expect(si.p95_ns).toBe(read); // rank 3: the bucket is clamped to the exact maximum
    expect(si.p99_ns).toBe(read);
    expect(si.max_ns).toBe(read);
    // Page-cache misses (the four cleancache_get events): no backend yet → read; hit; miss → lookup + read; hit.
    const pc = run0.backend.latency.page_cache_miss;
    expect(pc.count).toBe(4);
    expect(pc.mean_ns).toBeCloseTo((read + hit + missAfterLookup + hit) / 4, 3);
    expect(Math.abs(pc.p50_ns! - hit) / hit).toBeLessThanOrEqual(MAX_RELATIVE_ERROR); // rank 2 of 4
    expect(pc.p95_ns).toBeCloseTo(missAfterLookup, 6); // rank 4 = the maximum
    expect(pc.max_ns).toBeCloseTo(missAfterLookup, 6);
    // The baseline reads every one from the devices.
    const base = run0.baseline!.latency;
    expect(base.swap_in).toEqual({ count: 3, mean_ns: read, p50_ns: read, p95_ns: read, p99_ns: read, max_ns: read });
    expect(base.page_cache_miss).toEqual({ count: 4, mean_ns: read, p50_ns: read, p95_ns: read, p99_ns: read, max_ns: read });
    expect(run0.delta!.swap_in_p99_saved_ns).toBe(0);
    expect(run0.delta!.page_cache_miss_p99_saved_ns).toBeCloseTo(read - missAfterLookup, 6);
  });
});
