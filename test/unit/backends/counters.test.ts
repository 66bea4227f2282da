import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BackendFactory } from '../../../src/backends/backend.js';
import { counterDocs, counterSpec, zeroCounters, type CounterGroup } from '../../../src/backends/counters.js';
import { BACKENDS } from '../../../src/backends/registry.js';
import { ZPOOLS } from '../../../src/allocators/registry.js';
import { COUNTERS as VALIDATE_COUNTERS } from '../../../src/validate/compare.js';
import type { ParamMap } from '../../../src/backends/params.js';
import { EnvDouble, xpage } from '../../helpers/env-double.js';

const factories = [...BACKENDS.values()];

function groupsOf(f: BackendFactory): readonly CounterGroup[] {
  expect(f.counters, `backend ${f.name} declares its counters`).toBeDefined();
  return f.counters!;
}

/** The declared group a stats() group name stands for ('ramster_node3' → 'ramster_node<i>'). */
function declared(groups: readonly CounterGroup[], name: string): CounterGroup | undefined {
  return groups.find((g) => (g.group.includes('<i>') ? new RegExp(`^${g.group.replace('<i>', '\\d+')}$`).test(name) : g.group === name));
}

/** stats() as the list says: every group declared (or an allocator's own, for zswap), every key in list order. */
function checkStats(f: BackendFactory, stats: Record<string, Record<string, number>>): void {
  const groups = groupsOf(f);
  for (const [name, values] of Object.entries(stats)) {
    const g = declared(groups, name);
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

  it("validate's gauge flags for zswap counters agree with zswap's list", () => {
    const zswap = BACKENDS.get('zswap')!;
    let checked = 0;
    for (const c of VALIDATE_COUNTERS) {
      if (!c.zswap) continue;
      const spec = counterSpec(groupsOf(zswap), 'zswap', c.name) ?? counterSpec(groupsOf(zswap), 'vmstat', c.name);
      if (spec === undefined) continue; // a derived figure (bytes_per_stored_page)
      expect(c.gauge, c.name).toBe(spec.kind === 'gauge');
      checked++;
    }
    expect(checked).toBeGreaterThan(4);
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
