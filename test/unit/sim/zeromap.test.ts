/**
 * The swap core's zeromap (6.12: swap_writepage's is_folio_zero_filled, swap_read_folio_zeromap,
 * swap_range_free): a zero page is neither written nor stored, its swap-in zero-fills the page
 * clean with no read, a page that is not zero clears the bit, a freed slot clears it, and the
 * oracle checks what the zeromap serves. Expected counts worked out by hand in each test.
 */

import { afterAll, describe, expect, it } from 'vitest';
import { simulate } from '../../../src/api.js';
import { LoadResult } from '../../../src/frontends/frontswap.js';
import { tempDir, toJsonl, traceHeader } from '../../helpers/files.js';
import { testMachine } from '../../helpers/machine.js';

const tmp = tempDir('tmemsim-zeromap-');
afterAll(() => tmp.cleanup());
let n = 0;
function trace(config: object, events: object[]): string {
  return tmp.file(`t${n++}.jsonl`, toJsonl(traceHeader(config), events));
}

function machine(zeromap: boolean) {
  const m = testMachine({ ramPages: 4096, swapZeromap: zeromap });
  m.swapon(0, 64);
  return m;
}

describe('the swap core zeromap, slot by slot', () => {
  it('a zero page sets its bit and is neither written nor stored; its swap-in zero-fills it clean, with no read', () => {
    const m = machine(true);
    const zero = m.content.resolve({ class: 'zero' }, 1);
    expect(m.swapWrite(0, 5, zero)).toBe(false);
    expect(m.swap.get(0)!.isZero(5)).toBe(true);
    expect(m.zeromapStats).toEqual({ swpout_zero: 1, swpin_zero: 0 });
    expect(m.stats.pswpout).toBe(0);
    expect(m.meter.totals.swapWrites).toBe(0);
    expect(m.swapRead(0, 5)).toBe(LoadResult.Zero);
    expect(m.zeromapStats.swpin_zero).toBe(1);
    expect(m.stats.pswpin).toBe(0);
    expect(m.meter.totals.swapReads).toBe(0);
    // the bit stays (the page came back clean and keeps its slot), and the read was checked
    expect(m.swap.get(0)!.isZero(5)).toBe(true);
    expect(m.oracle.counts.checked_loads).toBe(1);
    expect(m.oracle.counts.bytes_verified).toBe(1);
    expect(m.oracle.counts.stale).toBe(0);
  });

  it('a page that is not zero clears the bit and goes to the device; a freed slot clears it', () => {
    const m = machine(true);
    const zero = m.content.resolve({ class: 'zero' }, 1);
    const text = m.content.resolve({ class: 'text' }, 2);
    const fill = m.content.resolve({ fill: 0x5a }, 3);
    m.swapWrite(0, 5, zero);
    m.swapWrite(0, 5, text);
    expect(m.swap.get(0)!.isZero(5)).toBe(false);
    expect(m.stats.pswpout).toBe(1);
    expect(m.swapRead(0, 5)).toBe(LoadResult.Miss);
    expect(m.stats.pswpin).toBe(1);
    // a page of one repeated non-zero byte is not zero
    m.swapWrite(0, 6, fill);
    expect(m.swap.get(0)!.isZero(6)).toBe(false);
    expect(m.stats.pswpout).toBe(2);
    m.swapWrite(0, 7, zero);
    m.swapFree(0, 7);
    expect(m.swap.get(0)!.isZero(7)).toBe(false);
    expect(m.zeromapStats).toEqual({ swpout_zero: 2, swpin_zero: 0 });
    expect(m.oracle.counts.stale).toBe(0);
  });

  it('is_folio_zero_filled reads the last word, then from the first up to the first word that is not zero: a cycle each', () => {
    // inline page bytes (zero-padded to a page): one non-zero byte at `at`
    const pageWith = (m: ReturnType<typeof machine>, at: number): number => {
      const b = Buffer.alloc(at + 1);
      b[at] = 7;
      return m.content.resolve({ b64: b.toString('base64') }, at);
    };
    // words read: 1 (the last) + words 0..at/8 (worked by hand): byte 4087 is in word 510, the
    // last but one, so that page reads all 512 words as a zero page does
    for (const [at, words] of [[0, 2], [800, 102], [4095, 1], [4087, 512]] as const) {
      const on = machine(true);
      const off = machine(false);
      const before = [on.meter.totals.metaCycles, off.meter.totals.metaCycles];
      on.swapWrite(0, 3, pageWith(on, at));
      off.swapWrite(0, 3, pageWith(off, at));
      // a page that is not zero takes the same path after the scan with or without the zeromap
      expect((on.meter.totals.metaCycles - before[0]!) - (off.meter.totals.metaCycles - before[1]!)).toBe(words);
    }
    const z = machine(true);
    const m0 = z.meter.totals.metaCycles;
    z.swapWrite(0, 3, z.content.resolve({ class: 'zero' }, 1));
    expect(z.meter.totals.metaCycles - m0).toBe(512); // the whole page, and nothing else is done
  });

  it('a zeromap read of a slot whose latest page is not zero is a stale read the oracle counts', () => {
    const m = machine(true);
    m.swapWrite(0, 9, m.content.resolve({ class: 'text' }, 4));
    m.swap.get(0)!.setZero(9, true); // a swap core that lost track of its bit
    m.swapRead(0, 9);
    expect(m.oracle.counts.stale).toBe(1);
  });

  it('without a zeromap a zero page is written like any other, and no zero counter moves', () => {
    const m = machine(false);
    m.swapWrite(0, 5, m.content.resolve({ class: 'zero' }, 1));
    expect(m.stats.pswpout).toBe(1);
    expect(m.swapRead(0, 5)).toBe(LoadResult.Miss);
    expect(m.zeromapStats).toEqual({ swpout_zero: 0, swpin_zero: 0 });
  });

  it('zswap era 6.12 never sees a zero page; a page of one repeated non-zero word is compressed', () => {
    const m = machine(true);
    m.insmod('zswap', { era: '6.12' });
    m.swapWrite(0, 1, m.content.resolve({ class: 'zero' }, 1));
    m.swapWrite(0, 2, m.content.resolve({ fill: 0x5a }, 2));
    const z = m.backend!.stats()['zswap']!;
    expect(m.backend!.stats()['vmstat']!['zswpout']).toBe(1);
    expect(z['stored_pages']).toBe(1);
    expect(z['same_filled_pages']).toBe(0);
    expect(z['pool_total_size']).toBeGreaterThan(0);
    expect(m.stats.pswpout).toBe(0);
    expect(m.zeromapStats.swpout_zero).toBe(1);
  });
});

describe('the zeromap through a run', () => {
  // 128 pages of RAM, 400 anonymous pages written (every third all zeros), then read back twice
  const pages = 400;
  const events: object[] = [];
  for (let p = 0; p < pages; p++) events.push({ op: 'anon', pid: 1, page: p, write: true, data: { class: p % 3 === 0 ? 'zero' : 'text' } });
  for (let pass = 0; pass < 2; pass++) for (let p = 0; p < pages; p++) events.push({ op: 'anon', pid: 1, page: p });
  const config = { ram_pages: 128, swap: [{ type: 0, slots: 1024 }] };

  it('with zswap 6.12 the zeromap is on by default; zero pages never reach zswap, the device or a second write', async () => {
    const r = await simulate({ trace: trace({ ...config, backend: 'zswap', params: { era: '6.12', zpool: 'zsmalloc' } }, events), profiles: ['ssd'], baseline: false });
    expect(r.config.swapZeromap).toBe(true);
    const s = r.runs[0]!.backend;
    const mm = s.mm as unknown as Record<string, number>;
    const zs = s.debugfs['zswap']!;
    const vm = s.debugfs['vmstat']!;
    // every swap-out went to the zeromap, zswap or the device; every swap-in read from one of them
    expect(mm['swpout_zero']! + vm['zswpout']! + zs['reject_compress_fail']! + (mm['pswpout']! - vm['zswpwb']!)).toBe(mm['swap_outs']);
    expect(mm['swpout_zero']).toBeGreaterThan(0);
    // a zero page comes back clean and keeps its slot: it is never swapped out twice, so at most
    // the 134 zero pages are ever counted, once each
    expect(mm['swpout_zero']).toBeLessThanOrEqual(Math.ceil(pages / 3));
    expect(mm['swpin_zero']).toBeGreaterThan(0);
    // 6.12's zswap has no same-filled path and no such counter: n/a (null), not 0
    expect(zs['same_filled_pages']).toBeNull();
    expect(s.oracle.stale + s.oracle.lost).toBe(0);
  });

  it('without a zeromap the report has no zero counters (6.1 has none)', async () => {
    const r = await simulate({ trace: trace(config, events), profiles: ['ssd'], baseline: false });
    expect(r.config.swapZeromap).toBe(false);
    const mm = r.runs[0]!.backend.mm as unknown as Record<string, number>;
    expect('swpout_zero' in mm).toBe(false);
    expect('swpin_zero' in mm).toBe(false);
  });

  it('config.swap_zeromap turns it on without a backend, and off under zswap 6.12', async () => {
    const on = await simulate({ trace: trace({ ...config, swap_zeromap: true }, events), profiles: ['ssd'], baseline: false });
    const mm = on.runs[0]!.backend.mm as unknown as Record<string, number>;
    expect(mm['swpout_zero']).toBeGreaterThan(0);
    expect(mm['pswpout']! + mm['swpout_zero']!).toBe(mm['swap_outs']);
    const off = await simulate({ trace: trace({ ...config, swap_zeromap: false, backend: 'zswap', params: { era: '6.12' } }, events), profiles: ['ssd'], baseline: false });
    expect(off.config.swapZeromap).toBe(false);
  });
});
