/**
 * Reclaim's block plug (6.1 shrink_lruvec: blk_start_plug .. blk_finish_plug): swap writes to
 * adjacent slots issued while it is held go out as one request, a run broken by a gap or by
 * the profile's storage.maxRequestPages (absent: 128); writes outside a plug are a request
 * each. Expected counts worked out here.
 */
import { describe, expect, it } from 'vitest';
import { testMachine } from '../../helpers/machine.js';
import { getProfile } from '../../../src/profiles/registry.js';
import type { Profile } from '../../../src/profiles/profile.js';

function machineWithSwap(profile?: Profile) {
  const m = testMachine({ ramPages: 4096, ...(profile ? { profile } : {}) });
  m.swapon(0, 4096);
  return m;
}

const totals = (m: ReturnType<typeof testMachine>) => m.meter.totals;

describe('swap writes under the reclaim plug', () => {
  it('writes one request per run of adjacent slots, in issue order', () => {
    const m = machineWithSwap();
    m.swapPlug(true);
    for (const off of [10, 11, 12, 13, 20, 21, 5]) m.swapWrite(0, off, m.content.resolve(undefined, off));
    expect(totals(m).swapWriteOps).toBe(0); // held by the plug
    m.swapPlug(false);
    // 10..13 (4 pages), 20..21 (2), 5 (1): three requests of seven pages
    expect(totals(m).swapWriteOps).toBe(3);
    expect(totals(m).swapWrites).toBe(7);
    expect(m.stats.pswpout).toBe(7);
  });

  it('starts a new request after 128 pages, and a lower slot never merges backwards', () => {
    const m = machineWithSwap();
    m.swapPlug(true);
    for (let off = 0; off < 300; off++) m.swapWrite(0, off, m.content.resolve(undefined, off));
    m.swapWrite(0, 299 - 1, m.content.resolve(undefined, 7)); // a rewrite of slot 298: not at the end of the last request
    m.swapPlug(false);
    // 128 + 128 + 44, then the lone rewrite
    expect(totals(m).swapWriteOps).toBe(4);
    expect(totals(m).swapWrites).toBe(301);
  });

  it("merges up to the profile's storage.maxRequestPages (the validation guest's virtio-blk: 254)", () => {
    const ssd = getProfile('ssd');
    const m = machineWithSwap({ ...ssd, storage: { ...ssd.storage, maxRequestPages: { value: 254, source: '[M] test' } } });
    m.swapPlug(true);
    for (let off = 0; off < 600; off++) m.swapWrite(0, off, m.content.resolve(undefined, off));
    m.swapPlug(false);
    // 254 + 254 + 92 (the default's 128-page requests would be five)
    expect(totals(m).swapWriteOps).toBe(3);
    expect(totals(m).swapWrites).toBe(600);
  });

  it('charges the merged requests to the swap-outs without counting more of them', () => {
    const m = machineWithSwap();
    m.swapPlug(true);
    for (let off = 0; off < 8; off++) m.swapWrite(0, off, m.content.resolve(undefined, off));
    const before = m.ops.swapOut.swapWriteOps;
    m.swapPlug(false);
    expect(m.ops.swapOut.count).toBe(8);
    expect(m.ops.swapOut.swapWriteOps - before).toBe(1);
    expect(m.ops.swapOut.swapWrites).toBe(8);
  });

  it('writes outside a plug are one request each', () => {
    const m = machineWithSwap();
    for (let off = 0; off < 5; off++) m.swapWrite(0, off, m.content.resolve(undefined, off));
    expect(totals(m).swapWriteOps).toBe(5);
  });

  it('a work item that runs while the plug is held leaves it held: a preempted task keeps its plug (6.1: no flush on preemption)', () => {
    const m = machineWithSwap();
    let ran = 0;
    m.swapPlug(true);
    for (let off = 0; off < 3; off++) m.swapWrite(0, off, m.content.resolve(undefined, off));
    expect(totals(m).swapWriteOps).toBe(0);
    m.queueWork({ name: 'test', run: () => void ran++ });
    m.runWork(); // the kworker runs now
    expect(ran).toBe(1);
    expect(totals(m).swapWriteOps).toBe(0); // the three writes are still held
    expect(m.swapWritesHeld()).toBe(3);
    m.swapWrite(0, 3, m.content.resolve(undefined, 3));
    m.swapWrite(0, 4, m.content.resolve(undefined, 4));
    m.swapPlug(false);
    // slots 0..4 adjacent, all held until blk_finish_plug: one request of five pages
    expect(totals(m).swapWriteOps).toBe(1);
    expect(totals(m).swapWrites).toBe(5);
    expect(m.swapWritesHeld()).toBe(0);
  });

  it('a request that cannot merge flushes a plug whose last request is 128 KiB or more (blk_add_rq_to_plug)', () => {
    const m = machineWithSwap();
    m.swapPlug(true);
    for (let off = 0; off < 40; off++) m.swapWrite(0, off, m.content.resolve(undefined, off));
    expect(totals(m).swapWriteOps).toBe(0); // 0..39 merge into one request of 40 pages
    m.swapWrite(0, 100, m.content.resolve(undefined, 100)); // a new request: the last is 160 KiB, so the plug goes out first
    expect(totals(m).swapWriteOps).toBe(1);
    expect(totals(m).swapWrites).toBe(40);
    expect(m.swapWritesHeld()).toBe(1);
    for (let off = 101; off < 110; off++) m.swapWrite(0, off, m.content.resolve(undefined, off));
    m.swapWrite(0, 200, m.content.resolve(undefined, 200)); // the last is 10 pages (40 KiB): held
    expect(totals(m).swapWriteOps).toBe(1);
    m.swapPlug(false);
    expect(totals(m).swapWriteOps).toBe(3); // 100..109 and 200
    expect(totals(m).swapWrites).toBe(51);
  });

  it('the 33rd request flushes the 32 a plug holds (BLK_MAX_REQUEST_COUNT)', () => {
    const m = machineWithSwap();
    m.swapPlug(true);
    for (let r = 0; r < 32; r++) m.swapWrite(0, r * 3, m.content.resolve(undefined, r * 3)); // 32 single-page requests
    expect(totals(m).swapWriteOps).toBe(0);
    m.swapWrite(0, 1000, m.content.resolve(undefined, 1000));
    expect(totals(m).swapWriteOps).toBe(32);
    expect(m.swapWritesHeld()).toBe(1);
    m.swapPlug(false);
    expect(totals(m).swapWriteOps).toBe(33);
  });
});
