/**
 * The kworker as a task (the 6.1-cfs models): a work item in steps (WorkItem.steps) is
 * preempted at its cond_resched points and inside the direct reclaim of its GFP_KERNEL
 * allocation, so the workload's events run while zswap's shrink worker is half done, as in a
 * 6.1 or 6.12 guest whose worker ran for milliseconds while other tasks stored into the full
 * pool (docs/validation.md item 2). Checked here: that it happens (events end with the item
 * begun, and with the kworker in its reclaim), that a kworker run whole never leaves one
 * begun, that an rmmod or a umount in the middle waits for it, and that nothing is stale,
 * lost or charged twice, the same run twice the same.
 */

import fc from 'fast-check';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Cls, makeDesc } from '../../../src/content/page.js';
import { getReclaim } from '../../../src/mm/reclaim/registry.js';
import { resolveProfile } from '../../../src/profiles/file.js';
import type { Profile } from '../../../src/profiles/profile.js';
import type { Machine } from '../../../src/sim/machine.js';
import { testMachine } from '../../helpers/machine.js';

const guest = resolveProfile(path.join(import.meta.dirname, '../../../validation/guest-tcg.json'));
/** The guest with a swap disk without an I/O scheduler: a writeback's bio wakes no kblockd. */
const noScheduler: Profile = { ...guest, storage: { ...guest.storage, ioScheduler: { value: 'none', source: 'test' } } };

function machine(model: string, era: string, zpool: string, profile: Profile = guest): Machine {
  const m = testMachine({ reclaim: getReclaim(model), profile, seed: 3 });
  m.swapon(0, 32768);
  m.mount(1);
  m.insmod('zswap', { era, zpool, compressor: 'lz4', max_pool_percent: 10 });
  return m;
}

/** What the events saw of the kworker: how many ended with its item begun, and in its reclaim. */
interface Seen {
  inItem: number;
  inReclaim: number;
}

type Op = { k: 'anon'; page: number; write: boolean } | { k: 'file'; index: number } | { k: 'remount' } | { k: 'reload' };

function replay(m: Machine, ops: readonly Op[], era: string, zpool: string): Seen {
  const seen: Seen = { inItem: 0, inReclaim: 0 };
  let gen = 1;
  for (const op of ops) {
    if (op.k === 'anon') m.memory.anonAccess(1, op.page, op.write, op.write ? makeDesc(Cls.Text, gen++) : 0);
    else if (op.k === 'file') m.memory.fileAccess(1, 7, op.index, false, makeDesc(Cls.Text, op.index + 1_000_000));
    else if (op.k === 'remount') {
      m.umount(1);
      m.mount(1);
    } else {
      // rmmod with frontswap_shrink's repatriation (flush), then the same backend again.
      m.rmmod('flush');
      m.insmod('zswap', { era, zpool, compressor: 'lz4', max_pool_percent: 10 });
    }
    m.afterEvent();
    m.advance(0);
    m.audit(); // throws on a stale or lost page
    expect(m.meter.totals.swapWrites + m.swapWritesHeld()).toBe(m.stats.pswpout);
    if (m.tasks.kworkerInItem) seen.inItem++;
    if (m.tasks.kworkerInReclaim) seen.inReclaim++;
  }
  return seen;
}

const writes = (from: number, n: number): Op[] => Array.from({ length: n }, (_, i) => ({ k: 'anon' as const, page: from + i, write: true }));
const reads = (from: number, n: number): Op[] => Array.from({ length: n }, (_, i) => ({ k: 'anon' as const, page: from + i, write: false }));

describe('the kworker as a task: zswap shrink work preempted inside its item', () => {
  it("6.12's shrink worker loops with a cond_resched after each writeback: the workload's events run while it is half done", () => {
    const ops = [...writes(0, 12000), ...reads(0, 12000)];
    const task = machine('6.1-cfs', '6.12', 'zsmalloc');
    const seen = replay(task, ops, '6.12', 'zsmalloc');
    expect(task.backend!.stats().zswap!.written_back_pages).toBeGreaterThan(0);
    expect(seen.inItem).toBeGreaterThan(0);
    // Run whole after the events, the worker never leaves an item begun.
    const whole = machine('6.1', '6.12', 'zsmalloc');
    expect(replay(whole, ops, '6.12', 'zsmalloc')).toEqual({ inItem: 0, inReclaim: 0 });
  });

  it("a worker whose allocation finds free memory under the min watermark reclaims in steps, and the workload's events run meanwhile", () => {
    // Writes alone keep free memory at the watermarks; 6.12's worker allocates for every writeback.
    // Without an I/O scheduler: with one, kblockd's wake-ups give the workload the CPU between
    // the worker's writebacks, and in this run the workload's own reclaim then keeps free memory
    // above min when the worker allocates (the test below).
    const m = machine('6.1-cfs', '6.12', 'zsmalloc', noScheduler);
    const seen = replay(m, [...writes(0, 16000), ...reads(0, 16000)], '6.12', 'zsmalloc');
    expect(seen.inReclaim).toBeGreaterThan(0);
    expect(m.stats.allocstall).toBeGreaterThan(0);
  });

  it("with an I/O scheduler each writeback's bio wakes kblockd once; without one, and for 4.x's synchronous shrink, none", () => {
    const ops = [...writes(0, 12000), ...reads(0, 12000)];
    const kblockdRuns = (m: Machine): number => (m.tasks as unknown as { fair: { kblockdRuns: number } }).fair.kblockdRuns;
    const withSched = machine('6.1-cfs', '6.12', 'zsmalloc');
    replay(withSched, ops, '6.12', 'zsmalloc');
    const written = withSched.backend!.stats().zswap!.written_back_pages;
    expect(written).toBeGreaterThan(0);
    // One wake-up a page written back: 6.12's worker submits each page on its own, unplugged.
    expect(kblockdRuns(withSched)).toBe(written);
    const none = machine('6.1-cfs', '6.12', 'zsmalloc', noScheduler);
    replay(none, ops, '6.12', 'zsmalloc');
    expect(kblockdRuns(none)).toBe(0);
    // 4.x's synchronous shrink writes back inside the storer's reclaim, under its plug: no wake-up.
    const sync = machine('6.1-cfs', '4.x', 'zbud');
    replay(sync, ops, '4.x', 'zbud');
    expect(sync.backend!.stats().zswap!.written_back_pages).toBeGreaterThan(0);
    expect(kblockdRuns(sync)).toBe(0);
  });

  it('an rmmod or a umount while the worker is half done waits for it: random accesses, remounts and reloads keep every page, the same run twice the same', () => {
    const opArb = fc.oneof(
      { weight: 30, arbitrary: fc.record({ k: fc.constant('anon' as const), page: fc.nat(9000), write: fc.boolean() }) },
      { weight: 5, arbitrary: fc.record({ k: fc.constant('file' as const), index: fc.nat(3000) }) },
      { weight: 1, arbitrary: fc.constant({ k: 'remount' as const }) },
      { weight: 1, arbitrary: fc.constant({ k: 'reload' as const }) },
    );
    for (const [era, zpool] of [
      ['6.12', 'zsmalloc'],
      ['6.1', 'zbud'],
    ] as const) {
      fc.assert(
        fc.property(fc.array(opArb, { minLength: 2000, maxLength: 4000 }), (ops) => {
          const all = [...writes(0, 9000), ...ops];
          const a = machine('6.1-cfs', era, zpool);
          replay(a, all, era, zpool);
          const s = a.stats;
          expect(s.pgsteal_kswapd + s.pgsteal_direct).toBe(s.pgsteal_anon + s.pgsteal_file);
          const b = machine('6.1-cfs', era, zpool);
          replay(b, all, era, zpool);
          expect(b.stats).toEqual(a.stats);
          expect(b.backend!.stats()).toEqual(a.backend!.stats());
          expect(b.meter.totals).toEqual(a.meter.totals);
        }),
        { numRuns: 3, seed: 13, endOnFailure: true },
      );
    }
  });
});

describe("the kworker's allocation after its direct reclaim (6.1 should_reclaim_retry)", () => {
  it('finding no zone above min, the worker sleeps to the next tick and retries: the validation case limit50-zbud', async () => {
    const { readReferences, defaultBootFrom } = await import('../../../src/validate/reference.js');
    const { replay: replayCase } = await import('../../../src/validate/replay.js');
    const { Machine } = await import('../../../src/sim/machine.js');
    const dir = path.join(import.meta.dirname, '../../../validation/references');
    const ref = readReferences(dir, ['limit50-zbud'])[0]!;
    // The replay's machine, seen at its event ends.
    let m: Machine | null = null;
    const afterEvent = Machine.prototype.afterEvent;
    const spy = function (this: Machine): boolean {
      m = this;
      return afterEvent.call(this);
    };
    Machine.prototype.afterEvent = spy;
    try {
      // As `tmemsim validate` replays it: the zones' boot state from the default recording.
      await replayCase(ref, path.join(dir, 'limit50-zbud.json'), path.join(dir, '../guest-tcg.json'), { bootFrom: { dirs: defaultBootFrom(), given: false } });
    } finally {
      Machine.prototype.afterEvent = afterEvent;
    }
    const tasks = (m as unknown as Machine).tasks;
    expect(tasks.retrySleeps).toBeGreaterThan(0);
    // schedule_timeout_uninterruptible(1): to the first jiffy (4 ms tick at HZ 250, phase 0) after the sleep began.
    const [from, to] = tasks.lastRetrySleep;
    expect(to).toBeGreaterThan(from);
    expect(to - from).toBeLessThanOrEqual(4_000_000);
    expect(to % 4_000_000).toBe(0);
  }, 60_000);
});
