import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BackendFactory } from '../../../src/backends/backend.js';
import { counterDocs, groupOf, reportedStats, zeroCounters, type CounterGroup, type CounterSpec } from '../../../src/backends/counters.js';
import { BACKENDS } from '../../../src/backends/registry.js';
import { ZPOOLS } from '../../../src/allocators/registry.js';
import { COUNTERS as VALIDATE_COUNTERS } from '../../../src/validate/compare.js';
import type { ParamMap } from '../../../src/backends/params.js';
import { ZSWAP_ERA_ALIASES } from '../../../src/backends/zswap.js';
import { PAGE_SIZE } from '../../../src/content/page.js';
import { EnvDouble, filledPage, pageOf, xpage, zeroPage } from '../../helpers/env-double.js';

const factories = [...BACKENDS.values()];

function groupsOf(f: BackendFactory): readonly CounterGroup[] {
  expect(f.counters, `backend ${f.name} declares its counters`).toBeDefined();
  return f.counters!;
}

/** stats() as the list says: every group declared (or an allocator's own, for zswap), every key in list order. */
function checkStats(f: BackendFactory, stats: Record<string, Record<string, number>>): void {
  const groups = groupsOf(f);
  for (const [name, values] of Object.entries(stats)) {
    const g = groupOf(groups, name);
    if (g === undefined) {
      // zswap reports each zpool type it used with that allocator's own stats (allocators/*.ts)
      expect(f.name === 'zswap' && ZPOOLS.has(name), `${f.name}: group '${name}' is declared`).toBe(true);
      continue;
    }
    expect(Object.keys(values), `${f.name}: group '${name}'`).toEqual(g.counters.map((c) => c.name));
  }
  for (const g of groups) {
    if (g.when !== undefined || g.group.includes('<i>')) continue;
    expect(Object.keys(stats), `${f.name}: group '${g.group}' is reported`).toContain(g.group);
  }
}

describe('backend counter lists', () => {
  it('every registered backend declares its counters, names unique within a group', () => {
    for (const f of factories) {
      for (const g of groupsOf(f)) {
        const names = g.counters.map((c) => c.name);
        expect(new Set(names).size, `${f.name}/${g.group}`).toBe(names.length);
        for (const c of g.counters) expect(c.doc.length, `${f.name}/${g.group}/${c.name} has a doc line`).toBeGreaterThan(0);
      }
    }
  });

  it("each backend's stats() reports exactly its list, in list order, before and after work", () => {
    const paramSets: Record<string, ParamMap[]> = {
      zcache: [{}, { kernel_era: '3.9' }],
      zswap: [{}, { era: '6.1' }, { era: '6.8+', zpool: 'z3fold' }],
      'xen-tmem': [{}],
      ramster: [{}, { nodes: 3 }],
    };
    for (const f of factories) {
      const sets = paramSets[f.name];
      expect(sets, `a parameter set for ${f.name}`).toBeDefined();
      for (const p of sets!) {
        const env = new EnvDouble();
        const b = f.create(env, p);
        checkStats(f, b.stats());
        // some work: stores and a cleancache put, so every lazily made group exists
        const fs = b.frontswap;
        if (fs !== null) {
          fs.init(0);
          for (let i = 0; i < 8; i++) fs.store(0, i, xpage(i + 1));
        }
        const cc = b.cleancache;
        if (cc !== null) {
          const pool = cc.initFs(4096);
          if (pool >= 0) cc.putPage(pool, 1, 0, xpage(100));
        }
        checkStats(f, b.stats());
      }
    }
  });

  it('every golden report lists its backend counters as the backend declares them', () => {
    const dir = 'test/golden/expected';
    let rows = 0;
    for (const file of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
      const doc = JSON.parse(readFileSync(`${dir}/${file}`, 'utf8')) as { debugfs: Record<string, Record<string, number>> }[];
      for (const row of doc) {
        const names = Object.keys(row.debugfs);
        // the backend: the one with the most fixed groups, all reported (RAMster's include zcache's)
        const fixed = (f: BackendFactory) => groupsOf(f).filter((g) => g.when === undefined && !g.group.includes('<i>'));
        const fits = factories.filter((f) => fixed(f).every((g) => names.includes(g.group)));
        expect(fits.length, `${file}: a backend reports ${names.join(',')}`).toBeGreaterThan(0);
        const f = fits.sort((a, b) => fixed(b).length - fixed(a).length)[0]!;
        checkStats(f, row.debugfs);
        rows++;
      }
    }
    expect(rows).toBeGreaterThan(10);
  });

  /** The counter of `groups` named `group`/`name`, or undefined. */
  const specOf = (groups: readonly CounterGroup[], group: string, name: string): CounterSpec | undefined =>
    groups.find((g) => g.group === group)?.counters.find((c) => c.name === name);

  it("validate's gauge flags for zswap counters agree with zswap's list", () => {
    const zswap = BACKENDS.get('zswap')!;
    let checked = 0;
    for (const c of VALIDATE_COUNTERS) {
      if (!c.zswap) continue;
      const spec = specOf(groupsOf(zswap), 'zswap', c.name) ?? specOf(groupsOf(zswap), 'vmstat', c.name);
      if (spec === undefined) continue; // a derived figure (bytes_per_stored_page)
      expect(c.gauge, c.name).toBe(spec.kind === 'gauge');
      checked++;
    }
    expect(checked).toBeGreaterThan(4);
  });

  it("a counter restricted to eras stays 0 in the backend's other eras, is reported n/a there, and moves in one of its own", () => {
    // The eras a counter claims are checked against behaviour, not only printed: a workload that moves every
    // era-restricted counter somewhere (zero pages, same-filled pages, pages the codec cannot fit in a page)
    let restricted = 0;
    for (const f of factories) {
      const eraParam = f.params.find((p) => p.name === 'era' || p.name === 'kernel_era');
      const specs = groupsOf(f).flatMap((g) => g.counters.filter((c) => c.eras !== undefined).map((c) => ({ group: g.group, c })));
      if (eraParam === undefined) {
        expect(specs, `${f.name} has no era parameter, so no counter of it names eras`).toEqual([]);
        continue;
      }
      const eras = eraParam.choices!.filter((e) => f.name !== 'zswap' || !(e in ZSWAP_ERA_ALIASES));
      for (const { group, c } of specs) for (const e of c.eras!) expect(eras, `${f.name}/${group}/${c.name}: era '${e}'`).toContain(e);
      const moved = new Set<string>();
      for (const era of eras) {
        const b = f.create(new EnvDouble({ ramPages: 4096 }), { [eraParam.name]: era });
        const fs = b.frontswap;
        if (fs !== null) {
          fs.init(0);
          for (let i = 0; i < 6; i++) {
            fs.store(0, 4 * i, pageOf(1000, 4 * i + 1));
            fs.store(0, 4 * i + 1, zeroPage(4 * i + 2));
            fs.store(0, 4 * i + 2, filledPage(0x5a, 4 * i + 3));
            fs.store(0, 4 * i + 3, pageOf(PAGE_SIZE + 100, 4 * i + 4));
          }
          // a store to an offset zswap holds (duplicate_entry: not in 6.12)
          fs.store(0, 0, pageOf(1000, 99));
        }
        const cc = b.cleancache;
        if (cc !== null) {
          const pool = cc.initFs(PAGE_SIZE);
          if (pool >= 0) for (let i = 0; i < 4; i++) cc.putPage(pool, 1, i, i % 2 === 0 ? zeroPage(100 + i) : pageOf(1000, 100 + i));
        }
        const stats = b.stats();
        // As reports and marks give them: null (n/a) outside the counter's eras, the number inside.
        expect(b.counterEra, `${f.name} ${eraParam.name}=${era}: counterEra`).toBe(era);
        const reported = reportedStats(stats, groupsOf(f), b.counterEra);
        for (const { group, c } of specs) expect(reported[group]![c.name], `${f.name} ${eraParam.name}=${era}: reported ${group}/${c.name}`).toBe(c.eras!.includes(era) ? stats[group]![c.name] : null);
        expect(Object.keys(reported)).toEqual(Object.keys(stats));
        for (const { group, c } of specs) {
          const v = stats[group]![c.name]!;
          if (c.eras!.includes(era)) {
            if (v !== 0) moved.add(`${group}/${c.name}`);
          } else {
            expect(v, `${f.name} ${eraParam.name}=${era}: ${group}/${c.name} (eras ${c.eras!.join(', ')})`).toBe(0);
          }
        }
      }
      // reject_compress_fail exists in 6.6, 6.8+ and 6.12 but 6.8+ never moves it (it stores such a page raw)
      for (const { group, c } of specs) expect(moved, `${f.name}: ${group}/${c.name} moves in one of its eras`).toContain(`${group}/${c.name}`);
      restricted += specs.length;
    }
    expect(restricted).toBeGreaterThan(3);
  });

  it('zeroCounters keeps list order', () => {
    const list = [
      { name: 'b', kind: 'event', doc: 'x' },
      { name: 'a', kind: 'gauge', doc: 'y' },
    ] as const;
    expect(Object.entries(zeroCounters(list))).toEqual([
      ['b', 0],
      ['a', 0],
    ]);
  });

  it('docs/counters.md is generated from the lists', () => {
    const want = counterDocs(factories.map((f) => ({ name: f.name, era: f.era, counters: groupsOf(f) })));
    if (process.env['UPDATE_DOCS'] === '1') writeFileSync('docs/counters.md', want);
    expect(readFileSync('docs/counters.md', 'utf8')).toBe(want);
  });
});
