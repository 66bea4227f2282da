import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pageKey } from '../../../src/content/classes/vmix.js';
import { Mulberry32 } from '../../../src/content/rng.js';
import { eventsOf, headerOf, replay } from '../../../src/validate/replay.js';
import { defaultBootFrom, readReference } from '../../../src/validate/reference.js';
import type { Reference } from '../../../src/validate/reference.js';
import { testMachine } from '../../helpers/machine.js';

const fits = readReference(path.resolve(__dirname, '../../fixtures/validation/fits.json'));
const withOps = (ops: string[]): Reference => ({ ...fits, workload: { seed: 9, ops } });

describe('replaying a recorded case', () => {
  it('gives the guest as the kernel saw it: totalram, the kernel\'s pages, swap, zswap parameters', () => {
    const h = headerOf(fits);
    expect(h.config.ram_pages).toBe(4000); // 16,000 kB
    expect(h.config.kernel_pages).toBe(1000); // 16,000 - 12,000 kB
    // 16,380 kB; a virtio disk, which 6.1 does not mark non-rotational: cluster swap readahead.
    expect(h.config.swap).toEqual([{ type: 0, slots: 4095, rotational: true }]);
    // No data disk recorded here: no file sizes, no read_ahead_kb.
    expect(h.config.files).toBeUndefined();
    expect(h.config.read_ahead_kb).toBeUndefined();
    const withDisk = headerOf({ ...fits, config: { ...fits.config, sys: { ...fits.config.sys, ra_kb: 128, data_pages: 131072 } } });
    expect(withDisk.config.read_ahead_kb).toBe(128);
    expect(withDisk.config.files).toEqual([{ fs: 1, inode: 1, pages: 131072 }]);
    expect(h.config.backend).toBe('zswap');
    expect(h.config.params).toMatchObject({ compressor: 'lz4', zpool: 'zsmalloc', max_pool_percent: 20, accept_threshold_percent: 90 });
    expect(h.config.params!['era']).toBe('6.1'); // mm/zswap.c of the 6.1.y LTS the references ran
    expect(headerOf(readReference(path.resolve(__dirname, '../../fixtures/validation/outlier.json'))).config.backend).toBeNull();
    // the swap disk's queue/rotational when the recording holds it (absent: rotational, as 6.1's virtio-blk is)
    expect(h.config.swap![0]!.rotational).toBe(true);
    expect(headerOf({ ...fits, config: { ...fits.config, sys: { ...fits.config.sys, swap_rotational: 0 } } }).config.swap![0]!.rotational).toBe(false);
    expect(headerOf({ ...fits, config: { ...fits.config, sys: { ...fits.config.sys, swap_rotational: 1 } } }).config.swap![0]!.rotational).toBe(true);
  });

  it("counts the per-CPU lists' free pages at the start beyond 6.1's high as free, not as the kernel's (MemFree leaves them out)", () => {
    const run = fits.runs[0]!;
    // zone_highsize on one CPU: max(low, 4 * batch); batch 1 for zones this small (zone_batchsize).
    // DMA: high max(1, 4) = 4, 2 listed: none beyond. DMA32: high 50, 200 listed: 150 beyond.
    const zoneinfo = ['Node 0, zone DMA', 'min 1', 'low 1', 'high 2', 'managed 10', 'Node 0, zone DMA32', 'min 40', 'low 50', 'high 60', 'managed 3000'];
    const zones = { DMA: { free: 10, pcp_count: 2 }, DMA32: { free: 2990, pcp_count: 200 } };
    const at = (where: 'start' | 'later', info: string[] = zoneinfo): Reference => ({
      ...fits,
      config: { ...fits.config, zoneinfo: info },
      runs: [{ ...run, marks: run.marks.map((m) => ((m.name === 'start') === (where === 'start') ? { ...m, zones } : m)) }, ...fits.runs.slice(1)],
    });
    expect(headerOf(at('start')).config.kernel_pages).toBe(1000 - 150);
    // A 6.1 guest's lists under their high (230-250 of 527): nothing added, tmemsim's own lists hold as many.
    expect(headerOf(at('start', zoneinfo.map((l) => (l === 'low 50' ? 'low 527' : l)))).config.kernel_pages).toBe(1000);
    // Counts at a later mark only: the start's are what the guest had then.
    expect(headerOf(at('later')).config.kernel_pages).toBe(1000);
    // No zoneinfo to size tmemsim's lists by: nothing added.
    expect(headerOf(at('start', [])).config.kernel_pages).toBe(1000);
  });

  it('replays with another zswap era when asked (a recording of another kernel), and without a backend leaves it out', async () => {
    expect((await replay(fits, 'fits.json', 'ssd')).config.params['era']).toBe('6.1');
    expect((await replay(fits, 'fits.json', 'ssd', { zswapEra: '6.8+' })).config.params['era']).toBe('6.8+');
    const outlier = readReference(path.resolve(__dirname, '../../fixtures/validation/outlier.json'));
    const none = await replay(outlier, 'outlier.json', 'ssd', { zswapEra: '6.8+' });
    expect(none.config.backend).toBeNull();
  });

  it("starts the zones from the guests' boot state: the case's own start mark, else the same case of --boot-from's recording of that kernel", async () => {
    const rec = (p: string): Reference => readReference(path.resolve(__dirname, '../../../validation', p));
    const own = rec('recordings/2026-12-06b/swapin-seq.json');
    const zones = headerOf(own).config.zones!;
    const dma32 = zones.find((z) => z.name === 'DMA32')!;
    expect(dma32.boot!.blocks).toEqual({ unmovable: 12, movable: 102, reclaimable: 6 });
    const start = own.runs[0]!.marks.find((m) => m.name === 'start')!.zones!['DMA32'] as Record<string, number>;
    for (const t of ['unmovable', 'movable', 'reclaimable'] as const) {
      expect(dma32.boot!.free[t]).toEqual(Array.from({ length: 11 }, (_, o) => start[`free_${t}_o${o}`]));
    }
    // A reference recorded before the lines: none of its own; another recording's, when given.
    const old = rec('references/swapin-seq.json');
    expect(headerOf(old).config.zones!.every((z) => z.boot === undefined)).toBe(true);
    expect(headerOf(old, 'ssd', false, own).config.zones).toEqual(zones);
    // A recording of another kernel: one line when named, skipped when it is the default.
    const other = { dirs: [path.resolve(__dirname, '../../../validation/other-kernels/linux-6.12.95')], given: true };
    await expect(replay(old, 'swapin-seq.json', 'ssd', { bootFrom: other })).rejects.toThrow(/--boot-from .* is a recording of 6\.12\.95\+deb12-amd64, the case's of 6\.1\.0-47-amd64/);
    const skipped = await replay(old, 'swapin-seq.json', 'ssd', { bootFrom: { ...other, given: false } });
    expect(skipped.config.zones?.names).toEqual(['DMA', 'DMA32']);
    expect(skipped.config.zones?.boot).toBeUndefined();
    await expect(replay({ ...old, case: 'no-such-case' }, 'x.json', 'ssd', { bootFrom: { dirs: ['/nonexistent'], given: true } })).rejects.toThrow(/not a directory of recordings/);
  });

  it("boots the first 6.12.95 recording from the later one's start marks (validate:6.12's --boot-from)", async () => {
    const dir = path.resolve(__dirname, '../../../validation/other-kernels');
    const first = readReference(path.join(dir, 'linux-6.12.95/rw-zsmalloc-zstd.json'));
    const later = readReference(path.join(dir, 'linux-6.12.95-2026-12-06/rw-zsmalloc-zstd.json'));
    expect(headerOf(first).config.zones!.every((z) => z.boot === undefined)).toBe(true);
    const booted = await replay(first, 'rw-zsmalloc-zstd.json', 'ssd', { zswapEra: '6.12', bootFrom: { dirs: [path.join(dir, 'linux-6.12.95-2026-12-06')], given: true } });
    expect(booted.config.zones?.boot).toEqual(headerOf(later).config.zones!.map((z) => z.boot));
    const start = later.runs[0]!.marks.find((m) => m.name === 'start')!.zones!['DMA32'] as Record<string, number>;
    const dma32 = headerOf(first, 'ssd', false, later).config.zones!.find((z) => z.name === 'DMA32')!;
    expect(dma32.boot!.free.movable).toEqual(Array.from({ length: 11 }, (_, o) => start[`free_movable_o${o}`]));
    // The default: the package's recordings, one per kernel; each case boots from its own kernel's
    // (the 6.1 one, first in the list, skipped here), the 6.1 references from 2026-12-06b's.
    const byDefault = await replay(first, 'rw-zsmalloc-zstd.json', 'ssd', { zswapEra: '6.12', bootFrom: { dirs: defaultBootFrom(), given: false } });
    expect(byDefault.config.zones?.boot).toEqual(booted.config.zones?.boot);
    const old = readReference(path.resolve(__dirname, '../../../validation/references/rw-zsmalloc-zstd.json'));
    const own = readReference(path.resolve(__dirname, '../../../validation/recordings/2026-12-06b/rw-zsmalloc-zstd.json'));
    const oldBooted = await replay(old, 'rw-zsmalloc-zstd.json', 'ssd', { bootFrom: { dirs: defaultBootFrom(), given: false } });
    expect(oldBooted.config.zones?.boot).toEqual(headerOf(own).config.zones!.map((z) => z.boot));
  });

  it('turns each workload op into the accesses workload.c makes, in its order', () => {
    // `lock` (mlockall of the workload's own pages) touches nothing the replay models.
    const ev = [...eventsOf(withOps(['lock', 'mark:start', 'anon:5', 'write:3:7:2', 'read:0:2', 'rread:1:5:3:11', 'hot:0:2:/dev/vdb:130:2', 'fread:/dev/vdb:64', 'mark:end']))];
    const r = new Mulberry32(11);
    const draws = [r.next(), r.next(), r.next()].map((x) => 1 + (x % 4));
    const file = (i: number) => ({ op: 'file', fs: 1, inode: 1, index: i });
    const expected = [
      { op: 'mark', name: 'start' },
      // pages 5 and 6 are beyond the 5 mapped pages: workload.c stops at npages
      { op: 'anon', pid: 1, page: 3, write: true, data: { class: 'vmix', seed: pageKey(9, 2, 3) } },
      { op: 'anon', pid: 1, page: 4, write: true, data: { class: 'vmix', seed: pageKey(9, 2, 4) } },
      { op: 'anon', pid: 1, page: 0 }, { op: 'anon', pid: 1, page: 1 },
      ...draws.map((page) => ({ op: 'anon', pid: 1, page })),
      // hot: 130 pages = 2 whole calls of 64; the hot set after every 2nd call
      ...Array.from({ length: 128 }, (_, i) => file(i)),
      { op: 'anon', pid: 1, page: 0 }, { op: 'anon', pid: 1, page: 1 },
      // close(): the last close of a block device drops its page cache (kill_bdev)
      { op: 'umount', fs: 1 }, { op: 'mount', fs: 1 },
      ...Array.from({ length: 64 }, (_, i) => file(i)),
      { op: 'umount', fs: 1 }, { op: 'mount', fs: 1 },
      { op: 'mark', name: 'end' },
    ];
    expect(ev).toEqual(expected);
  });

  it('rejects an unknown op in one line naming it', () => {
    expect(() => [...eventsOf(withOps(['poke:1']))]).toThrow(/unknown workload op 'poke:1'/);
  });
});

describe('kernel_pages', () => {
  it('keeps totalram whole (zswap\'s limit) while the workload gets the rest', () => {
    const m = testMachine({ ramPages: 4000, kernelPages: 1000 });
    expect(m.vm().totalram).toBe(4000);
    expect(m.memory.ramPages).toBe(3000);
    const plain = testMachine({ ramPages: 4000 });
    expect(plain.vm().totalram).toBe(4000);
    expect(plain.memory.ramPages).toBe(4000);
  });

  it('stamps each event with the workload\'s own CPU time: its user time in a phase (the mean of the runs) spread evenly over its events', async () => {
    // write: 1,000 events over 2 s and 4 s of user time in the two runs (3 s on average): 3 ms
    // an event; reread: 1,000 events over 1 s in both. The uptimes (ten times as long, the host's
    // time included) are not the workload's. With config.time 'cpu' tmemsim adds the kernel
    // work it models: the marks come at 3 s and 4 s of the workload's time plus that work.
    const user = [[0, 200, 300], [0, 400, 500]];
    const uptime = [[1, 30, 40], [1, 50, 60]];
    const ref: Reference = {
      ...fits,
      runs: fits.runs.map((run, i) => ({ ...run, marks: run.marks.map((m, k) => ({ ...m, stat: { user: user[i]![k]!, nice: 0, system: 0, uptime_s: uptime[i]![k]! } })) })),
    };
    expect(headerOf(ref).config.time).toBe('cpu');
    const res = await replay(ref, 'fits.json', 'ssd');
    const b = res.runs[0]!.backend;
    const marks = b.marks!;
    expect(marks.map((m) => m.name)).toEqual(['start', 'write', 'reread']);
    // Everything tmemsim charged in the whole run (CPU and device time) is far less than a second.
    const kernel = b.cost.cpuNs + b.cost.ioNs;
    expect(kernel).toBeLessThan(1e8);
    expect(marks[1]!.sim_time_ns).toBeGreaterThanOrEqual(3e9);
    expect(marks[1]!.sim_time_ns).toBeLessThanOrEqual(3e9 + kernel);
    expect(marks[2]!.sim_time_ns).toBeGreaterThanOrEqual(4e9);
    expect(marks[2]!.sim_time_ns).toBeLessThanOrEqual(4e9 + kernel);
    expect(b.sim_time_ns).toBeLessThanOrEqual(4e9 + kernel);
  });
});
