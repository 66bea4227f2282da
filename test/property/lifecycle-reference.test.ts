/**
 * Random lifecycle sequences (issue 16 must-have 1) checked against a
 * reference model written here, not only against the project's oracle:
 *
 *   swap key (type, offset) → the bytes last stored, or absent;
 *   cleancache key (fs, inode, index) → the bytes last put, or absent.
 *
 * The sequences mix stores, loads, frees, frontswap_invalidate_area, swapoff
 * then swapon of the same type (slots reused), puts, gets, invalidates,
 * umount and mount, insmod of every backend (RAMster too) and rmmod with
 * every strategy, with simulated time passing (zombie drains, remotify).
 * Whatever the sequence, every frontswap load or cleancache get that hits
 * returns exactly the bytes the reference holds for the key; a hit on an
 * absent key is stale. The reference forgets a swap key when its slot is
 * freed, its area invalidated or switched off; a cleancache key when it is
 * invalidated, its fs unmounted, a get missed, or the backend unloaded.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LazyPage, type PageOut } from '../../src/content/page.js';
import { LoadResult } from '../../src/frontends/frontswap.js';
import type { Machine } from '../../src/sim/machine.js';
import { testMachine } from '../helpers/machine.js';

type Op =
  | { k: 'store'; type: number; off: number; cls: number }
  | { k: 'load'; type: number; off: number }
  /** A load of a slot the reference holds: the pick-th held key (modulo their number). */
  | { k: 'loadHeld'; pick: number }
  | { k: 'free'; type: number; off: number }
  | { k: 'area'; type: number }
  | { k: 'swapcycle'; type: number; slots: number }
  | { k: 'put'; fs: number; inode: number; index: number; cls: number }
  | { k: 'get'; fs: number; inode: number; index: number }
  /** A get of a page the reference holds: the pick-th held key (modulo their number). */
  | { k: 'getHeld'; pick: number }
  | { k: 'ccinval'; fs: number; inode: number; index: number }
  | { k: 'remount'; fs: number }
  | { k: 'insmod'; backend: string }
  | { k: 'rmmod'; strategy: string; rate: number }
  | { k: 'time'; ms: number };

const BACKENDS = ['zcache', 'zswap', 'xen-tmem', 'ramster'];
const TYPES = [0, 1];
const SLOTS = 24;

function ops(strategies: string[]): fc.Arbitrary<Op> {
  const type = fc.constantFrom(...TYPES);
  const off = fc.nat(SLOTS - 1);
  const cls = fc.constantFrom(0, 1, 2, 3, 4, 5);
  const fs = fc.nat(1);
  return fc.oneof(
    { weight: 8, arbitrary: fc.record({ k: fc.constant('store' as const), type, off, cls }) },
    { weight: 2, arbitrary: fc.record({ k: fc.constant('load' as const), type, off }) },
    { weight: 6, arbitrary: fc.record({ k: fc.constant('loadHeld' as const), pick: fc.nat() }) },
    { weight: 2, arbitrary: fc.record({ k: fc.constant('free' as const), type, off }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant('area' as const), type }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant('swapcycle' as const), type, slots: fc.integer({ min: 1, max: SLOTS }) }) },
    { weight: 5, arbitrary: fc.record({ k: fc.constant('put' as const), fs, inode: fc.nat(2), index: fc.nat(5), cls }) },
    { weight: 2, arbitrary: fc.record({ k: fc.constant('get' as const), fs, inode: fc.nat(2), index: fc.nat(5) }) },
    { weight: 3, arbitrary: fc.record({ k: fc.constant('getHeld' as const), pick: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant('ccinval' as const), fs, inode: fc.nat(2), index: fc.nat(5) }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant('remount' as const), fs }) },
    { weight: 2, arbitrary: fc.record({ k: fc.constant('insmod' as const), backend: fc.constantFrom(...BACKENDS) }) },
    { weight: 2, arbitrary: fc.record({ k: fc.constant('rmmod' as const), strategy: fc.constantFrom(...strategies), rate: fc.constantFrom(1, 50, 1e6) }) },
    { weight: 2, arbitrary: fc.record({ k: fc.constant('time' as const), ms: fc.integer({ min: 1, max: 3000 }) }) },
  );
}

/** What one test's runs exercised (each test starts from none). */
interface Seen {
  swapHits: number;
  ccHits: number;
  zombieLoads: number;
  /** Hits served, by the backend (live or zombie) that served them. */
  byBackend: Map<string, number>;
  strategies: Set<string>;
}

const noneSeen = (): Seen => ({ swapHits: 0, ccHits: 0, zombieLoads: 0, byBackend: new Map(), strategies: new Set() });

function replay(m: Machine, seq: Op[], boot: string, seen: Seen): void {
  const served = (backend: string): void => {
    seen.byBackend.set(backend, (seen.byBackend.get(backend) ?? 0) + 1);
  };
  const page = new LazyPage(m.content);
  const out = (m as unknown as { out: PageOut }).out;
  const swapRef = new Map<string, number>();
  const ccRef = new Map<string, number>();
  const slots = new Map<number, number>();
  const same = (desc: number): boolean => {
    page.set(desc, 0);
    const want = page.bytes;
    if (want.length !== out.bytes.length) return false;
    for (let i = 0; i < want.length; i++) if (want[i] !== out.bytes[i]) return false;
    return true;
  };
  const load = (type: number, off: number): void => {
    if (off >= slots.get(type)! || !m.swap.get(type)!.isUsed(off)) return;
    const before = m.frontswap.counters.loads + m.stats.zombie_loads;
    const from = m.zombies.find((z) => z.holds(type, off))?.backend.name;
    const live = m.backend?.name;
    const loadsBefore = m.frontswap.counters.loads;
    const r = m.swapRead(type, off);
    // a hit served by tmem (the live backend or a zombie), not by the page still in RAM
    if (r !== LoadResult.Miss && m.frontswap.counters.loads + m.stats.zombie_loads > before) {
      seen.swapHits++;
      served((m.frontswap.counters.loads > loadsBefore ? live : from)!);
      const want = swapRef.get(`${type}:${off}`);
      expect(want, `load ${type}/${off} hit a slot the reference holds nothing for`).toBeDefined();
      if (out.filled) expect(same(want!), `load ${type}/${off}: other bytes than last stored`).toBe(true);
    }
  };
  const get = (fs: number, inode: number, index: number): void => {
    const key = `${fs}:${inode}:${index}`;
    if (m.fileRead(fs, inode, index)) {
      seen.ccHits++;
      served(m.backend!.name);
      const want = ccRef.get(key);
      expect(want, `get ${key} hit with nothing put since the last miss or invalidate`).toBeDefined();
      if (out.filled) expect(same(want!), `get ${key}: other bytes than last put`).toBe(true);
    } else ccRef.delete(key);
  };
  m.insmod(boot, {});
  for (const t of TYPES) {
    m.swapon(t, SLOTS);
    slots.set(t, SLOTS);
  }
  m.mount(0);
  m.mount(1);
  let t = 0;
  let seed = 1;
  for (const op of seq) {
    switch (op.k) {
      case 'store': {
        if (op.off >= slots.get(op.type)!) break;
        const desc = (seed++) * 16 + op.cls;
        m.swap.get(op.type)!.claim(op.off);
        m.swapWrite(op.type, op.off, desc);
        swapRef.set(`${op.type}:${op.off}`, desc);
        break;
      }
      case 'load':
        load(op.type, op.off);
        break;
      case 'loadHeld': {
        const held = [...swapRef.keys()];
        if (held.length === 0) break;
        const [type, off] = held[op.pick % held.length]!.split(':').map(Number) as [number, number];
        load(type, off);
        break;
      }
      case 'free':
        if (op.off >= slots.get(op.type)! || !m.swap.get(op.type)!.isUsed(op.off)) break;
        m.swapFree(op.type, op.off);
        swapRef.delete(`${op.type}:${op.off}`);
        break;
      case 'area':
        m.invalidateArea(op.type);
        for (const k of [...swapRef.keys()]) if (k.startsWith(`${op.type}:`)) swapRef.delete(k);
        break;
      case 'swapcycle':
        m.swapoff(op.type);
        for (const k of [...swapRef.keys()]) if (k.startsWith(`${op.type}:`)) swapRef.delete(k);
        m.swapon(op.type, op.slots);
        slots.set(op.type, op.slots);
        break;
      case 'put': {
        const desc = (seed++) * 16 + op.cls;
        m.filePut(op.fs, op.inode, op.index, desc);
        // kept only if a backend took it; the reference says what a hit must return
        ccRef.set(`${op.fs}:${op.inode}:${op.index}`, desc);
        break;
      }
      case 'get':
        get(op.fs, op.inode, op.index);
        break;
      case 'getHeld': {
        const held = [...ccRef.keys()];
        if (held.length === 0) break;
        const [fs, inode, index] = held[op.pick % held.length]!.split(':').map(Number) as [number, number, number];
        get(fs, inode, index);
        break;
      }
      case 'ccinval':
        m.fileInvalidatePage(op.fs, op.inode, op.index);
        ccRef.delete(`${op.fs}:${op.inode}:${op.index}`);
        break;
      case 'remount':
        m.umount(op.fs);
        m.mount(op.fs);
        for (const k of [...ccRef.keys()]) if (k.startsWith(`${op.fs}:`)) ccRef.delete(k);
        break;
      case 'insmod':
        if (!m.backend) m.insmod(op.backend, {});
        break;
      case 'rmmod':
        if (m.backend) {
          m.rmmod(op.strategy, op.rate);
          seen.strategies.add(op.strategy);
          // an unloaded backend's cleancache pages miss from now on
          if (m.backend === null) ccRef.clear();
        }
        break;
      case 'time':
        t += op.ms * 1e6;
        break;
    }
    m.memory.balance();
    m.advance(t);
    m.audit();
  }
  seen.zombieLoads += m.stats.zombie_loads;
}

describe('lifecycle against an independent reference model', () => {
  // Coverage floors: about 3/4 of what the fixed seeds gave when measured (hits served per backend:
  // xen-tmem 149, ramster 91, zswap 61, zcache 86; swap hits 269, cleancache hits 118, zombie loads 22
  // without writethrough; 46, 24, 24, 42; 97, 39, 1 with it).
  const floors = {
    false: { perBackend: 45, swapHits: 200, ccHits: 90 },
    true: { perBackend: 18, swapHits: 70, ccHits: 29 },
  };
  for (const writethrough of [false, true]) {
    const strategies = writethrough ? ['writethrough', 'flush', 'zombie', 'refuse'] : ['flush', 'zombie', 'refuse'];
    const floor = floors[`${writethrough}`];
    it(`every backend incl. RAMster, rmmod ${strategies.join('/')}, swapoff/swapon reuse: hits return the last stored bytes`, () => {
      const seen = noneSeen();
      fc.assert(
        fc.property(fc.array(ops(strategies), { minLength: 20, maxLength: 120, size: 'max' }), fc.constantFrom(...BACKENDS), (seq, boot) => {
          const m = testMachine({ ramPages: 2048, seed: 5, writethrough });
          replay(m, seq, boot, seen);
          expect(m.oracle.examples).toEqual([]);
          expect(m.oracle.counts.stale).toBe(0);
          expect(m.oracle.counts.lost).toBe(0);
        }),
        { numRuns: writethrough ? 40 : 100, seed: writethrough ? 161 : 160 },
      );
      for (const b of BACKENDS) expect(seen.byBackend.get(b) ?? 0, `hits served by ${b}`).toBeGreaterThanOrEqual(floor.perBackend);
      for (const s of strategies) expect(seen.strategies.has(s)).toBe(true);
      expect(seen.swapHits).toBeGreaterThanOrEqual(floor.swapHits);
      expect(seen.ccHits).toBeGreaterThanOrEqual(floor.ccHits);
      // loads that found their slot held by an unloaded backend
      expect(seen.zombieLoads).toBeGreaterThan(0);
    });
  }
});
