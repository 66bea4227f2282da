import { describe, expect, it } from 'vitest';
import { ABS_SLACK, compareCase, compareKernelRun, shownCase, type Row } from '../../../src/validate/compare.js';
import { ratchet, knownText } from '../../../src/validate/known.js';
import type { RecordedMark, Reference } from '../../../src/validate/reference.js';
import type { MarkSnapshot } from '../../../src/sim/marks.js';
import type { PassSummary } from '../../../src/sim/summary.js';

function kmark(name: string, zswap: Record<string, number>, vmstat: Record<string, number>): RecordedMark {
  return { name, zswap, vmstat, meminfo: {} };
}
function ref(zswapOn: boolean, runs: { phase: Record<string, number>; vm: Record<string, number>; startVm?: Record<string, number> }[]): Reference {
  return {
    case: 'c', description: '', kernel: { package: 'p', version: 'v', uname_r: 'r' }, qemu: 'q',
    guest: { memory_mib: 1, swap_mib: 1, data_mib: 1, smp: 1, accel: 'tcg', cmdline: '' },
    config: { zswap: { enabled: zswapOn }, params: {}, sysctl: {}, sys: {} },
    workload: { seed: 1, ops: [] },
    runs: runs.map((r) => ({
      mem_total_kb: 1, mem_free_kb: 1,
      marks: [kmark('start', {}, r.startVm ?? {}), kmark('p1', r.phase, r.vm)],
    })),
  };
}
function pass(z: Record<string, number> | null, vm: Record<string, number>, name = 'p1'): PassSummary {
  const m: MarkSnapshot = { name, event: 0, sim_time_ns: 0, cpu_ns: 0, debugfs: z ? { zswap: z } : {}, vmstat: vm, meminfo: {} };
  return { marks: [m] } as unknown as PassSummary;
}
const row = (rows: Row[], counter: string): Row => rows.find((r) => r.counter === counter)!;

describe('compareCase', () => {
  it('takes event counters relative to the start mark and gauges as they are', () => {
    const r = ref(true, [
      { phase: { stored_pages: 1000, same_filled_pages: 0, pool_total_size: 4096 * 250 }, vm: { pswpout: 5000, zswpout: 1000 }, startVm: { pswpout: 1000, zswpout: 0 } },
    ]);
    const rows = compareCase(r, pass({ stored_pages: 1000, same_filled_pages: 0, pool_total_size: 4096 * 250 }, { pswpout: 4000, zswpout: 1000 }));
    expect(row(rows, 'pswpout')).toMatchObject({ kernel_min: 4000, kernel_max: 4000, tmemsim: 4000, error: 0, status: 'ok' });
    expect(row(rows, 'stored_pages')).toMatchObject({ kernel_min: 1000, status: 'ok' });
    expect(row(rows, 'bytes_per_stored_page')).toMatchObject({ kernel_min: 4096 / 4, tmemsim: 4096 / 4, status: 'ok' });
  });

  it('judges bytes per page and the 6.12 counters where the kernel has no same_filled_pages file, and skips what a 6.1 kernel lacks', () => {
    // a 6.12 kernel: no same_filled_pages (zero pages are the swap core's), swpout_zero and reject_compress_fail counted
    const k612 = ref(true, [{ phase: { stored_pages: 1000, pool_total_size: 4096 * 250, reject_compress_fail: 40 }, vm: { swpout_zero: 300, swpin_zero: 0 }, startVm: { swpout_zero: 0, swpin_zero: 0 } }]);
    const rows = compareCase(k612, pass({ stored_pages: 1000, same_filled_pages: 0, pool_total_size: 4096 * 250, reject_compress_fail: 40 }, { swpout_zero: 290, swpin_zero: 0 }));
    expect(row(rows, 'bytes_per_stored_page')).toMatchObject({ kernel_min: 4096 / 4, tmemsim: 4096 / 4, status: 'ok' });
    expect(row(rows, 'swpout_zero')).toMatchObject({ kernel_min: 300, tmemsim: 290, status: 'ok' });
    expect(row(rows, 'reject_compress_fail')).toMatchObject({ kernel_min: 40, status: 'ok' });
    expect(row(rows, 'same_filled_pages')).toBeUndefined();
    // tmemsim without the zeromap against a kernel with it: no figure, out
    expect(row(compareCase(k612, pass({ stored_pages: 1000, pool_total_size: 4096 * 250 }, {})), 'swpout_zero')).toMatchObject({ tmemsim: null, status: 'OUT' });
    // a 6.1 kernel has none of the three: not judged
    const k61 = ref(true, [{ phase: { stored_pages: 1000, same_filled_pages: 0, pool_total_size: 4096 * 250 }, vm: {} }]);
    const names = compareCase(k61, pass({ stored_pages: 1000, same_filled_pages: 0, pool_total_size: 4096 * 250, reject_compress_fail: 0 }, { swpout_zero: 0 })).map((r) => r.counter);
    expect(names).not.toContain('swpout_zero');
    expect(names).not.toContain('swpin_zero');
    expect(names).not.toContain('reject_compress_fail');
  });

  it('allows 5 % of the kernel range outside it, an absolute slack for small counts, 1 % for bytes per page', () => {
    const r = ref(true, [
      { phase: { stored_pages: 10000, same_filled_pages: 0, pool_total_size: 10000 * 1000 }, vm: { pswpin: 2000, pswpout: 3 } },
      { phase: { stored_pages: 12000, same_filled_pages: 0, pool_total_size: 12000 * 1000 }, vm: { pswpin: 2000, pswpout: 3 } },
    ]);
    const check = (z: Record<string, number>, vm: Record<string, number>): Row[] => compareCase(r, pass({ same_filled_pages: 0, ...z }, vm));
    // range 10,000–12,000, tol 600: 12,600 ok, 12,601 out; 9,400 ok, 9,399 out
    expect(row(check({ stored_pages: 12600, pool_total_size: 12600 * 1000 }, {}), 'stored_pages').status).toBe('ok');
    expect(row(check({ stored_pages: 12601, pool_total_size: 0 }, {}), 'stored_pages')).toMatchObject({ status: 'OUT', error: 601 });
    expect(row(check({ stored_pages: 9400, pool_total_size: 0 }, {}), 'stored_pages').status).toBe('ok');
    expect(row(check({ stored_pages: 9399, pool_total_size: 0 }, {}), 'stored_pages')).toMatchObject({ status: 'OUT', error: -601 });
    // bytes per page 1,000 in both runs: ±10
    expect(row(check({ stored_pages: 10000, pool_total_size: 10000 * 1010 }, {}), 'bytes_per_stored_page').status).toBe('ok');
    expect(row(check({ stored_pages: 10000, pool_total_size: 10000 * 1011 }, {}), 'bytes_per_stored_page').status).toBe('OUT');
    // a count of 3: the absolute slack decides
    expect(row(check({ stored_pages: 0, pool_total_size: 0 }, { pswpout: 3 + ABS_SLACK }), 'pswpout').status).toBe('ok');
    expect(row(check({ stored_pages: 0, pool_total_size: 0 }, { pswpout: 4 + ABS_SLACK }), 'pswpout').status).toBe('OUT');
    expect(row(check({ stored_pages: 0, pool_total_size: 0 }, { pswpin: 1899 }), 'pswpin')).toMatchObject({ status: 'OUT', error_pct: -5.05 });
  });

  it('judges zswap counters only when the case enables zswap, and a missing tmemsim figure is out', () => {
    const off = compareCase(ref(false, [{ phase: { stored_pages: 0 }, vm: { pswpin: 10 } }]), pass(null, { pswpin: 10 }));
    expect(off.map((x) => x.counter)).toEqual(['pswpin']);
    const on = compareCase(ref(true, [{ phase: { stored_pages: 5 }, vm: {} }]), pass(null, {}));
    expect(row(on, 'stored_pages')).toMatchObject({ tmemsim: null, status: 'OUT' });
    const noMark = compareCase(ref(false, [{ phase: {}, vm: { pswpin: 0 } }]), pass(null, { pswpin: 0 }, 'other'));
    expect(row(noMark, 'pswpin')).toMatchObject({ tmemsim: null, status: 'OUT' });
  });
});

describe('shownCase', () => {
  it('shows kswapd and direct reclaim beside the judged counters: the kernel range (allocstall over its zones), tmemsim, no verdict', () => {
    const r = ref(true, [
      { phase: {}, vm: { pageoutrun: 12, pgsteal_kswapd: 900, pgsteal_direct: 100, allocstall_dma32: 3, allocstall_movable: 4 }, startVm: { pageoutrun: 2, allocstall_movable: 1 } },
      { phase: {}, vm: { pageoutrun: 30, pgsteal_kswapd: 700, pgsteal_direct: 300, allocstall_movable: 9 } },
    ]);
    const shown = shownCase(r, pass({}, { pageoutrun: 50, pgsteal_kswapd: 1000, pgsteal_direct: 0, allocstall: 0 }));
    const at = (c: string): unknown => shown.find((x) => x.counter === c);
    expect(at('pageoutrun')).toEqual({ case: 'c', phase: 'p1', counter: 'pageoutrun', kernel_min: 10, kernel_max: 30, tmemsim: 50 });
    expect(at('pgsteal_direct')).toMatchObject({ kernel_min: 100, kernel_max: 300, tmemsim: 0 });
    expect(at('allocstall')).toMatchObject({ kernel_min: 6, kernel_max: 9, tmemsim: 0 });
    expect(shown.every((x) => !('status' in x))).toBe(true);
    // Not among the judged rows.
    expect(compareCase(r, pass({}, {})).some((x) => x.counter === 'pageoutrun')).toBe(false);
  });
});

describe('shownCase: which pages stayed resident', () => {
  it('shows anon scans, refaults and rotations since the start mark, and the mapped and swap-cached pages at the mark as they are', () => {
    const r = ref(true, [
      { phase: {}, vm: { pgscan_anon: 900, workingset_refault_anon: 40, pgrotated: 70, nr_anon_pages: 5000, nr_swapcached: 300 }, startVm: { pgscan_anon: 100, pgrotated: 10, nr_anon_pages: 20, nr_swapcached: 0 } },
      { phase: {}, vm: { pgscan_anon: 1200, workingset_refault_anon: 60, pgrotated: 90, nr_anon_pages: 5100, nr_swapcached: 320 } },
    ]);
    const p = pass({}, { pgscan_anon: 1000, workingset_refault_anon: 50, pgrotated: 80, nr_anon_pages: 5050, nr_swapcached: 310 });
    const at = (c: string): unknown => shownCase(r, p).find((x) => x.counter === c);
    expect(at('pgscan_anon')).toMatchObject({ kernel_min: 800, kernel_max: 1200, tmemsim: 1000 });
    expect(at('workingset_refault_anon')).toMatchObject({ kernel_min: 40, kernel_max: 60, tmemsim: 50 });
    expect(at('pgrotated')).toMatchObject({ kernel_min: 60, kernel_max: 90, tmemsim: 80 });
    // Gauges: read at the mark, not from the start mark.
    expect(at('nr_anon_pages')).toMatchObject({ kernel_min: 5000, kernel_max: 5100, tmemsim: 5050 });
    expect(at('nr_swapcached')).toMatchObject({ kernel_min: 300, kernel_max: 320, tmemsim: 310 });
  });
});

describe('shownCase: the kernel\'s CPU time', () => {
  it("shows /proc/stat's system time since the start mark (ticks of 10 ms) beside the CPU tmemsim charged, and nothing for references without stat", () => {
    const r = ref(false, [{ phase: {}, vm: {} }, { phase: {}, vm: {} }]);
    const ticks = [[40, 290], [35, 260]];
    r.runs.forEach((run, i) => run.marks.forEach((m, k) => (m.stat = { user: 0, system: ticks[i]![k]!, uptime_s: 1 })));
    const p = pass({}, {});
    (p.marks![0] as { cpu_ns: number }).cpu_ns = 2_345_600_000;
    expect(shownCase(r, p).find((x) => x.counter === 'system_cpu_ms')).toEqual({ case: 'c', phase: 'p1', counter: 'system_cpu_ms', kernel_min: 2250, kernel_max: 2500, tmemsim: 2346 });
    expect(shownCase(ref(false, [{ phase: {}, vm: {} }]), p).some((x) => x.counter === 'system_cpu_ms')).toBe(false);
  });
});

describe('the known-deviations ratchet', () => {
  const r = (counter: string, status: 'ok' | 'OUT', c = 'a'): Row => ({
    case: c, phase: 'p', counter, kernel_min: 0, kernel_max: 0, tmemsim: 0, tolerance: 0, error: 0, error_pct: null, status,
  });
  it('fails on an unlisted deviation and on a listed one that passes; ignores cases not compared', () => {
    const rows = [r('x', 'OUT'), r('y', 'ok'), r('z', 'OUT')];
    expect(ratchet(rows, new Set(['a/p/x', 'a/p/z']))).toEqual({ fresh: [], fixed: [] });
    expect(ratchet(rows, new Set(['a/p/x']))).toEqual({ fresh: ['a/p/z'], fixed: [] });
    expect(ratchet(rows, new Set(['a/p/x', 'a/p/y', 'a/p/z', 'b/p/x']))).toEqual({ fresh: [], fixed: ['a/p/y'] });
    expect(ratchet(rows, new Set(['a/p/x', 'a/p/z', 'a/p/gone']))).toEqual({ fresh: [], fixed: ['a/p/gone'] });
  });
  it('writes the out-of-tolerance keys sorted', () => {
    expect(JSON.parse(knownText([r('z', 'OUT'), r('y', 'ok'), r('b', 'OUT', 'b'), r('x', 'OUT')])).deviations).toEqual(['a/p/x', 'a/p/z', 'b/p/b']);
  });
});

describe('compareKernelRun', () => {
  it('judges another kernel run by the same rules: its events relative to its own start mark, gauges as they are', () => {
    const r = ref(true, [
      { phase: { stored_pages: 10000, same_filled_pages: 0, pool_total_size: 10000 * 1000 }, vm: { pswpout: 5000 }, startVm: { pswpout: 1000 } },
      { phase: { stored_pages: 12000, same_filled_pages: 0, pool_total_size: 12000 * 1000 }, vm: { pswpout: 4200 }, startVm: { pswpout: 0 } },
    ]);
    // Its pswpout is 6,000 - 1,900 = 4,100 (within 4,000-4,200); stored 12,601: 601 beyond the
    // range's top, tolerance 600 (5 % of 12,000).
    const again = ref(true, [{ phase: { stored_pages: 12601, same_filled_pages: 0, pool_total_size: 12601 * 1000 }, vm: { pswpout: 6000 }, startVm: { pswpout: 1900 } }]).runs[0]!;
    const rows = compareKernelRun(r, again);
    expect(row(rows, 'pswpout')).toMatchObject({ kernel_min: 4000, kernel_max: 4200, tmemsim: 4100, status: 'ok' });
    expect(row(rows, 'stored_pages')).toMatchObject({ tmemsim: 12601, error: 601, status: 'OUT' });
    expect(row(rows, 'bytes_per_stored_page')).toMatchObject({ tmemsim: 1000, status: 'ok' });
    // The same figures as tmemsim's give the same verdicts.
    const asSim = compareCase(r, pass({ stored_pages: 12601, same_filled_pages: 0, pool_total_size: 12601 * 1000 }, { pswpout: 4100 }));
    expect(rows).toEqual(asSim);
  });
});
