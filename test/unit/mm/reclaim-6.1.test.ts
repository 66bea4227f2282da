/**
 * The 6.1 reclaim's page cache against a kernel-style two-list LRU written
 * here from mm/swap.c, mm/vmscan.c and mm/workingset.c of Linux 6.1,
 * independently of src/mm/reclaim/linux-6.1.ts: the CloudPhysics sample
 * (libCacheSim's oracleGeneral file, 113,872 page reads) replayed with no
 * backend and no swap, so reclaim is file-only (get_scan_count: SCAN_FILE).
 *
 * The model: folio_mark_accessed on every read (first sets PG_referenced,
 * second activates an inactive page); a miss first checks the shadow entry
 * (refault distance <= active file pages → the page starts on the active
 * list); shrink_inactive_list evicts from the tail (unmapped pages are never
 * kept); shrink_active_list moves the active tail to the inactive head when
 * the inactive list is low or a file refault happened since the last
 * reclaim; kswapd (balance_pgdat) runs after a read that left free memory
 * at or below the low watermark, until free memory exceeds the high watermark
 * (zone_watermark_ok: a zone is above a mark when its free pages exceed it), with
 * nr_to_reclaim = max(high, 32) per shrink_node and priority 12 down to 1.
 * Shadow entries live in xarray nodes of 64 consecutive indexes; a node
 * holding only shadows is on the shadow-node list (oldest first), and after
 * each shrink_node the shadow shrinker (count_shadow_nodes, do_shrink_slab
 * with seeks 0, batches of 128) frees the oldest of them beyond one node per
 * 8 LRU pages, with their shadows.
 */

import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../../src/api.js';
import { getProfile } from '../../../src/profiles/registry.js';
import { openImported } from '../trace/helpers.js';

const TRACES = path.resolve(__dirname, '../../../../shared/traces');
const ORACLE = path.join(TRACES, 'cloudPhysicsIO.oracleGeneral.bin');

const pages: number[] = [];
for (const r of openImported(ORACLE, 'oracleGeneral').requests()) pages.push(r.id);

interface Counts {
  misses: number;
  hits: number;
  pgactivate: number;
  pgdeactivate: number;
  pgscan: number;
  refault: number;
  activate: number;
  pageoutrun: number;
  allocstall: number;
  nodereclaim: number;
  /** shrink_node calls (kswapd's and direct reclaim's). */
  passes: number;
}

/** Watermarks of 6.1's __setup_per_zone_wmarks for one zone of `ram` pages. */
function wmarks(ram: number): { min: number; low: number; high: number } {
  let kb = Math.floor(Math.sqrt(ram * 4 * 16));
  kb = Math.min(262144, Math.max(128, kb));
  const min = kb >> 2;
  const step = Math.max(min >> 2, Math.floor(ram / 1000));
  return { min, low: min + step, high: min + step * 2 };
}

function twoListLru(ram: number): Counts {
  const wm = wmarks(ram);
  // Map order is list order: the first key is the tail (oldest), set() adds at the head.
  const inactive = new Map<number, { ref: boolean; ws: boolean }>();
  const active = new Map<number, { ref: boolean; ws: boolean }>();
  const shadow = new Map<number, { evicted: number; ws: boolean }>();
  let nonresidentAge = 0;
  let activations = 0; // WORKINGSET_ACTIVATE_FILE
  let snapshot = 0;
  const c: Counts = { misses: 0, hits: 0, pgactivate: 0, pgdeactivate: 0, pgscan: 0, refault: 0, activate: 0, pageoutrun: 0, allocstall: 0, nodereclaim: 0, passes: 0 };
  // xarray leaf nodes: 64 consecutive page numbers (an oracleGeneral id is its page's index in one file).
  const nodeOf = (p: number) => Math.floor(p / 64);
  const nodePages = new Map<number, number>();
  const nodeShadows = new Map<number, Set<number>>();
  const shadowList = new Map<number, true>(); // insertion order: the oldest listed node first
  let deferred = 0;
  const settle = (node: number) => {
    const shadows = nodeShadows.get(node)?.size ?? 0;
    if ((nodePages.get(node) ?? 0) === 0 && shadows > 0) {
      if (!shadowList.has(node)) shadowList.set(node, true);
    } else shadowList.delete(node);
  };
  const pageIn = (p: number) => {
    const node = nodeOf(p);
    nodePages.set(node, (nodePages.get(node) ?? 0) + 1);
    nodeShadows.get(node)?.delete(p);
    settle(node);
  };
  const shrinkShadows = () => {
    const maxNodes = Math.floor((inactive.size + active.size) / 8);
    const freeable = Math.max(0, shadowList.size - maxNodes);
    if (freeable === 0) return;
    const nr = deferred;
    deferred = 0;
    const delta = Math.floor(freeable / 2);
    let total = Math.min(nr + delta, 2 * freeable);
    let scanned = 0;
    while (total >= 128 || total >= freeable) {
      const batch = Math.min(128, total);
      for (let i = 0; i < batch && shadowList.size > 0; i++) {
        const node = shadowList.keys().next().value as number;
        shadowList.delete(node);
        for (const p of nodeShadows.get(node)!) shadow.delete(p);
        nodeShadows.delete(node);
        c.nodereclaim++;
      }
      total -= batch;
      scanned += batch;
    }
    deferred = Math.min(Math.max(nr + delta - scanned, 0), 2 * freeable);
  };
  const free = () => ram - inactive.size - active.size;
  const lowInactive = () => {
    const gb = Math.floor((inactive.size + active.size) / 262144);
    const ratio = gb === 0 ? 1 : Math.floor(Math.sqrt(10 * gb));
    return inactive.size * ratio < active.size;
  };
  const deactivate = (n: number) => {
    for (let i = 0; i < n && active.size > 0; i++) {
      const [k, v] = active.entries().next().value as [number, { ref: boolean; ws: boolean }];
      active.delete(k);
      inactive.set(k, { ref: v.ref, ws: true });
      c.pgdeactivate++;
    }
  };
  const evictTail = (n: number): number => {
    let done = 0;
    for (let i = 0; i < n && inactive.size > 0; i++) {
      const [k, v] = inactive.entries().next().value as [number, { ref: boolean; ws: boolean }];
      inactive.delete(k);
      shadow.set(k, { evicted: nonresidentAge, ws: v.ws });
      const node = nodeOf(k);
      nodePages.set(node, nodePages.get(node)! - 1);
      if (!nodeShadows.has(node)) nodeShadows.set(node, new Set());
      nodeShadows.get(node)!.add(k);
      settle(node);
      nonresidentAge++;
      done++;
    }
    c.pgscan += done;
    return done;
  };
  /** shrink_node at a priority; returns [scanned, reclaimed]. */
  const shrinkNode = (prio: number, want: number): [number, number] => {
    c.passes++;
    const mayDeactivate = activations !== snapshot || lowInactive();
    let nrInactive = Math.floor(inactive.size / 2 ** prio);
    let nrActive = Math.floor(active.size / 2 ** prio);
    let got = 0;
    let scanned = 0;
    while (nrInactive > 0 || nrActive > 0) {
      if (nrInactive > 0) {
        const n = Math.min(32, nrInactive);
        nrInactive -= n;
        const before = inactive.size;
        got += evictTail(n);
        scanned += before - inactive.size;
      }
      if (nrActive > 0) {
        const n = Math.min(32, nrActive);
        nrActive -= n;
        if (mayDeactivate) deactivate(n);
      }
      if (got >= want) break;
    }
    shrinkShadows();
    return [scanned, got];
  };
  const kswapd = () => {
    c.pageoutrun++;
    const want = Math.max(wm.high, 32);
    for (let prio = 12; prio >= 1 && free() <= wm.high; ) {
      const [scanned, got] = shrinkNode(prio, want);
      if (scanned < want || got === 0) prio--;
    }
    snapshot = activations;
  };
  const direct = () => {
    c.allocstall++;
    let got = 0;
    for (let prio = 12; prio >= 0 && got < 32; prio--) got += shrinkNode(prio, 32 - got)[1];
    snapshot = activations;
  };
  let woken = false;
  for (const p of pages) {
    let e = inactive.get(p);
    let onActive = false;
    if (e === undefined) {
      e = active.get(p);
      onActive = e !== undefined;
    }
    if (e !== undefined) {
      c.hits++;
      if (!e.ref) e.ref = true;
      else if (!onActive) {
        inactive.delete(p);
        active.set(p, { ref: false, ws: e.ws });
        c.pgactivate++;
        nonresidentAge++;
      }
    } else {
      c.misses++;
      if (free() <= wm.min) direct();
      if (free() <= wm.low) woken = true;
      const sh = shadow.get(p);
      let toActive = false;
      let ws = false;
      if (sh !== undefined) {
        shadow.delete(p);
        c.refault++;
        if (nonresidentAge - sh.evicted <= active.size) {
          toActive = true;
          ws = sh.ws;
          nonresidentAge++;
          activations++;
          c.activate++;
        }
      }
      pageIn(p);
      // Filled, then read: folio_mark_accessed sets PG_referenced.
      (toActive ? active : inactive).set(p, { ref: true, ws });
    }
    if (woken || free() <= wm.low) {
      woken = false;
      if (free() <= wm.high) kswapd();
    }
  }
  return c;
}

describe('the 6.1 page cache on the CloudPhysics sample, against a two-list LRU written here', () => {
  it('has the watermarks of 6.1 for 1 GiB', () => {
    // min_free_kbytes for 1 GiB is int_sqrt(16 * 1048576) = 4096 KiB; the scale factor step is 262 pages.
    expect(wmarks(262144)).toEqual({ min: 1024, low: 1286, high: 1548 });
  });

  for (const ram of [1000, 2500, 6000, 9973, 20000]) {
    it(`matches counter for counter at ${ram} pages`, async () => {
      const want = twoListLru(ram);
      const report = await run({ trace: ORACLE, inputFormat: 'oracleGeneral', backend: null, profiles: ['ssd'], baseline: false, ramPages: ram, reclaim: '6.1', fast: true });
      const mm = report.runs[0]!.backend.mm;
      const got: Omit<Counts, 'passes'> = {
        misses: mm.pgcache_misses, hits: mm.pgcache_hits, pgactivate: mm.pgactivate, pgdeactivate: mm.pgdeactivate, pgscan: mm.pgscan,
        refault: mm.workingset_refault_file, activate: mm.workingset_activate_file, pageoutrun: mm.pageoutrun, allocstall: mm.allocstall,
        nodereclaim: mm.workingset_nodereclaim,
      };
      // shrink_node calls are not a counter of the report: the charge test below checks them.
      const { passes: _passes, ...counters } = want;
      expect(got).toEqual(counters);
      // Something happened at every size: pages were reclaimed, some came back as refaults, shadow nodes were freed.
      expect(want.pgscan).toBeGreaterThan(0);
      expect(want.refault).toBeGreaterThan(0);
      expect(want.nodereclaim).toBeGreaterThan(0);
      expect(want.hits + want.misses).toBe(pages.length);
    });
  }

  it("charges a profile's mm.shrinkNodeCycles once per shrink_node call, on top of the same replay", async () => {
    const ram = 2500;
    const want = twoListLru(ram);
    expect(want.passes).toBeGreaterThan(want.pageoutrun);
    const ssd = getProfile('ssd');
    const withPass = { ...ssd, mm: { ...ssd.mm, shrinkNodeCycles: { value: 30_000, source: 'test' } } };
    const opts = { trace: ORACLE, inputFormat: 'oracleGeneral', backend: null, baseline: false, ramPages: ram, reclaim: '6.1', fast: true } as const;
    const plain = (await run({ ...opts, profileDefs: [ssd] })).runs[0]!.backend;
    const charged = (await run({ ...opts, profileDefs: [withPass] })).runs[0]!.backend;
    // The same reclaim (the charge moves no page): the difference is 30,000 cycles per call.
    expect(charged.mm).toEqual(plain.mm);
    expect(charged.cost.metaCycles - plain.cost.metaCycles).toBe(30_000 * want.passes);
  });
});
