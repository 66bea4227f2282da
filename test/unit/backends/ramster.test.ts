import { describe, expect, it } from 'vitest';
import { RamsterBackend, ramsterFactory, RAMSTER_PARAMS } from '../../../src/backends/ramster/ramster.js';
import { R2NET_MSG_HDR, RAMSTER_REQ_HDR } from '../../../src/backends/ramster/network.js';
import { PAGE_SIZE } from '../../../src/content/page.js';
import { UsageError } from '../../../src/errors.js';
import type { ParamMap } from '../../../src/trace/events.js';
import { out, pageOf } from '../../helpers/env-double.js';
import { NET_LATENCY_NS, RamsterEnv, s, type EnvDoubleOptions as RamsterEnvOptions } from '../../helpers/env-double.js';

function make(params: ParamMap = {}, envOpts: RamsterEnvOptions = {}) {
  const env = new RamsterEnv(envOpts);
  const r = new RamsterBackend(env, params);
  return { env, r, fs: r.frontswap!, cc: r.cleancache! };
}

function rs(r: RamsterBackend): Record<string, number> {
  return r.stats()['ramster']!;
}
function zc(r: RamsterBackend): Record<string, number> {
  return r.stats()['zcache']!;
}

/** Move the clock to `t` seconds and run what is due. */
function at(env: RamsterEnv, r: RamsterBackend, sec: number): void {
  env.clock = s(sec);
  r.tick(env.clock);
}

describe('ramster: remotify', () => {
  it('moves a stored page to the target after the first delay: local pageframe freed, foreign page counted, network charged', () => {
    const { env, r, fs } = make();
    fs.init(0);
    const p = pageOf(1000, 7);
    expect(fs.store(0, 5, p)).toBe(true);
    expect(env.poolPages).toBe(1);
    at(env, r, 59.999);
    expect(rs(r)['pers_pages_remoted']).toBe(0);
    expect(env.meter.totals.netMessages).toBe(0);
    at(env, r, 60);
    expect(rs(r)['pers_pages_remoted']).toBe(1);
    expect(rs(r)['remotify_runs']).toBe(1);
    expect(env.poolPages).toBe(0);
    expect(r.poolPages()).toBe(0);
    expect(zc(r)['pers_zpages']).toBe(0);
    expect(zc(r)['pers_pageframes']).toBe(0);
    expect(rs(r)['foreign_pers_pages']).toBe(1);
    expect(rs(r)['foreign_pers_pages_max']).toBe(1);
    expect(r.stats()['ramster_node1']!['foreign_pers_pages']).toBe(1);
    expect(rs(r)['remote_pers_pages']).toBe(1);
    // one put request (header + data) and its status reply
    expect(env.meter.totals.netMessages).toBe(2);
    expect(env.meter.totals.netBytes).toBe(RAMSTER_REQ_HDR + 1000 + R2NET_MSG_HDR);
    expect(env.meter.totals.ioNs).toBe(2 * NET_LATENCY_NS + RAMSTER_REQ_HDR + 1000 + R2NET_MSG_HDR);
    expect(rs(r)['net_messages']).toBe(2);
    expect(rs(r)['net_bytes']).toBe(RAMSTER_REQ_HDR + 1000 + R2NET_MSG_HDR);
    // stored: local + live remote
    expect(r.storedPages()).toBe(1);
    expect(r.storedBytes()).toBe(1000);
    expect(r.remoteFrontswapSlots(1)).toEqual([{ type: 0, offset: 5 }]);
  });

  it('runs every second after a run, 100 pageframes per side per run, LRU first', () => {
    const { env, r, fs } = make({ remotify_first_delay_s: 0 });
    fs.init(0);
    for (let i = 0; i < 150; i++) fs.store(0, i, pageOf(2400, i + 1)); // one per pageframe
    expect(env.poolPages).toBe(150);
    at(env, r, 0);
    expect(rs(r)['pers_pages_remoted']).toBe(100);
    expect(env.poolPages).toBe(50);
    // the oldest went first
    const remote = new Set(r.remoteFrontswapSlots(1).map((x) => x.offset));
    for (let i = 0; i < 100; i++) expect(remote.has(i)).toBe(true);
    at(env, r, 0.999);
    expect(rs(r)['pers_pages_remoted']).toBe(100);
    at(env, r, 1);
    expect(rs(r)['pers_pages_remoted']).toBe(150);
    expect(env.poolPages).toBe(0);
    // a clock jump catches up run by run
    at(env, r, 10);
    expect(rs(r)['remotify_runs']).toBe(11);
  });

  it('sends both zbuds of a buddied pageframe, and remotifies ephemeral pages too', () => {
    const { env, r, fs, cc } = make({ remotify_first_delay_s: 0 });
    fs.init(0);
    fs.store(0, 1, pageOf(1000, 1));
    fs.store(0, 2, pageOf(1000, 2));
    const pool = cc.initFs(PAGE_SIZE);
    cc.putPage(pool, 3, 0, pageOf(500, 3));
    expect(env.poolPages).toBe(2);
    at(env, r, 0);
    expect(rs(r)['pers_pages_remoted']).toBe(2);
    expect(rs(r)['eph_pages_remoted']).toBe(1);
    expect(rs(r)['foreign_eph_pages']).toBe(1);
    expect(env.poolPages).toBe(0);
  });

  it('does nothing with the target unset or the enables off', () => {
    const a = make({ remotify_first_delay_s: 0, remote_target_nodenum: -1 });
    a.fs.init(0);
    a.fs.store(0, 1, pageOf(1000, 1));
    at(a.env, a.r, 5);
    expect(rs(a.r)['pers_pages_remoted']).toBe(0);
    expect(rs(a.r)['remotify_runs']).toBe(6);

    const b = make({ remotify_first_delay_s: 0, pers_remotify_enable: false });
    b.fs.init(0);
    b.fs.store(0, 1, pageOf(1000, 1));
    at(b.env, b.r, 1);
    expect(rs(b.r)['pers_pages_remoted']).toBe(0);
    b.r.setParam('pers_remotify_enable', '1');
    at(b.env, b.r, 2);
    expect(rs(b.r)['pers_pages_remoted']).toBe(1);
  });

  it('a put the target has no room for fails once per zbud, stays local in a zombie pageframe, and is not retried', () => {
    const { env, r, fs } = make({ remotify_first_delay_s: 0, remote_node_pages: 1 });
    fs.init(0);
    for (let i = 0; i < 4; i++) fs.store(0, i, pageOf(2400, i + 1));
    at(env, r, 0);
    expect(rs(r)['pers_pages_remoted']).toBe(1);
    expect(rs(r)['pers_pages_remote_failed']).toBe(3);
    expect(rs(r)['pers_zombie_pageframes']).toBe(3);
    expect(r.stats()['zbud']!['pers_zombie_count']).toBe(3);
    expect(env.poolPages).toBe(3);
    at(env, r, 5);
    expect(rs(r)['pers_pages_remote_failed']).toBe(3);
    // the data is still local and loads
    for (let i = 0; i < 4; i++) {
      const o = out();
      expect(fs.load(0, i, o)).toBe(true);
      expect(o.tag).toBe(i + 1);
    }
    expect(env.poolPages).toBe(0);
    expect(rs(r)['pers_zombie_pageframes']).toBe(0);
  });

  it('an ephemeral zombie pageframe is never evicted by the shrinker', () => {
    const { env, r, fs, cc } = make({ remotify_first_delay_s: 0, remote_node_pages: 1 });
    fs.init(0);
    fs.store(0, 1, pageOf(2400, 9)); // fills the node: a persistent page is never evicted there
    at(env, r, 0);
    const pool = cc.initFs(PAGE_SIZE);
    cc.putPage(pool, 1, 0, pageOf(3000, 1));
    cc.putPage(pool, 1, 1, pageOf(3000, 2));
    at(env, r, 1);
    expect(rs(r)['eph_pages_remoted']).toBe(0);
    expect(rs(r)['eph_pages_remote_failed']).toBe(2);
    expect(rs(r)['eph_zombie_pageframes']).toBe(2);
    expect(r.nodes[1]!.store!.counters.eph_ate_tail_failed).toBe(2);
    r.zcache.shrink(10);
    expect(zc(r)['evicted_eph_pageframes']).toBe(0);
    const o = out();
    expect(cc.getPage(pool, 1, 1, o)).toBe(true);
    expect(o.tag).toBe(2);
  });
});

describe('ramster: remote gets', () => {
  it('a remote load succeeds, charges a round trip and the decompression, and frees the remote copy (exclusive gets)', () => {
    const { env, r, fs } = make({ remotify_first_delay_s: 0 });
    fs.init(0);
    const p = pageOf(1000, 7);
    fs.store(0, 5, p);
    at(env, r, 0);
    const m0 = { ...env.meter.totals };
    const o = out();
    expect(fs.load(0, 5, o)).toBe(true);
    expect(o.tag).toBe(7);
    expect(o.filled).toBe(true);
    expect(o.bytes).toEqual(p.bytes);
    const m1 = env.meter.totals;
    expect(m1.netMessages - m0.netMessages).toBe(2);
    expect(m1.netBytes - m0.netBytes).toBe(RAMSTER_REQ_HDR + RAMSTER_REQ_HDR + 1000);
    expect(m1.ioNs - m0.ioNs).toBe(2 * NET_LATENCY_NS + 2 * RAMSTER_REQ_HDR + 1000);
    expect(m1.decompressOps - m0.decompressOps).toBe(1);
    expect(m1.decompressInBytes - m0.decompressInBytes).toBe(1000);
    expect(rs(r)['remote_pers_pages_succ_get']).toBe(1);
    expect(rs(r)['foreign_pers_pages']).toBe(0);
    expect(r.storedPages()).toBe(0);
    // the kernel leaves the remote pampd in tmem: asked again, the node has nothing
    expect(fs.load(0, 5, out())).toBe(false);
    expect(rs(r)['remote_pers_pages_unsucc_get']).toBe(1);
    expect(fs.load(0, 5, out())).toBe(false);
    expect(rs(r)['remote_pers_pages_unsucc_get']).toBe(1); // deleted: a plain miss now
  });

  it('a remote pampd left by an exclusive get is freed by the next store (a remote flush is queued)', () => {
    const { env, r, fs } = make({ remotify_first_delay_s: 0 });
    fs.init(0);
    fs.store(0, 5, pageOf(1000, 1));
    at(env, r, 0);
    fs.load(0, 5, out());
    expect(rs(r)['remote_pers_pages']).toBe(1); // the kernel's sysfs count drifts
    fs.store(0, 5, pageOf(1000, 2));
    expect(rs(r)['remote_pers_pages']).toBe(0);
    expect(rs(r)['flnodes']).toBe(1);
    at(env, r, 1);
    expect(rs(r)['remote_pages_flushed']).toBe(1);
    expect(rs(r)['pers_pages_remoted']).toBe(2);
    const o = out();
    expect(fs.load(0, 5, o)).toBe(true);
    expect(o.tag).toBe(2);
  });

  it('without exclusive gets a remote load brings the page home (repatriate preload), or leaves it remote when there is no room', () => {
    const { env, r, fs } = make({ remotify_first_delay_s: 0, frontswap_has_exclusive_gets: false });
    expect(r.frontswapExclusiveGets).toBe(false);
    fs.init(0);
    fs.store(0, 5, pageOf(1000, 7));
    fs.store(0, 6, pageOf(3000, 8));
    at(env, r, 0);
    expect(env.poolPages).toBe(0);
    expect(rs(r)['remote_pers_pages']).toBe(2);
    const o = out();
    expect(fs.load(0, 5, o)).toBe(true);
    expect(o.tag).toBe(7);
    expect(env.poolPages).toBe(1);
    expect(zc(r)['pers_zpages']).toBe(1);
    expect(rs(r)['foreign_pers_pages']).toBe(1);
    expect(rs(r)['remote_pers_pages']).toBe(1);
    const n = env.meter.totals.netMessages;
    expect(fs.load(0, 5, out())).toBe(true); // local now: no messages
    expect(env.meter.totals.netMessages).toBe(n);
    // no free pageframe for the other one: remote_nomem, a non-destructive remote get
    env.freeBudget = 0;
    const o2 = out();
    expect(fs.load(0, 6, o2)).toBe(true);
    expect(o2.tag).toBe(8);
    expect(rs(r)['pers_pages_remote_nomem']).toBe(1);
    expect(rs(r)['foreign_pers_pages']).toBe(1);
    expect(fs.load(0, 6, out())).toBe(true);
    expect(rs(r)['remote_pers_pages_succ_get']).toBe(3);
  });

  it('an ephemeral remote get is exclusive: the second get misses (unsucc_get)', () => {
    const { env, r, cc } = make({ remotify_first_delay_s: 0 });
    const pool = cc.initFs(PAGE_SIZE);
    const p = pageOf(700, 3);
    cc.putPage(pool, 9, 4, p);
    at(env, r, 0);
    const o = out();
    expect(cc.getPage(pool, 9, 4, o)).toBe(true);
    expect(o.bytes).toEqual(p.bytes);
    expect(rs(r)['remote_eph_pages_succ_get']).toBe(1);
    expect(cc.getPage(pool, 9, 4, out())).toBe(false);
    expect(rs(r)['remote_eph_pages_unsucc_get']).toBe(1);
  });

  it("a peer short of memory evicts foreign ephemeral pages (its ouroboros): the local get then misses", () => {
    const { env, r, cc } = make({ remotify_first_delay_s: 0, remote_node_pages: 2 });
    const pool = cc.initFs(PAGE_SIZE);
    for (let i = 0; i < 6; i++) cc.putPage(pool, 1, i, pageOf(3000, i + 1)); // one per pageframe
    at(env, r, 0);
    expect(rs(r)['eph_pages_remoted']).toBe(6);
    expect(rs(r)['foreign_eph_pages']).toBe(2);
    expect(rs(r)['foreign_eph_pages_max']).toBe(2);
    expect(r.nodes[1]!.store!.counters.eph_ate_tail).toBe(4);
    expect(cc.getPage(pool, 1, 0, out())).toBe(false);
    expect(rs(r)['remote_eph_pages_unsucc_get']).toBe(1);
    const o = out();
    expect(cc.getPage(pool, 1, 5, o)).toBe(true);
    expect(o.tag).toBe(6);
  });

  it('in fast mode a remote get returns the tag unfilled but charges the decompression', () => {
    const { env, r, fs } = make({ remotify_first_delay_s: 0 }, { verifyBytes: false });
    fs.init(0);
    fs.store(0, 1, pageOf(900, 4));
    at(env, r, 0);
    const o = out();
    expect(fs.load(0, 1, o)).toBe(true);
    expect(o.tag).toBe(4);
    expect(o.filled).toBe(false);
    expect(env.meter.totals.decompressOps).toBe(1);
  });
});

describe('ramster: remote flushes', () => {
  it('a flush of a remote persistent page is queued and sent by the worker', () => {
    const { env, r, fs } = make({ remotify_first_delay_s: 0 });
    fs.init(0);
    fs.store(0, 5, pageOf(1000, 1));
    at(env, r, 0);
    const n = env.meter.totals.netMessages;
    fs.invalidatePage(0, 5);
    expect(rs(r)['flnodes']).toBe(1);
    expect(rs(r)['foreign_pers_pages']).toBe(1);
    expect(env.meter.totals.netMessages).toBe(n);
    expect(r.storedPages()).toBe(0);
    at(env, r, 1);
    expect(rs(r)['remote_pages_flushed']).toBe(1);
    expect(rs(r)['flnodes']).toBe(0);
    expect(rs(r)['foreign_pers_pages']).toBe(0);
    expect(env.meter.totals.netMessages - n).toBe(2);
  });

  it('flush_object sends one object flush; ephemeral page flushes are not sent (the copy is orphaned)', () => {
    const { env, r, fs, cc } = make({ remotify_first_delay_s: 0 });
    fs.init(0);
    fs.store(0, 0, pageOf(1000, 1));
    fs.store(0, 256, pageOf(1000, 2)); // same oid, index 1
    const pool = cc.initFs(PAGE_SIZE);
    cc.putPage(pool, 1, 0, pageOf(1000, 3));
    cc.putPage(pool, 2, 0, pageOf(1000, 4));
    at(env, r, 0);
    expect(rs(r)['foreign_pers_pages']).toBe(2);
    expect(rs(r)['foreign_eph_pages']).toBe(2);
    fs.invalidateArea(0);
    cc.invalidatePage(pool, 1, 0);
    cc.invalidateInode(pool, 2);
    expect(rs(r)['flnodes']).toBe(2); // two FLUSH_OBJ, no page flushes
    expect(r.storedPages()).toBe(0);
    at(env, r, 1);
    expect(rs(r)['remote_objects_flushed']).toBe(2);
    expect(rs(r)['remote_pages_flushed']).toBe(0);
    expect(rs(r)['foreign_pers_pages']).toBe(0);
    expect(rs(r)['foreign_eph_pages']).toBe(1); // inode 1's page stays on the node
  });
});

describe('ramster: node death', () => {
  it('gets of pages held by a dead node fail: ephemeral misses, persistent loads fail', () => {
    const { env, r, fs, cc } = make({ remotify_first_delay_s: 0 });
    fs.init(0);
    fs.store(0, 1, pageOf(1000, 1));
    const pool = cc.initFs(PAGE_SIZE);
    cc.putPage(pool, 1, 0, pageOf(1000, 2));
    at(env, r, 0);
    fs.store(0, 2, pageOf(1000, 3)); // stays local
    expect(r.storedPages()).toBe(3);
    r.nodeDown(1, s(0.5));
    expect(r.nodeIsUp(1)).toBe(false);
    expect(rs(r)['nodes_down']).toBe(1);
    expect(rs(r)['remote_pages_lost_on_node_death']).toBe(1);
    expect(rs(r)['remote_eph_pages_lost_on_node_death']).toBe(1);
    expect(r.storedPages()).toBe(1);
    expect(rs(r)['foreign_pers_pages']).toBe(0);
    env.clock = s(0.6);
    expect(fs.load(0, 1, out())).toBe(false);
    expect(cc.getPage(pool, 1, 0, out())).toBe(false);
    expect(rs(r)['remote_gets_failed']).toBe(2);
    expect(rs(r)['remote_pers_pages_unsucc_get']).toBe(0); // no reply: no counter
    const o = out();
    expect(fs.load(0, 2, o)).toBe(true);
    expect(o.tag).toBe(3);
    // the same after r2net has noticed
    env.clock = s(40);
    expect(fs.load(0, 1, out())).toBe(false);
    expect(rs(r)['remote_gets_failed']).toBe(3);
  });

  it('a worker run sending to a dead, undetected target waits for the idle timeout; later sends fail at once', () => {
    const { env, r, fs } = make({ remotify_first_delay_s: 0, heartbeat_timeout_ms: 30000 });
    fs.init(0);
    at(env, r, 0);
    r.nodeDown(1, s(0.5));
    fs.store(0, 1, pageOf(2400, 1));
    fs.store(0, 2, pageOf(2400, 2));
    const n = env.meter.totals.netMessages;
    at(env, r, 1);
    expect(rs(r)['pers_pages_remote_failed']).toBe(1);
    expect(rs(r)['remotify_stalls']).toBe(1);
    expect(env.meter.totals.netMessages - n).toBe(1); // the put went out, no reply came
    at(env, r, 30.4);
    expect(rs(r)['pers_pages_remote_failed']).toBe(1);
    at(env, r, 30.5); // detected: the run continues, the next send fails without a message
    expect(rs(r)['pers_pages_remote_failed']).toBe(2);
    expect(env.meter.totals.netMessages - n).toBe(1);
    expect(rs(r)['remotify_runs']).toBe(2);
    at(env, r, 31.5);
    expect(rs(r)['remotify_runs']).toBe(3);
    for (const off of [1, 2]) expect(fs.load(0, off, out())).toBe(true);
  });

  it('a node that comes back is empty: a get of a page it held gets a reply of size 0', () => {
    const { env, r, fs } = make({ remotify_first_delay_s: 0 });
    fs.init(0);
    fs.store(0, 1, pageOf(1000, 1));
    at(env, r, 0);
    r.nodeDown(1, s(1));
    r.nodeUp(1, s(2));
    expect(r.nodeIsUp(1)).toBe(true);
    expect(rs(r)['nodes_down']).toBe(0);
    expect(rs(r)['node_deaths']).toBe(1);
    env.clock = s(2);
    expect(fs.load(0, 1, out())).toBe(false);
    expect(rs(r)['remote_pers_pages_unsucc_get']).toBe(1);
    // remotification resumes
    fs.store(0, 3, pageOf(1000, 3));
    at(env, r, 3);
    expect(rs(r)['pers_pages_remoted']).toBe(2);
    expect(r.stats()['ramster_node1']!['deaths']).toBe(1);
  });

  it('a worker blocked on a dead peer continues at once when the peer comes back', () => {
    const { env, r, fs } = make({ remotify_first_delay_s: 0 });
    fs.init(0);
    at(env, r, 0);
    r.nodeDown(1, s(0.5));
    fs.store(0, 1, pageOf(2400, 1));
    fs.store(0, 2, pageOf(2400, 2));
    at(env, r, 1);
    expect(rs(r)['remotify_stalls']).toBe(1);
    r.nodeUp(1, s(5));
    at(env, r, 5);
    expect(rs(r)['pers_pages_remoted']).toBe(1); // the run went on with the second page
    expect(rs(r)['pers_pages_remote_failed']).toBe(1);
    expect(rs(r)['remotify_runs']).toBe(2);
  });

  it("gets check the target's connection too (r2net_remote_async_get): a dead target fails gets of pages held elsewhere", () => {
    const { env, r, fs } = make({ remotify_first_delay_s: 0, nodes: 3, heartbeat_timeout_ms: 1000 });
    fs.init(0);
    fs.store(0, 1, pageOf(1000, 1));
    fs.store(0, 2, pageOf(1000, 2));
    at(env, r, 0);
    expect(r.remotePages(1)).toHaveLength(2);
    r.setParam('remote_target_nodenum', 2);
    r.nodeDown(2, s(1));
    env.clock = s(1.5); // not yet detected: the target's connection still looks valid
    expect(fs.load(0, 1, out())).toBe(true);
    env.clock = s(2.5); // detected
    expect(fs.load(0, 2, out())).toBe(false);
    expect(rs(r)['remote_gets_failed']).toBe(1);
    expect(rs(r)['remote_pages_lost_on_node_death']).toBe(0);
  });

  it('a queued flush to a dead node fails', () => {
    const { env, r, fs } = make({ remotify_first_delay_s: 0, heartbeat_timeout_ms: 0 });
    fs.init(0);
    fs.store(0, 1, pageOf(1000, 1));
    at(env, r, 0);
    fs.invalidatePage(0, 1);
    r.nodeDown(1, s(0.5));
    at(env, r, 1);
    expect(rs(r)['remote_page_flushes_failed']).toBe(1);
  });

  it('rejects nodes that are not peers', () => {
    const { r } = make({ nodes: 3 });
    expect(() => r.nodeDown(0, 0)).toThrow(UsageError);
    expect(() => r.nodeDown(3, 0)).toThrow(/node 3 is not a peer/);
    expect(() => r.nodeUp(-1)).toThrow(UsageError);
    r.nodeDown(2, 0);
    r.nodeDown(2, 0); // already down: nothing
    expect(rs(r)['node_deaths']).toBe(1);
  });
});

describe('ramster: frontswap selfshrinking', () => {
  it('runs every 5 s with inertia 3 and hysteresis 20', () => {
    const { env, r } = make({}, { frontswapPages: 100 });
    at(env, r, 4.9);
    expect(env.shrinkTargets).toEqual([]);
    at(env, r, 15); // runs at 5, 10, 15: growth, then the inertia counts down
    expect(env.shrinkTargets).toEqual([]);
    at(env, r, 20);
    expect(env.shrinkTargets).toEqual([95]);
    at(env, r, 25);
    expect(env.shrinkTargets).toEqual([95, 91]);
    expect(rs(r)['selfshrink_calls']).toBe(2);
    expect(rs(r)['selfshrink_pages_to_ram']).toBe(9);
  });

  it('is off with disable_frontswap_selfshrink or without frontswap', () => {
    for (const p of [{ disable_frontswap_selfshrink: true }, { disable_frontswap: true }] as ParamMap[]) {
      const { env, r } = make(p, { frontswapPages: 100 });
      at(env, r, 100);
      expect(env.shrinkTargets).toEqual([]);
      expect(rs(r)['selfshrink_runs']).toBe(0);
    }
  });
});

describe('ramster: parameters and stats', () => {
  it('validates its parameters', () => {
    expect(() => make({ nodes: 1 })).toThrow(UsageError);
    expect(() => make({ nodes: 9 })).toThrow(UsageError);
    expect(() => make({ remote_target_nodenum: 2 })).toThrow(/must name a peer/);
    expect(() => make({ remote_target_nodenum: 0 })).toThrow(UsageError);
    expect(() => make({ bogus: 1 })).toThrow(/unknown parameter 'bogus'/);
    expect(() => make({ ramster_enabled: false })).toThrow(/backend zcache/);
    expect(make({ ramster_enabled: 'y' }).r.params()['ramster_enabled']).toBe(true);
    expect(() => make({ zcache_comp_name: 'nope' })).toThrow(UsageError);
    const { r } = make({ nodes: 4, remote_target_nodenum: 3, zcache_comp_name: 'deflate' });
    expect(r.params()['remote_target_nodenum']).toBe(3);
    expect(r.zcache.comp.name).toBe('deflate');
    expect(() => r.setParam('nodes', 3)).toThrow(/load-time/);
    expect(() => r.setParam('remote_target_nodenum', -1)).toThrow(UsageError);
    r.setParam('remote_target_nodenum', '2');
    expect(r.params()['remote_target_nodenum']).toBe(2);
    r.nodeDown(1, 0);
    r.setParam('remote_target_nodenum', 1); // not up: ignored, as the kernel does
    expect(r.params()['remote_target_nodenum']).toBe(2);
    r.setParam('remote_target_nodenum', 7); // not in the cluster: ignored
    expect(rs(r)['target_set_ignored']).toBe(2);
    r.setParam('max_pool_percent', 10);
    expect(r.zcache.maxPoolPageframes).toBe(100);
    expect(ramsterFactory.compressorParam).toBe('zcache_comp_name');
    expect(RAMSTER_PARAMS.map((p) => p.name)).toContain('heartbeat_timeout_ms');
  });

  it('keeps a stable set of counters, the kernel names first', () => {
    const { r } = make({ nodes: 3 });
    const st = r.stats();
    expect(Object.keys(st)).toEqual(['zcache', 'zbud', 'ramster', 'ramster_node1', 'ramster_node2']);
    expect(Object.keys(st['ramster']!).slice(0, 21)).toEqual([
      'eph_pages_remoted',
      'pers_pages_remoted',
      'eph_pages_remote_failed',
      'pers_pages_remote_failed',
      'remote_eph_pages_succ_get',
      'remote_pers_pages_succ_get',
      'remote_eph_pages_unsucc_get',
      'remote_pers_pages_unsucc_get',
      'pers_pages_remote_nomem',
      'remote_objects_flushed',
      'remote_pages_flushed',
      'remote_object_flushes_failed',
      'remote_page_flushes_failed',
      'foreign_eph_pages',
      'foreign_eph_pages_max',
      'foreign_pers_pages',
      'foreign_pers_pages_max',
      'net_messages',
      'net_bytes',
      'nodes_down',
      'node_deaths',
    ]);
    expect(Object.keys(st['ramster']!)).toContain('remote_pages_lost_on_node_death');
    expect(ramsterFactory.create(new RamsterEnv(), {}).name).toBe('ramster');
  });
});
