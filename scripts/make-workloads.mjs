#!/usr/bin/env node
// Writes the small shipped workloads in workloads/ from a fixed seed.
// Usage: node scripts/make-workloads.mjs   (deterministic: same files every time)
import { writeFileSync } from 'node:fs';

function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 2 ** 32;
  };
}

function write(name, header, events) {
  const lines = ['{', `  "format": "tmemsim-trace",`, `  "version": 1,`, `  "config": ${JSON.stringify(header.config)},`];
  if (header.content) lines.push(`  "content": ${JSON.stringify(header.content)},`);
  lines.push('  "events": [');
  lines.push(events.map((e) => '    ' + JSON.stringify(e)).join(',\n'));
  lines.push('  ]', '}');
  writeFileSync(new URL(`../workloads/${name}`, import.meta.url), lines.join('\n') + '\n');
  console.log(`${name}: ${events.length} events`);
}

// 1. A swap-heavy Android app switch: six apps with their own heaps take turns
// in the foreground on a phone with little RAM; background apps are reclaimed
// to swap (through frontswap), and coming back faults their pages in.
{
  const r = rng(7);
  const ev = [];
  const apps = [1, 2, 3, 4, 5, 6].map((pid) => ({ pid, pages: 900 + Math.floor(r() * 700), code: 120 + Math.floor(r() * 80), launched: false }));
  let t = 0;
  for (let round = 0; round < 14; round++) {
    const app = round < apps.length ? apps[round] : apps[Math.floor(r() * apps.length)];
    t += 1_500_000; // the user switches every 1.5 s
    ev.push({ op: 'file', fs: 1, inode: 100 + app.pid, index: 0, t });
    for (let i = 1; i < app.code; i++) if (r() < 0.6) ev.push({ op: 'file', fs: 1, inode: 100 + app.pid, index: i });
    if (!app.launched) {
      for (let p = 0; p < app.pages; p++) ev.push({ op: 'anon', pid: app.pid, page: p, write: true });
      app.launched = true;
    }
    // A foreground session: a hot fifth of the heap is read often, some of it written.
    for (let k = 0; k < 900; k++) {
      const hot = r() < 0.8;
      const p = hot ? Math.floor(r() * app.pages * 0.2) : Math.floor(r() * app.pages);
      const w = r() < 0.25;
      ev.push(w ? { op: 'anon', pid: app.pid, page: p, write: true } : { op: 'anon', pid: app.pid, page: p });
    }
  }
  write('mobile-app-switch.json', {
    config: {
      description: 'swap-heavy Android app switch: 6 apps, 24 MiB RAM, zcache on frontswap',
      ram_mb: 24, seed: 1, backend: 'zcache', profile: ['mobile', 'ssd'],
      swap: [{ type: 0, slots: 32768 }], mounts: [{ fs: 1 }], swappiness: 100,
    },
    content: { default: { heap: 0.55, text: 0.15, code: 0.12, zero: 0.12, random: 0.06 } },
  }, ev);
}

// 2. A page-cache-heavy file scan: a log larger than RAM is scanned twice,
// while a small hot index is read throughout; evicted clean pages go to
// cleancache, and the second scan and the index rereads hit it.
{
  const r = rng(11);
  const ev = [];
  const LOG = 5200, INDEX = 400;
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < LOG; i++) {
      ev.push({ op: 'file', fs: 1, inode: 2, index: i });
      if (i % 8 === 0) ev.push({ op: 'file', fs: 1, inode: 1, index: Math.floor(r() * INDEX) });
    }
  }
  for (let i = 0; i < 300; i++) ev.push({ op: 'file', fs: 1, inode: 3, index: i, write: true, data: 'text' });
  for (let i = 0; i < 2000; i++) ev.push({ op: 'file', fs: 1, inode: 2, index: Math.floor(r() * LOG) });
  write('file-scan.json', {
    config: {
      description: 'page-cache-heavy scan: a 20 MiB log read twice beside a hot index, 16 MiB RAM, zcache on cleancache',
      ram_mb: 16, seed: 1, backend: 'zcache', profile: ['ssd', 'mobile'],
      swap: [{ type: 0, slots: 16384 }], mounts: [{ fs: 1 }],
      // The log's and the index's sizes: file readahead reads ahead in files of known size.
      files: [{ fs: 1, inode: 2, pages: LOG }, { fs: 1, inode: 1, pages: INDEX }],
    },
    content: { default: { text: 0.7, code: 0.1, zero: 0.05, random: 0.15 } },
  }, ev);
}

// 3. A mixed build-like load: two compiler processes grow and reuse heaps
// while reading sources and writing objects, so anonymous pages swap and
// file pages cycle through cleancache at the same time.
{
  const r = rng(23);
  const ev = [];
  for (let unit = 0; unit < 24; unit++) {
    const pid = 10 + (unit % 2);
    const base = (unit >> 1) * 400;
    for (let i = 0; i < 40; i++) ev.push({ op: 'file', fs: 1, inode: 1000 + unit, index: i });
    for (let i = 0; i < 30; i++) ev.push({ op: 'file', fs: 1, inode: 500 + Math.floor(r() * 20), index: Math.floor(r() * 60) });
    for (let p = 0; p < 400; p++) ev.push({ op: 'anon', pid, page: base + p, write: true });
    for (let k = 0; k < 600; k++) {
      const p = base + Math.floor(r() * 400);
      ev.push(r() < 0.3 ? { op: 'anon', pid, page: p, write: true } : { op: 'anon', pid, page: p });
    }
    for (let k = 0; k < 100; k++) ev.push({ op: 'anon', pid, page: Math.floor(r() * (base + 400)) });
    for (let i = 0; i < 25; i++) ev.push({ op: 'file', fs: 2, inode: 2000 + unit, index: i, write: true, data: 'code' });
  }
  write('mixed-build.json', {
    config: {
      description: 'mixed build-like load: compiler heaps swap while sources and objects cycle through the page cache, 12 MiB RAM',
      ram_mb: 12, seed: 1, backend: 'zcache', profile: ['ssd', 'mobile'],
      swap: [{ type: 0, slots: 16384 }], mounts: [{ fs: 1 }, { fs: 2 }],
    },
    content: { default: { heap: 0.45, text: 0.3, code: 0.1, zero: 0.1, random: 0.05 } },
  }, ev);
}

// 4. zswap with a compressor and zpool switch mid-run (seed 004): pages stored
// before a switch stay in their old pool and are loaded from it until it
// empties; new stores go to the new (compressor, zpool) pool.
{
  const r = rng(31);
  const ev = [];
  const APPS = [1, 2, 3];
  const PAGES = 1400;
  const touch = (pid, n, wfrac) => {
    for (let k = 0; k < n; k++) {
      const p = Math.floor(r() * PAGES);
      ev.push(r() < wfrac ? { op: 'anon', pid, page: p, write: true } : { op: 'anon', pid, page: p });
    }
  };
  for (const pid of APPS) for (let p = 0; p < PAGES; p++) ev.push({ op: 'anon', pid, page: p, write: true });
  touch(1, 2000, 0.2);
  ev.push({ op: 'param', name: 'compressor', value: 'deflate' });
  touch(2, 2000, 0.3);
  touch(3, 1500, 0.3);
  ev.push({ op: 'param', name: 'zpool', value: 'zsmalloc' });
  touch(1, 2000, 0.3);
  touch(2, 1000, 0.1);
  ev.push({ op: 'param', name: 'compressor', value: 'lz4' });
  ev.push({ op: 'param', name: 'zpool', value: 'zbud' });
  for (const pid of APPS) touch(pid, 1500, 0.2);
  write('zswap-compressor-switch.json', {
    config: {
      description: 'zswap pools switched at run time: lz4/zbud, then deflate, then zsmalloc, then back to lz4/zbud while old pools drain',
      ram_mb: 12, seed: 1, backend: 'zswap', params: { era: '4.x', max_pool_percent: 25 }, profile: ['ssd', 'mobile'],
      swap: [{ type: 0, slots: 16384 }],
    },
    content: { default: { heap: 0.5, text: 0.2, code: 0.15, zero: 0.1, random: 0.05 } },
  }, ev);
}

// 5. Xen tmem with self-ballooning and frontswap self-shrinking: a burst of
// allocation swaps into the hypervisor's persistent pool, then a long quiet
// phase (simulated minutes) in which self-shrinking repatriates swap pages
// 5 % per 5 s tick once the 3-tick inertia has passed.
{
  const r = rng(41);
  const ev = [];
  const PAGES = 5000;
  let t = 0;
  for (let p = 0; p < PAGES; p++) ev.push({ op: 'anon', pid: 1, page: p, write: true });
  for (let k = 0; k < 3000; k++) ev.push({ op: 'anon', pid: 1, page: Math.floor(r() * PAGES) });
  for (let s = 0; s < 120; s++) {
    t += 1_000_000; // one event burst per simulated second
    ev.push({ op: 'anon', pid: 1, page: Math.floor(r() * 200), t });
    for (let k = 0; k < 20; k++) ev.push({ op: 'anon', pid: 1, page: Math.floor(r() * 200) });
  }
  write('xen-selfshrink.json', {
    config: {
      description: 'Xen tmem: a burst swaps into hypervisor memory, then two quiet minutes of self-ballooning and frontswap self-shrinking',
      ram_mb: 16, seed: 1, backend: 'xen-tmem', params: { hypervisor_budget_mb: 64 }, profile: ['ssd', 'mobile'],
      swap: [{ type: 0, slots: 16384 }],
    },
    content: { default: { heap: 0.6, text: 0.2, zero: 0.15, random: 0.05 } },
  }, ev);
}

// 6. The lifecycle question of seed 000: zcache is loaded, unloaded and loaded
// again while two processes swap and a file server reads through the page
// cache. Every rmmod strategy can be compared on it:
//   tmemsim run workloads/lifecycle.json --rmmod-strategy flush,zombie,writethrough,refuse
{
  const r = rng(53);
  const ev = [];
  let t = 0;
  const phase = (n) => {
    for (let k = 0; k < n; k++) {
      const x = r();
      if (x < 0.45) {
        const pid = 1 + Math.floor(r() * 2);
        const p = Math.floor(r() * 1800);
        ev.push(r() < 0.3 ? { op: 'anon', pid, page: p, write: true } : { op: 'anon', pid, page: p });
      } else {
        ev.push({ op: 'file', fs: 1, inode: 10 + Math.floor(r() * 4), index: Math.floor(r() * 900) });
      }
    }
  };
  for (const pid of [1, 2]) for (let p = 0; p < 1800; p++) ev.push({ op: 'anon', pid, page: p, write: true });
  phase(6000);
  t += 5_000_000;
  ev.push({ op: 'rmmod', t });
  phase(6000);
  t += 5_000_000;
  ev.push({ op: 'insmod', backend: 'zcache', params: { max_pool_percent: 25 }, t });
  phase(6000);
  write('lifecycle.json', {
    config: {
      description: 'insmod -> rmmod -> insmod of zcache under mixed swap and page-cache load (seed 000); compare rmmod strategies with --rmmod-strategy',
      ram_mb: 16, seed: 1, backend: 'zcache', params: { max_pool_percent: 25 }, profile: ['ssd', 'mobile'],
      swap: [{ type: 0, slots: 16384 }], mounts: [{ fs: 1 }],
    },
    content: { default: { heap: 0.45, text: 0.3, code: 0.1, zero: 0.1, random: 0.05 } },
  }, ev);
}

// 7. RAMster's single point of failure: swap pages are remotified to node 1,
// then node 1 dies; every persistent page it held and the workload loads
// again is LOST, which the oracle reports (the run exits 1 by design).
{
  const r = rng(61);
  const ev = [];
  const PAGES = 3000;
  let t = 0;
  for (let p = 0; p < PAGES; p++) ev.push({ op: 'anon', pid: 1, page: p, write: true });
  for (let s = 0; s < 10; s++) {
    t += 1_000_000;
    ev.push({ op: 'file', fs: 1, inode: 1, index: s, t });
    for (let k = 0; k < 300; k++) ev.push({ op: 'file', fs: 1, inode: 2 + (k % 3), index: Math.floor(r() * 600) });
  }
  t += 1_000_000;
  ev.push({ op: 'node_down', node: 1, t });
  for (let k = 0; k < 3000; k++) ev.push({ op: 'anon', pid: 1, page: Math.floor(r() * PAGES) });
  write('ramster-node-failure.json', {
    config: {
      description: 'RAMster: swap and clean pages are remotified to node 1, which then dies: its persistent pages are lost (exit 1 by design)',
      ram_mb: 8, seed: 1, backend: 'ramster', params: { remotify_first_delay_s: 1, nodes: 2, max_pool_percent: 20 }, profile: ['ssd', 'mobile'],
      swap: [{ type: 0, slots: 16384 }], mounts: [{ fs: 1 }],
    },
    content: { default: { heap: 0.5, text: 0.3, zero: 0.1, code: 0.1 } },
  }, ev);
}

// 8. Real-derived and generated workloads. These need the build (npm run build)
// for the importers and generators; the real-derived one needs ../shared/traces.
{
  const { openTrace } = await import('../dist/trace/reader.js');
  const { generateTrace } = await import('../dist/trace/generate.js');
  const { existsSync } = await import('node:fs');

  // 8a. The CloudPhysics block trace from libCacheSim's data/ (licence: see NOTICE), requests
  // 82,001-84,000 as page-cache accesses (csv importer: block addressing, 512-byte
  // sectors, 4 KiB pages; reads and writes kept). The trace re-reads little (LRU
  // misses 63 % even at 1 GiB); this stretch has some re-reads, so cleancache gets
  // hit on real reuse, where the first requests are nearly all writes.
  const src = new URL('../../shared/traces/cloudPhysicsIO.csv', import.meta.url);
  if (existsSync(src)) {
    const t = openTrace(src.pathname, { format: 'csv', formatOptions: {} });
    const ev = [];
    const [first, last] = [82_001, 84_000]; // requests, 1-based; line 1 is the csv header
    for (const { event, loc } of t.eventsSync()) {
      if (loc.line <= first) continue;
      if (loc.line > last + 1) break;
      ev.push({ ...event });
    }
    write('cloudphysics-pagecache.json', {
      config: {
        description: 'page-cache replay of requests 82,001-84,000 of the CloudPhysics block trace (source: libCacheSim data/cloudPhysicsIO.csv, github.com/1a1a11a/libCacheSim commit aa0fc40; licence not settled, see NOTICE; CloudPhysics traces, Waldspurger et al., FAST 2015); imported with tmemsim\'s csv importer (block addressing, 512-byte sectors, 4 KiB pages), zcache cleancache under 8 MiB RAM',
        ram_mb: 8, seed: 1, backend: 'zcache', profile: ['ssd', 'mobile'], mounts: [{ fs: 1 }],
      },
      content: { default: 'text' },
    }, ev);
  } else {
    console.log('cloudphysics-pagecache.json: skipped (../shared/traces not found)');
  }

  // 8b. One small trace per generator; the exact command is the file's first line.
  const gens = [
    ['android-app-switch', { apps: 4, 'heap-pages': 600, 'code-pages': 60, session: 300, 'ram-mb': 6 }],
    ['kernel-build', { jobs: 3, files: 60, 'heap-pages': 500, headers: 80, includes: 10, 'ram-mb': 5 }],
    ['database', { 'pool-pages': 1200, 'table-pages': 6000, 'scan-every': 800, 'scan-pages': 300, 'checkpoint-every': 1500, 'ram-mb': 5 }],
  ];
  for (const [kind, params] of gens) {
    const out = `workloads/gen-${kind}.jsonl`;
    // Run from the project root, so the command recorded in the file names a relative --out.
    process.chdir(new URL('..', import.meta.url).pathname);
    const r = await generateTrace(kind, out, { seed: 1, events: 5000, params });
    console.log(`${out}: ${r.events} events  (${r.command})`);
  }
}
