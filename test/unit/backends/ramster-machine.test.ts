/**
 * RAMster inside the simulated machine (swap_writepage, swap_readpage, slot
 * frees and page-cache puts/gets as a kernel issues them), with the
 * machine's oracle checking every load: a persistent page held by a peer
 * that dies is lost when it is loaded, and only such pages are.
 */

import { testMachine } from '../../helpers/machine.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ramsterFactory, type RamsterBackend } from '../../../src/backends/ramster/ramster.js';
import { Cls, makeDesc } from '../../../src/content/page.js';
import { Rng } from '../../../src/content/rng.js';
import { Machine } from '../../../src/sim/machine.js';
import type { ParamMap } from '../../../src/trace/events.js';

function machine(params: ParamMap, ramPages = 4000): { m: Machine; r: RamsterBackend } {
  const m = testMachine({ ramPages, seed: 7, factory: ramsterFactory });
  m.swapon(0, 4096);
  m.insmod('ramster', params);
  return { m, r: m.backend as RamsterBackend };
}

/** Classes that compress well enough for zcache (random pages are rejected and go to disk). */
const CLASSES = [Cls.Zero, Cls.Fill, Cls.Text, Cls.Code, Cls.Random, Cls.Heap];

const MS = 1e6;
const S = 1e9;

describe('ramster in the machine', () => {
  it('a dead peer loses exactly the swap pages it held, each when it is loaded; cleancache pages just miss', () => {
    const { m, r } = machine({ remotify_first_delay_s: 0, disable_frontswap_selfshrink: true, nodes: 3 });
    const rng = new Rng(3);
    let t = 0;
    m.mount(1);
    for (let off = 0; off < 600; off++) {
      m.advance((t += MS));
      m.swapWrite(0, off, makeDesc(CLASSES[rng.int(CLASSES.length)]!, rng.int(40)));
      m.filePut(1, 1 + (off % 7), off, makeDesc(Cls.Text, rng.int(40)));
    }
    m.advance((t += 3 * S)); // remotify runs at 0 .. 3 s
    // a few reads while the peer is alive: remote gets that succeed
    for (let off = 0; off < 20; off++) m.swapRead(0, off);
    for (let off = 600; off < 650; off++) {
      m.advance((t += MS));
      m.swapWrite(0, off, makeDesc(Cls.Text, rng.int(40))); // stays local: no worker run before the death
    }
    const doomed = new Set(r.remoteFrontswapSlots(1).map((x) => x.offset));
    expect(doomed.size).toBeGreaterThan(100);
    expect(r.counters.remote_pers_pages_succ_get).toBeGreaterThan(0);
    expect(m.oracle.counts.lost).toBe(0);
    r.nodeDown(1, m.clock);
    expect(r.counters.remote_pages_lost_on_node_death).toBe(doomed.size);
    m.advance((t += 40 * S)); // r2net notices; the worker now fails every remotify
    for (let off = 0; off < 650; off++) m.swapRead(0, off);
    expect(m.oracle.counts.lost).toBe(doomed.size);
    expect(m.oracle.counts.stale).toBe(0);
    // cleancache: misses, never violations
    let hits = 0;
    for (let off = 0; off < 600; off++) if (m.fileRead(1, 1 + (off % 7), off)) hits++;
    expect(r.counters.remote_eph_pages_lost_on_node_death).toBeGreaterThan(0);
    expect(hits).toBeLessThan(600);
    expect(m.oracle.counts.stale).toBe(0);
    expect(m.oracle.counts.lost).toBe(doomed.size);
    expect(m.poolPages).toBe(r.poolPages());
    // node 2 never held anything
    expect(r.stats()['ramster_node2']!['foreign_pers_pages_max']).toBe(0);
  });

  it('frontswap selfshrinking repatriates remote swap pages, with no loss', () => {
    const { m, r } = machine({ remotify_first_delay_s: 0 });
    const rng = new Rng(5);
    let t = 0;
    for (let off = 0; off < 300; off++) {
      m.advance((t += MS));
      m.swapWrite(0, off, makeDesc(Cls.Text, rng.int(60)));
    }
    m.advance((t += 3 * S));
    const before = m.frontswap.currPages();
    expect(before).toBe(300);
    expect(r.counters.pers_pages_remoted).toBeGreaterThan(250);
    for (let k = 0; k < 600; k++) m.advance((t += S));
    expect(m.frontswap.currPages()).toBe(0);
    expect(m.stats.frontswap_shrunk_pages).toBe(300);
    const st = r.stats()['ramster']!;
    expect(st['selfshrink_calls']).toBeGreaterThan(10);
    expect(st['remote_pers_pages_succ_get']).toBe(st['pers_pages_remoted']);
    expect(st['foreign_pers_pages']).toBe(0);
    expect(m.oracle.counts.lost + m.oracle.counts.stale).toBe(0);
    expect(r.storedPages()).toBe(0);
    expect(m.poolPages).toBe(0);
  });
});

type Op =
  | { k: 'w'; off: number; cls: number; seed: number }
  | { k: 'r'; off: number }
  | { k: 'f'; off: number }
  | { k: 't'; ms: number }
  | { k: 'cp'; inode: number; index: number; seed: number }
  | { k: 'cg'; inode: number; index: number }
  | { k: 'die' };

const off = fc.integer({ min: 0, max: 150 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      k: fc.constant('w' as const),
      off,
      cls: fc.constantFrom(...CLASSES),
      seed: fc.integer({ min: 0, max: 30 }),
    }),
  },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('r' as const), off }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('f' as const), off }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('t' as const), ms: fc.integer({ min: 0, max: 2500 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('cp' as const),
      inode: fc.integer({ min: 1, max: 3 }),
      index: fc.integer({ min: 0, max: 20 }),
      seed: fc.integer({ min: 0, max: 30 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ k: fc.constant('cg' as const), inode: fc.integer({ min: 1, max: 3 }), index: fc.integer({ min: 0, max: 20 }) }),
  },
  { weight: 1, arbitrary: fc.constant({ k: 'die' as const }) },
);

/**
 * Replays `ops`; with `death`, the first 'die' kills node 1. Returns the
 * persistent pages that were remote on node 1 at its death and were loaded
 * (before being rewritten or freed) — exactly what must be lost.
 */
function replay(ops: Op[], death: boolean, params: ParamMap): { m: Machine; r: RamsterBackend; expectedLost: number } {
  const { m, r } = machine({ remotify_first_delay_s: 0, disable_frontswap_selfshrink: true, ...params });
  m.mount(1);
  const stored = new Set<number>();
  let doomed = new Set<number>();
  let dead = false;
  let expectedLost = 0;
  let t = 0;
  const read = (o: number): void => {
    m.swapRead(0, o);
    if (doomed.delete(o)) expectedLost++;
  };
  for (const op of ops) {
    m.advance((t += MS));
    switch (op.k) {
      case 'w':
        m.swapWrite(0, op.off, makeDesc(op.cls, op.seed));
        stored.add(op.off);
        doomed.delete(op.off);
        break;
      case 'r':
        if (stored.has(op.off)) read(op.off);
        break;
      case 'f':
        if (stored.has(op.off)) {
          m.swapFree(0, op.off);
          stored.delete(op.off);
          doomed.delete(op.off);
        }
        break;
      case 't':
        m.advance((t += op.ms * MS));
        break;
      case 'cp':
        m.filePut(1, op.inode, op.index, makeDesc(Cls.Text, op.seed));
        break;
      case 'cg':
        m.fileRead(1, op.inode, op.index);
        break;
      case 'die':
        if (death && !dead) {
          dead = true;
          doomed = new Set(r.remoteFrontswapSlots(1).map((x) => x.offset));
          r.nodeDown(1, m.clock);
        }
        break;
    }
  }
  for (const o of stored) read(o);
  return { m, r, expectedLost };
}

describe('ramster in the machine: properties', () => {
  const variants: [string, ParamMap][] = [
    ['exclusive gets', {}],
    ['non-exclusive gets', { frontswap_has_exclusive_gets: false }],
    ['a small peer (remote puts fail)', { remote_node_pages: 8 }],
    ['three nodes, instant detection', { nodes: 3, heartbeat_timeout_ms: 0 }],
  ];

  it.each(variants)('with no node failure every stored swap page loads until invalidated (%s)', (_name, params) => {
    const seen = { remoted: 0, remoteGets: 0, failedPuts: 0, flushed: 0, ephGets: 0 };
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 20, maxLength: 300, size: 'max' }), (ops) => {
        const { m, r } = replay(ops, false, params);
        expect(m.oracle.examples).toEqual([]);
        expect(m.oracle.counts.lost).toBe(0);
        expect(m.oracle.counts.stale).toBe(0);
        const c = r.counters;
        seen.remoted += c.pers_pages_remoted;
        seen.remoteGets += c.remote_pers_pages_succ_get;
        seen.failedPuts += c.pers_pages_remote_failed;
        seen.flushed += c.remote_pages_flushed;
        seen.ephGets += c.remote_eph_pages_succ_get;
      }),
      { numRuns: 25, seed: 4242 },
    );
    // the runs did exercise the remote paths
    expect(seen.remoted).toBeGreaterThan(100);
    expect(seen.remoteGets).toBeGreaterThan(50);
    expect(seen.flushed).toBeGreaterThan(0);
    expect(seen.ephGets).toBeGreaterThan(0);
    if (params['remote_node_pages'] !== undefined) expect(seen.failedPuts).toBeGreaterThan(0);
  });

  it.each(variants)('after a node failure, lost == the loaded swap pages that were remote on it (%s)', (_name, params) => {
    let sawLoss = false;
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 20, maxLength: 300, size: 'max' }), (ops) => {
        const { m, expectedLost } = replay(ops, true, params);
        expect(m.oracle.counts.stale).toBe(0);
        expect(m.oracle.counts.lost).toBe(expectedLost);
        if (expectedLost > 0) sawLoss = true;
      }),
      { numRuns: 25, seed: 2424 },
    );
    expect(sawLoss).toBe(true);
  });
});
