import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultReferenceDir, readReferences } from '../../../src/validate/reference.js';
import { recordings } from '../../../validation/recordings.mjs';

const ROOT = path.resolve(__dirname, '../../..');
const spec = JSON.parse(fs.readFileSync(path.join(ROOT, 'validation/cases.json'), 'utf8')) as {
  kernel: { package: string; version: string };
  cases: { name: string; description: string; zswap: unknown; ops: string[] }[];
};

describe('the committed kernel references', () => {
  const refs = readReferences(defaultReferenceDir());

  /** Cases added to validation/cases.json after the references were recorded, each judged in the recording that first holds it. */
  const LATER: Record<string, string> = { 'rw-zsmalloc-deflate': '2026-12-06', 'rw-zsmalloc-lz4hc': '2026-12-06' };

  it('are the cases of validation/cases.json as recorded now: same workload, zswap settings and kernel package', () => {
    expect(refs.map((r) => r.case).sort()).toEqual(spec.cases.map((c) => c.name).filter((n) => !(n in LATER)).sort());
    expect(refs.length).toBeGreaterThanOrEqual(8);
    for (const c of spec.cases) {
      if (c.name in LATER) continue;
      const r = refs.find((x) => x.case === c.name)!;
      // The harness keeps its own pages out of swap (docs/validation.md, item 4): a ramfs root, the workload locked first.
      expect(r.workload.ops, c.name).toEqual(['lock', 'mark:start', ...c.ops]);
      expect(r.guest.cmdline, c.name).toMatch(/(^| )rootfstype=ramfs( |$)/);
      expect(r.config.zswap, c.name).toEqual(c.zswap);
      expect(r.description).toBe(c.description);
      expect(r.kernel).toMatchObject({ package: spec.kernel.package, version: spec.kernel.version });
      expect(r.kernel.uname_r).toMatch(/^6\.1\./);
      expect(r.qemu).toMatch(/^QEMU emulator version /);
    }
  });

  for (const rec of recordings(path.join(ROOT, 'validation/recordings'))) {
    it(`another recording (${path.relative(ROOT, rec.references)}) is of cases of validation/cases.json: the references' workload, kernel, QEMU and guest`, () => {
      const again = readReferences(rec.references);
      const name = path.basename(rec.references);
      // Every case the references have, or (a recording that adds cases) at least one of them to
      // tell its guest's speed by (validation/guest-cpu.mjs --scale), and the cases it adds.
      const added = Object.entries(LATER).filter(([, at]) => at === name).map(([c]) => c);
      const theirs = again.map((r) => r.case).filter((c) => !added.includes(c));
      if (added.length === 0) expect(theirs.sort()).toEqual(refs.map((r) => r.case).sort());
      else expect(theirs.length).toBeGreaterThanOrEqual(1);
      expect(again.map((r) => r.case)).toEqual(expect.arrayContaining(added));
      const first = refs[0]!;
      for (const a of again) {
        const c = spec.cases.find((x) => x.name === a.case);
        expect(c, a.case).toBeDefined();
        expect(a.workload.ops, a.case).toEqual(['lock', 'mark:start', ...c!.ops]);
        expect(a.config.zswap, a.case).toEqual(c!.zswap);
        const r = refs.find((x) => x.case === a.case) ?? first;
        expect(a.workload.seed, a.case).toBe(r.workload.seed);
        if (r.case === a.case) expect(a.workload, a.case).toEqual(r.workload);
        expect(a.kernel, a.case).toEqual(r.kernel);
        expect(a.qemu, a.case).toBe(r.qemu);
        expect(a.guest, a.case).toEqual(r.guest);
        expect(a.runs.length, a.case).toBeGreaterThanOrEqual(3);
      }
    });
  }

  it('every case of validation/cases.json is recorded: in the references, or in the recording that added it', () => {
    for (const [c, at] of Object.entries(LATER)) {
      expect(spec.cases.map((x) => x.name)).toContain(c);
      expect(readReferences(path.join(ROOT, 'validation/recordings', at)).map((r) => r.case), c).toContain(c);
    }
  });

  // Two recordings of Debian's 6.12.95: the first (committed 2026-12-05), and 2026-12-06's with the guests' boot state
  // (the zones' free blocks by migratetype and pageblocks at each mark), which also boots the first.
  for (const dir of ['linux-6.12.95', 'linux-6.12.95-2026-12-06']) it(`a recording of another kernel (validation/other-kernels/${dir}) is of the same workload, with the multi-gen LRU off as the references have it`, () => {
    const other = readReferences(path.join(ROOT, 'validation/other-kernels', dir));
    expect(other.map((r) => r.case).sort()).toEqual(refs.map((r) => r.case).filter((c) => c !== 'rw-z3fold-lz4').sort()); // 6.12 has no z3fold
    for (const a of other) {
      const r = refs.find((x) => x.case === a.case)!;
      expect(a.workload, a.case).toEqual(r.workload);
      expect(a.config.zswap, a.case).toEqual(r.config.zswap);
      expect(a.kernel.uname_r, a.case).toBe('6.12.95+deb12-amd64');
      expect(a.config.sys['lru_gen'], a.case).toBe(0);
      expect(r.config.sys['lru_gen'], r.case).toBe(0);
      expect(a.guest, a.case).toEqual(r.guest);
      expect(a.runs.length, a.case).toBe(2); // as recorded (10 cases x 2 runs)
      // The later one holds the free blocks by order at every run's start mark (the boot state); the first, pageblocks only.
      for (const run of a.runs) {
        const dma32 = run.marks.find((m) => m.name === 'start')!.zones?.['DMA32'] as Record<string, number> | undefined;
        if (dir === 'linux-6.12.95') expect(dma32?.['free_movable_o0'], a.case).toBeUndefined();
        else expect(dma32?.['free_movable_o10'], a.case).toBeGreaterThan(0);
      }
    }
  });

  it('have three or more runs, each with every counter at every mark and the memory before the workload', () => {
    for (const r of refs) {
      expect(r.runs.length, r.case).toBeGreaterThanOrEqual(3);
      for (const run of r.runs) {
        const start = run.marks.find((m) => m.name === 'start')!;
        expect(run.mem_total_kb).toBe(start.meminfo['MemTotal']);
        expect(run.mem_free_kb).toBe(start.meminfo['MemFree']);
        for (const m of run.marks) {
          expect(Object.keys(m.zswap), `${r.case} ${m.name}`).toEqual(expect.arrayContaining(['stored_pages', 'same_filled_pages', 'pool_total_size', 'pool_limit_hit', 'reject_reclaim_fail', 'written_back_pages']));
          expect(Object.keys(m.vmstat)).toEqual(expect.arrayContaining(['pswpin', 'pswpout', 'zswpin', 'zswpout', 'pgpgin']));
          expect(Object.keys(m.meminfo)).toEqual(expect.arrayContaining(['MemTotal', 'MemFree', 'Zswap', 'Zswapped']));
          expect(Object.keys(m.stat ?? {}), `${r.case} ${m.name}`).toEqual(expect.arrayContaining(['user', 'system', 'ctxt', 'uptime_s']));
          // No shmem (the root is ramfs, unevictable) and the workload's own pages locked: nothing but its region can be swapped.
          expect(m.vmstat['nr_shmem'], `${r.case} ${m.name}`).toBe(0);
          expect(m.vmstat['nr_mlock'], `${r.case} ${m.name}`).toBeGreaterThan(0);
        }
      }
    }
  });
});
