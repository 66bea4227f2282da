import { describe, expect, it } from 'vitest';
import {
  XenSelfballoon,
  mb2pages,
  selfballoonFloor,
  selfballoonTunables,
  type SelfballoonConfig,
} from '../../../src/backends/xen-tmem/selfballoon.js';
import { XenTmemBackend } from '../../../src/backends/xen-tmem/xen-tmem.js';
import { XenEnv, type XenEnvOptions } from '../../helpers/env-double.js';

const S = 1e9;

function cfg(over: Partial<SelfballoonConfig> = {}): SelfballoonConfig {
  return {
    selfballooning: true,
    frontswapSelfshrinking: true,
    frontswapEnabled: true,
    interval: 5,
    downhysteresis: 8,
    uphysteresis: 1,
    minUsableMb: 0,
    reservedMb: 0,
    frontswapHysteresis: 20,
    frontswapInertia: 3,
    ...over,
  };
}

function worker(over: Partial<SelfballoonConfig> = {}, envOpts: XenEnvOptions = {}, capacity?: number) {
  const env = new XenEnv(envOpts);
  const sb = new XenSelfballoon(env, cfg(over), capacity !== undefined ? { timelineCapacity: capacity } : {});
  return { env, sb };
}

/** Run one worker invocation per entry, with frontswap_curr_pages set to it first. */
function runWith(env: XenEnv, sb: XenSelfballoon, fsPages: readonly (number | null)[]): void {
  for (const n of fsPages) {
    if (n !== null) env.fsPages = n;
    env.clock += 5 * S;
    sb.tick(env.clock);
  }
}

describe('the tunables', () => {
  it('each is read from its own sysfs knob, and setParam changes that one only', () => {
    const knobs = {
      selfballoon_interval: 11,
      selfballoon_downhysteresis: 12,
      selfballoon_uphysteresis: 13,
      selfballoon_min_usable_mb: 14,
      selfballoon_reserved_mb: 15,
      frontswap_hysteresis: 16,
      frontswap_inertia: 17,
      selfballooning: true,
    };
    const want = { interval: 11, downhysteresis: 12, uphysteresis: 13, minUsableMb: 14, reservedMb: 15, frontswapHysteresis: 16, frontswapInertia: 17 };
    expect(selfballoonTunables(knobs)).toEqual(want);
    const { sb } = worker(want);
    expect(sb.tunables).toEqual(want);
    sb.setParam('selfballoon_uphysteresis', 3);
    expect(sb.tunables).toEqual({ ...want, uphysteresis: 3 });
    expect(sb.setParam('frontswap_inertia', 4)).toBe(true);
    expect(sb.tunables.frontswapInertia).toBe(4);
    expect(sb.stats()['frontswap_inertia_counter']).toBe(4);
    expect(sb.setParam('hypervisor_budget_mb', 4)).toBe(false);
  });
});

describe('frontswap self-shrinking', () => {
  it('waits out the inertia, then shrinks by cur/hysteresis per run; growth resets it; small goes to 0', () => {
    const { env, sb } = worker({ selfballooning: false });
    // run 1: 1000 > last (0): counter = 3.  runs 2, 3: counter 2, 1.  run 4: counter 0 → shrink.
    runWith(env, sb, [1000, null, null]);
    expect(env.shrinkTargets).toEqual([]);
    expect(sb.counters.frontswap_inertia_counter).toBe(1);
    runWith(env, sb, [null]);
    expect(env.shrinkTargets).toEqual([950]); // 1000 - 1000/20
    // the counter stays 0: every run shrinks (frontswapShrink lowered the count each time)
    runWith(env, sb, [null, null]);
    expect(env.shrinkTargets).toEqual([950, 903, 858]); // 950 - 47, 903 - 45
    // growth resets the inertia: three more runs before the next shrink
    runWith(env, sb, [2000, null, null]);
    expect(env.shrinkTargets).toEqual([950, 903, 858]);
    runWith(env, sb, [null]);
    expect(env.shrinkTargets).toEqual([950, 903, 858, 1900]);
    // a decrease is not growth: 21 → 21 - 1; at or below the hysteresis → 0
    runWith(env, sb, [21, 20]);
    expect(env.shrinkTargets).toEqual([950, 903, 858, 1900, 20, 0]);
    // zero frontswap pages reset the counter as growth does
    runWith(env, sb, [0, 5, null]);
    expect(env.shrinkTargets).toEqual([950, 903, 858, 1900, 20, 0]);
    expect(sb.counters.frontswap_inertia_counter).toBe(2);
    const c = sb.counters;
    expect(c.selfshrink_calls).toBe(6);
    expect(c.selfshrink_ticks).toBe(15);
    expect(c.selfballoon_ticks).toBe(0);
    // pages moved: 50 + 47 + 45 + 100 + 1 + 20
    expect(c.selfshrink_pages_to_ram).toBe(263);
    expect(c.selfshrink_pages_to_disk).toBe(0);
    expect(c.selfshrink_last_target).toBe(0);
  });

  it('uses the hysteresis knob as the divisor and counts pages moved to disk', () => {
    const { env, sb } = worker({ selfballooning: false, frontswapHysteresis: 10, frontswapInertia: 1 }, { toDiskShare: 0.5 });
    runWith(env, sb, [1000, null, null]);
    // run 1 resets (counter 1), run 2: --counter == 0 → shrink
    expect(env.shrinkTargets).toEqual([900, 810]);
    expect(sb.counters.selfshrink_pages_to_disk).toBe(50 + 45);
    expect(sb.counters.selfshrink_pages_to_ram).toBe(50 + 45);
  });

  it('setting frontswap_inertia also resets the countdown', () => {
    const { env, sb } = worker({ selfballooning: false });
    runWith(env, sb, [1000, null]);
    expect(sb.counters.frontswap_inertia_counter).toBe(2);
    sb.setParam('frontswap_inertia', 1);
    expect(sb.counters.frontswap_inertia_counter).toBe(1);
    runWith(env, sb, [null]);
    expect(env.shrinkTargets).toEqual([950]);
  });
});

describe('self-ballooning', () => {
  // 1 GiB guest: maxram 262144 pages, totalreserve 1024.
  // useful = 261120 pages (1020 MB >= 512 MB): floor = 1024 + 99*256 + ((261120 - 25344) >> 5)
  //        = 1024 + 25344 + 7368 = 33736
  const big = { maxram: 262144, totalram: 262144, totalreserve: 1024, committedAs: 50000 };

  it('balloons down by (cur-goal)/8 per run', () => {
    const { env, sb } = worker({ frontswapSelfshrinking: false }, big);
    sb.process(5 * S);
    // goal = 50000 + 1024 = 51024; 262144 - (211120 / 8 = 26390) = 235754
    expect(env.totalramSets).toEqual([235754]);
    sb.process(10 * S);
    // 235754 - ((235754 - 51024) / 8 = 23091) = 212663
    expect(env.totalramSets).toEqual([235754, 212663]);
    const c = sb.counters;
    expect(c.goal_pages).toBe(51024);
    expect(c.balloon_target_pages).toBe(212663);
    expect(c.balloon_min_pages).toBe(33736);
    expect(c.selfballoon_ticks).toBe(2);
    expect(c.selfshrink_ticks).toBe(0);
  });

  it('balloons up to the goal at once (uphysteresis 1), capped at the boot RAM', () => {
    const { env, sb } = worker({ frontswapSelfshrinking: false }, { ...big, totalram: 40000 });
    sb.process(5 * S);
    expect(env.totalramSets).toEqual([51024]); // 40000 + 11024 / 1
    env.committedAs = 300000;
    sb.process(10 * S);
    expect(env.totalramSets).toEqual([51024, 262144]); // goal 301024 > maxram
    // uphysteresis 2: half the way
    const w = worker({ frontswapSelfshrinking: false, uphysteresis: 2 }, { ...big, totalram: 40000 });
    w.sb.process(5 * S);
    expect(w.env.totalramSets).toEqual([45512]); // 40000 + 11024 / 2
  });

  it('never goes below the floor; min_usable_mb replaces the piecewise floor', () => {
    const { env, sb } = worker({ frontswapSelfshrinking: false }, { ...big, totalram: 34000, committedAs: 0 });
    sb.process(5 * S);
    // goal 1024: 34000 - (32976 / 8 = 4122) = 29878 < floor 33736
    expect(env.totalramSets).toEqual([33736]);
    sb.setParam('selfballoon_min_usable_mb', 100);
    sb.process(10 * S);
    // floor = 1024 + 100*256 = 26624; 33736 - (32712 / 8 = 4089) = 29647
    expect(env.totalramSets).toEqual([33736, 29647]);
    expect(sb.counters.balloon_min_pages).toBe(26624);
  });

  it('the piecewise floor, segment by segment', () => {
    expect(mb2pages(1)).toBe(256);
    // useful < 16 MB: not worth ballooning (floor = max_pfn)
    expect(selfballoonFloor(3840, 0, 0)).toBe(3840);
    // useful 49 MB (12544 pages): 256 + 4096 + ((12544 - 4096) >> 1 = 4224) = 8576
    expect(selfballoonFloor(12800, 256, 0)).toBe(8576);
    // useful 254 MB (65024 pages): 512 + 10240 + ((65024 - 10240) >> 3 = 6848) = 17600
    expect(selfballoonFloor(65536, 512, 0)).toBe(17600);
    // the segment edges: useful exactly 16, 64 and 512 MB
    expect(selfballoonFloor(4096, 0, 0)).toBe(4096); // 16 MB: 16 MB + 0
    expect(selfballoonFloor(16384, 0, 0)).toBe(10240 + (16384 - 10240) / 8); // 64 MB: 40 MB + 3 MB
    expect(selfballoonFloor(131072, 0, 0)).toBe(25344 + Math.floor((131072 - 25344) / 32)); // 512 MB
    expect(selfballoonFloor(131072, 0, 0)).toBe(28648);
    // a small guest is never ballooned below max_pfn
    const { env, sb } = worker({ frontswapSelfshrinking: false }, { maxram: 3840, totalram: 3000 });
    sb.process(5 * S);
    expect(env.totalramSets).toEqual([3840]);
    // <64 MB segment through the worker: 9000 - ((9000 - 256) / 8 = 1093) = 7907 < 8576
    const w = worker({ frontswapSelfshrinking: false }, { maxram: 12800, totalram: 9000, totalreserve: 256 });
    w.sb.process(5 * S);
    expect(w.env.totalramSets).toEqual([8576]);
  });

  it('with self-shrinking the goal includes the frontswap pages read before the same run\'s shrink', () => {
    const { env, sb } = worker({ frontswapInertia: 1 }, big);
    env.fsPages = 1000;
    sb.process(5 * S); // shrink part: reset (counter 1)
    // goal = 51024 + 1000; 262144 - (210120 / 8 = 26265) = 235879
    expect(env.totalramSets).toEqual([235879]);
    expect(env.shrinkTargets).toEqual([]);
    sb.process(10 * S); // --counter == 0: shrink to 950
    expect(sb.counters.goal_pages).toBe(52024); // still 1000 frontswap pages in the goal
    expect(env.shrinkTargets).toEqual([950]);
    expect(env.fsPages).toBe(950);
  });

  it('selfballoon_reserved_mb adds room to the goal', () => {
    const { env, sb } = worker({ frontswapSelfshrinking: false, reservedMb: 10 }, big);
    sb.process(5 * S);
    // goal = 51024 + 2560 = 53584; 262144 - (208560 / 8 = 26070) = 236074
    expect(env.totalramSets).toEqual([236074]);
  });
});

describe('the worker on the simulated clock', () => {
  it('runs every interval from load, processing each due run in order after a time jump', () => {
    const env = new XenEnv({ maxram: 262144, totalreserve: 1024, committedAs: 50000 });
    env.clock = 1 * S;
    const x = new XenTmemBackend(env, { selfshrinking: false });
    expect(x.selfballoon.nextDueNs).toBe(6 * S);
    x.tick(5.9 * S);
    expect(x.selfballoon.counters.worker_runs).toBe(0);
    x.tick(6 * S);
    expect(x.selfballoon.counters.worker_runs).toBe(1);
    env.clock = 24 * S;
    x.tick(24 * S);
    expect(x.selfballoon.counters.worker_runs).toBe(4);
    expect(x.timeline().map((p) => p.tNs)).toEqual([6 * S, 11 * S, 16 * S, 21 * S]);
    // each run moved 1/8 of the way: 262144 → 235754 → 212663 → 192459 → 174780
    expect(env.totalramSets).toEqual([235754, 212663, 192459, 174780]);
    expect(x.timeline().map((p) => p.totalram)).toEqual([235754, 212663, 192459, 174780]);
    expect(x.stats()['selfballoon']!['balloon_target_pages']).toBe(174780);
    // a new interval applies from the next rescheduling
    x.setParam('selfballoon_interval', 2);
    expect(x.selfballoon.nextDueNs).toBe(26 * S);
    x.tick(30 * S);
    expect(x.timeline().map((p) => p.tNs / S)).toEqual([6, 11, 16, 21, 26, 28, 30]);
  });

  it('stops when both are off, and a sysfs switch schedules it again', () => {
    const env = new XenEnv();
    const x = new XenTmemBackend(env, { selfballooning: false, selfshrinking: false });
    expect(x.selfballoon.scheduled).toBe(false);
    x.tick(100 * S);
    expect(x.selfballoon.counters.worker_runs).toBe(0);
    env.clock = 100 * S;
    x.setParam('frontswap_selfshrinking', true);
    expect(x.selfballoon.nextDueNs).toBe(105 * S);
    // selfballooning on while pending: schedule_delayed_work does nothing
    x.setParam('selfballooning', '1');
    expect(x.selfballoon.nextDueNs).toBe(105 * S);
    x.tick(105 * S);
    expect(x.selfballoon.counters.worker_runs).toBe(1);
    expect(x.selfballoon.nextDueNs).toBe(110 * S);
    // both off: the next run does nothing and does not reschedule
    x.setParam('selfballooning', false);
    x.setParam('frontswap_selfshrinking', false);
    x.tick(200 * S);
    expect(x.selfballoon.counters.worker_runs).toBe(2);
    expect(x.selfballoon.scheduled).toBe(false);
    expect(x.selfballoon.counters.selfballoon_ticks).toBe(1);
  });

  it('the timeline keeps the most recent runs', () => {
    const { env, sb } = worker({ selfballooning: false }, {}, 3);
    for (let i = 1; i <= 5; i++) {
      env.fsPages = i * 10;
      env.clock = i * 5 * S;
      sb.tick(env.clock);
    }
    expect(sb.timeline()).toEqual([
      { tNs: 15 * S, totalram: 262144, frontswapPages: 30 },
      { tNs: 20 * S, totalram: 262144, frontswapPages: 40 },
      { tNs: 25 * S, totalram: 262144, frontswapPages: 50 },
    ]);
    expect(sb.timelineDropped).toBe(2);
  });
});
