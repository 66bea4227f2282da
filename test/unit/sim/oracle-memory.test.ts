/**
 * The oracle's memory follows what backends hold, not the trace's footprint:
 * a cleancache put that no backend takes leaves no record (every later get
 * must miss, which is what no record means), so a page-cache replay with no
 * backend keeps no records however many distinct pages it evicts.
 */

import { describe, expect, it } from 'vitest';
import { testMachine } from '../../helpers/machine.js';

function readDistinct(m: ReturnType<typeof testMachine>, pages: number): void {
  for (let i = 0; i < pages; i++) {
    m.memory.fileAccess(1, 1 + (i >> 10), i & 1023, false, 0);
    m.memory.balance();
    m.advance(0);
  }
}

describe('oracle records of cleancache puts', () => {
  it('none without a backend, however many distinct pages leave the page cache', () => {
    const m = testMachine({ ramPages: 512 });
    m.mount(1);
    readDistinct(m, 20_000);
    expect(m.stats.pgcache_misses).toBe(20_000);
    expect(m.oracle.ccRecords()).toBe(0);
    // The same pages read again: every one misses (nothing was kept), and still no record.
    readDistinct(m, 20_000);
    expect(m.stats.pgcache_misses).toBe(40_000);
    expect(m.oracle.ccRecords()).toBe(0);
  });

  it('with a backend, one per page the backend took, and its gets are still checked', () => {
    const m = testMachine({ ramPages: 512 });
    m.insmod('xen-tmem', {});
    m.mount(1);
    readDistinct(m, 5_000);
    const puts = m.cleancache.counters.puts;
    expect(puts).toBeGreaterThan(4_000);
    expect(m.oracle.ccRecords()).toBe(puts);
    readDistinct(m, 5_000);
    expect(m.oracle.counts.checked_gets).toBeGreaterThan(0);
    expect(m.oracle.counts.stale + m.oracle.counts.lost).toBe(0);
  });

  it('with a bounded backend, no more than it holds: the pages it evicts leave no record, and still must miss', () => {
    const m = testMachine({ ramPages: 512 });
    m.insmod('xen-tmem', { hypervisor_budget_mb: 1 }); // 256 pages
    m.mount(1);
    readDistinct(m, 20_000);
    const held = m.backend!.stats()['xen-tmem']!['eph_count']!;
    expect(held).toBeGreaterThan(200);
    expect(held).toBeLessThanOrEqual(256);
    expect(m.oracle.ccRecords()).toBe(held);
    // The newest thousand read again, newest first: those xen-tmem kept hit and are checked, the
    // older ones it evicted miss (their records went with them).
    const gets = m.cleancache.counters.succ_gets;
    for (let i = 19_999; i >= 19_000; i--) {
      m.memory.fileAccess(1, 1 + (i >> 10), i & 1023, false, 0);
      m.memory.balance();
      m.advance(0);
    }
    expect(m.cleancache.counters.succ_gets - gets).toBeGreaterThan(100);
    expect(m.oracle.counts.checked_gets).toBe(m.cleancache.counters.succ_gets);
    expect(m.oracle.counts.stale + m.oracle.counts.lost).toBe(0);
    expect(m.oracle.ccRecords()).toBeLessThanOrEqual(256);
  });
});
