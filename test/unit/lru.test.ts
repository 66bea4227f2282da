/**
 * LruMap (src/lru.ts) against a model written here: an array of [key, value]
 * from least to most recently used, each operation done on both. Every
 * returned value and the size must agree after each step, and at the end the
 * map drains (evictOldest) in exactly the model's order.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LruMap } from '../../src/lru.js';

type Op =
  | { kind: 'get'; key: number }
  | { kind: 'add'; key: number }
  | { kind: 'evict' }
  | { kind: 'reuse'; key: number }
  | { kind: 'replace'; key: number }
  | { kind: 'clear' };

const key = fc.integer({ min: 0, max: 15 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('get' as const), key }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('add' as const), key }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'evict' as const }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('reuse' as const), key }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('replace' as const), key }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'clear' as const }) },
);

describe('LruMap', () => {
  it('hands back values by key and evicts least recently used first', () => {
    const m = new LruMap<number, string>();
    expect(m.evictOldest()).toBeUndefined();
    expect(m.reuseOldest(9)).toBeUndefined();
    expect(m.replaceOldest(9, 'z')).toBeUndefined();
    expect(m.size).toBe(0);
    m.add(1, 'a');
    m.add(2, 'b');
    m.add(3, 'c');
    expect(m.get(1)).toBe('a'); // 1 is now the most recent: order 2, 3, 1
    expect(m.get(4)).toBeUndefined();
    expect(m.reuseOldest(4)).toBe('b'); // 2's entry now stands for 4, most recent: order 3, 1, 4
    expect(m.get(2)).toBeUndefined();
    expect(m.size).toBe(3);
    expect([m.evictOldest(), m.evictOldest(), m.evictOldest(), m.evictOldest()]).toEqual(['c', 'a', 'b', undefined]);
    expect(m.size).toBe(0);
  });

  it('agrees with an array model over random operations', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 200 }), (ops) => {
        const m = new LruMap<number, number>();
        let model: [number, number][] = [];
        let next = 0;
        const find = (k: number): number => model.findIndex(([mk]) => mk === k);
        for (const op of ops) {
          switch (op.kind) {
            case 'get': {
              const i = find(op.key);
              const want = i < 0 ? undefined : model[i]![1];
              if (i >= 0) model.push(...model.splice(i, 1));
              expect(m.get(op.key)).toBe(want);
              break;
            }
            case 'add':
              if (find(op.key) >= 0) break; // add takes absent keys only
              model.push([op.key, next]);
              m.add(op.key, next++);
              break;
            case 'evict':
              expect(m.evictOldest()).toBe(model.shift()?.[1]);
              break;
            case 'reuse': {
              if (find(op.key) >= 0) break; // reuseOldest takes absent keys only
              const oldest = model.shift();
              if (oldest !== undefined) model.push([op.key, oldest[1]]);
              expect(m.reuseOldest(op.key)).toBe(oldest?.[1]);
              break;
            }
            case 'replace': {
              if (find(op.key) >= 0) break; // replaceOldest takes absent keys only
              const oldest = model.shift();
              if (oldest !== undefined) model.push([op.key, next]);
              expect(m.replaceOldest(op.key, next++)).toBe(oldest?.[1]);
              break;
            }
            case 'clear':
              model = [];
              m.clear();
              break;
          }
          expect(m.size).toBe(model.length);
        }
        const drained: number[] = [];
        for (let v = m.evictOldest(); v !== undefined; v = m.evictOldest()) drained.push(v);
        expect(drained).toEqual(model.map(([, v]) => v));
      }),
    );
  });
});
