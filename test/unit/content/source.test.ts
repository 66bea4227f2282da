import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContentSource } from '../../../src/content/source.js';
import { CONTENT_CLASSES } from '../../../src/content/classes/registry.js';
import { Corpus } from '../../../src/content/corpus.js';
import { Cls, MAX_SEED, PAGE_SIZE, descClass, descSeed, makeDesc } from '../../../src/content/page.js';
import { hashPage } from '../../../src/content/hash.js';
import { UsageError } from '../../../src/errors.js';
import { usageError } from '../../helpers/usage.js';

/** Byte equality (vitest's deep toEqual walks typed arrays element by element: slow on pages). */
function same(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(a, b) === 0;
}

let dir: string;
let corpus: Corpus;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tmemsim-source-'));
  const file = join(dir, 'c.bin');
  const bytes = new Uint8Array(4 * PAGE_SIZE);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 13 + (i >> 12)) & 255;
  writeFileSync(file, bytes);
  corpus = Corpus.open(file);
});

afterAll(() => {
  corpus.close();
  rmSync(dir, { recursive: true, force: true });
});

function bytesOf(src: ContentSource, desc: number): Uint8Array {
  const p = new Uint8Array(PAGE_SIZE);
  src.fill(desc, p);
  return p;
}

describe('ContentSource.resolve', () => {
  let src: ContentSource;
  beforeAll(() => {
    src = new ContentSource({ seed: 1, corpus });
  });

  it('class name: seed from the event index, distinct events distinct pages', () => {
    const a = src.resolve('text', 0);
    const b = src.resolve('text', 1);
    expect(descClass(a)).toBe(Cls.Text);
    expect(descSeed(a)).toBe(1);
    expect(a).not.toBe(b);
    expect(src.resolve('text', 0)).toBe(a);
    expect(descClass(src.resolve('code', 5))).toBe(Cls.Code);
    expect(descClass(src.resolve('random', 5))).toBe(Cls.Random);
    expect(descClass(src.resolve('heap', 5))).toBe(Cls.Heap);
  });

  it('zero and fill descriptors are canonical', () => {
    expect(src.resolve('zero', 17)).toBe(0);
    expect(src.resolve({ class: 'zero', seed: 9 }, 3)).toBe(0);
    expect(src.resolve({ fill: 0xab }, 3)).toBe(makeDesc(Cls.Fill, 0xab));
    expect(src.resolve({ class: 'fill', seed: 0x1ab }, 3)).toBe(makeDesc(Cls.Fill, 0xab));
  });

  it('{class, seed} uses that seed', () => {
    expect(src.resolve({ class: 'heap', seed: 42 }, 7)).toBe(makeDesc(Cls.Heap, 42));
    expect(src.resolve({ class: 'text', seed: MAX_SEED }, 7)).toBe(makeDesc(Cls.Text, MAX_SEED));
    expect(src.resolve({ class: 'code' }, 7)).toBe(makeDesc(Cls.Code, 8));
  });

  it('{corpus: i} names a corpus page', () => {
    expect(src.resolve({ corpus: 3 }, 0)).toBe(makeDesc(Cls.Corpus, 3));
  });

  it('{b64} interns inline pages', () => {
    const a = src.resolve({ b64: 'AQID' }, 0);
    const b = src.resolve({ b64: 'AQID' }, 9);
    const c = src.resolve({ b64: 'AQIE' }, 0);
    expect(descClass(a)).toBe(Cls.Inline);
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    const p = bytesOf(src, a);
    expect([...p.subarray(0, 4)]).toEqual([1, 2, 3, 0]);
    expect(p.subarray(3).every((x) => x === 0)).toBe(true);
    const full = Buffer.alloc(PAGE_SIZE, 7).toString('base64');
    expect(bytesOf(src, src.resolve({ b64: full }, 0)).every((x) => x === 7)).toBe(true);
    expect(descClass(src.resolve({ b64: '' }, 0))).toBe(Cls.Inline);
  });

  it('rejects unknown classes, naming the accepted ones', () => {
    const e = usageError(() => src.resolve('bogus', 3));
    expect(e.where.field).toBe('data');
    expect(e.accepted).toMatch(/zero.*fill.*text.*code.*random.*heap/);
    expect(e.message).toMatch(/unknown content class "bogus"/);
    expect(() => src.resolve({ class: 'toString' }, 0)).toThrow(UsageError);
    expect(() => src.resolve({ class: 'constructor', seed: 1 }, 0)).toThrow(UsageError);
  });

  it('rejects bad values', () => {
    expect(() => src.resolve({ class: 'text', seed: -1 }, 0)).toThrow(/out of range/);
    expect(() => src.resolve({ class: 'text', seed: MAX_SEED + 1 }, 0)).toThrow(UsageError);
    expect(() => src.resolve({ class: 'text', seed: 1.5 }, 0)).toThrow(UsageError);
    expect(() => src.resolve({ fill: 256 }, 0)).toThrow(/0\.\.255/);
    expect(() => src.resolve({ fill: -1 }, 0)).toThrow(UsageError);
    expect(() => src.resolve({ corpus: 4 }, 0)).toThrow(/0\.\.3/);
    expect(() => src.resolve({ b64: 'not base64!' }, 0)).toThrow(/base64/);
    expect(() => src.resolve({ b64: Buffer.alloc(PAGE_SIZE + 1).toString('base64') }, 0)).toThrow(/longer than a page/);
    expect(() => src.resolve({ what: 1 } as never, 0)).toThrow(/unrecognised data/);
    expect(() => src.resolve(42 as never, 0)).toThrow(UsageError);
  });

  it('rejects corpus pages when no corpus is configured', () => {
    const bare = new ContentSource({ seed: 1 });
    expect(() => bare.resolve({ corpus: 0 }, 0)).toThrow(/no corpus/);
  });

});

describe('ContentSource default mix', () => {
  it('defaults to heap', () => {
    const src = new ContentSource({ seed: 5 });
    for (let i = 0; i < 20; i++) expect(descClass(src.resolve(undefined, i))).toBe(Cls.Heap);
  });

  it('a single class name', () => {
    const src = new ContentSource({ seed: 5, defaultMix: 'text' });
    expect(descClass(src.resolve(undefined, 3))).toBe(Cls.Text);
    expect(descSeed(src.resolve(undefined, 3))).toBe(4);
  });

  it('a weighted mix: deterministic and in proportion', () => {
    const mix = { heap: 3, text: 1, zero: 0 };
    const a = new ContentSource({ seed: 5, defaultMix: mix });
    const b = new ContentSource({ seed: 5, defaultMix: mix });
    const counts = new Map<number, number>();
    for (let i = 0; i < 4000; i++) {
      const d = a.resolve(undefined, i);
      expect(b.resolve(undefined, i)).toBe(d);
      counts.set(descClass(d), (counts.get(descClass(d)) ?? 0) + 1);
    }
    expect(counts.get(Cls.Zero)).toBeUndefined();
    expect(counts.get(Cls.Heap)! / 4000).toBeGreaterThan(0.7);
    expect(counts.get(Cls.Heap)! / 4000).toBeLessThan(0.8);
    const c = new ContentSource({ seed: 6, defaultMix: mix });
    const differs = Array.from({ length: 100 }, (_, i) => c.resolve(undefined, i) !== a.resolve(undefined, i));
    expect(differs.some(Boolean)).toBe(true);
  });

  it('rejects bad mixes', () => {
    expect(() => new ContentSource({ seed: 1, defaultMix: 'nope' })).toThrow(/unknown content class 'nope'/);
    expect(() => new ContentSource({ seed: 1, defaultMix: { heap: -1 } })).toThrow(UsageError);
    expect(() => new ContentSource({ seed: 1, defaultMix: { heap: 0 } })).toThrow(/positive weight/);
    expect(() => new ContentSource({ seed: 1, defaultMix: { __proto__: 1 } as never })).toThrow(UsageError);
    expect(usageError(() => new ContentSource({ seed: 1, defaultMix: 'nope' })).where.field).toBe('content.default');
    expect(() => new ContentSource({ seed: -1 })).toThrow(UsageError);
    expect(() => new ContentSource({ seed: 0.5 })).toThrow(UsageError);
  });
});

describe('ContentSource.fill and hash', () => {
  it('generated classes depend on the run seed; others do not', () => {
    const s1 = new ContentSource({ seed: 1, corpus });
    const s2 = new ContentSource({ seed: 2, corpus });
    for (const name of ['text', 'code', 'random', 'heap']) {
      const d = s1.resolve({ class: name, seed: 10 }, 0);
      expect(same(bytesOf(s1, d), bytesOf(new ContentSource({ seed: 1 }), d))).toBe(true);
      expect(same(bytesOf(s1, d), bytesOf(s2, d))).toBe(false);
    }
    for (const spec of [{ fill: 3 }, { corpus: 2 }, 'zero'] as const) {
      const d = s1.resolve(spec, 0);
      expect(same(bytesOf(s1, d), bytesOf(s2, d))).toBe(true);
    }
    const c = bytesOf(s1, s1.resolve({ corpus: 2 }, 0));
    expect(c[0]).toBe((2 * PAGE_SIZE * 13 + 2) & 255);
  });

  it('hash is hashPage of the bytes, and cached', () => {
    const src = new ContentSource({ seed: 3, hashCacheEntries: 4 });
    for (let i = 0; i < 10; i++) {
      const d = src.resolve('heap', i);
      expect(src.hash(d)).toBe(hashPage(bytesOf(src, d)));
      expect(src.hash(d)).toBe(hashPage(bytesOf(src, d)));
    }
    expect(src.hash(0)).toBe(hashPage(new Uint8Array(PAGE_SIZE)));
  });

  it('hashes differ for distinct pages', () => {
    const src = new ContentSource({ seed: 3 });
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) seen.add(src.hash(src.resolve(i % 2 === 0 ? 'text' : 'heap', i)));
    expect(seen.size).toBe(500);
  });

  it('rejects invalid descriptors', () => {
    const src = new ContentSource({ seed: 3 });
    const p = new Uint8Array(PAGE_SIZE);
    expect(() => src.fill(-1, p)).toThrow();
    expect(() => src.fill(makeDesc(9, 1), p)).toThrow();
    expect(() => src.fill(makeDesc(Cls.Inline, 0), p)).toThrow();
    expect(() => src.fill(makeDesc(Cls.Corpus, 0), p)).toThrow();
  });

  it('labels descriptors', () => {
    const src = new ContentSource({ seed: 3 });
    expect(src.label(makeDesc(Cls.Text, 42))).toBe('text#42');
    expect(src.label(makeDesc(Cls.Fill, 255))).toBe('fill#0xff');
    expect(src.label(makeDesc(Cls.Corpus, 7))).toBe('corpus#7');
  });
});

describe('run seed independence (the content class\'s runSeedIndependent field)', () => {
  it('is set for zero, fill and vmix only, and says whether another run seed gives other bytes', () => {
    const flagged = Object.values(CONTENT_CLASSES).filter((c) => c.runSeedIndependent).map((c) => c.name).sort();
    expect(flagged).toEqual(['fill', 'vmix', 'zero']);
    const a = new ContentSource({ seed: 1 });
    const b = new ContentSource({ seed: 2 });
    const pa = new Uint8Array(PAGE_SIZE);
    const pb = new Uint8Array(PAGE_SIZE);
    for (const c of Object.values(CONTENT_CLASSES)) {
      // Three descriptor seeds, so that one chance equal pair (a zero vmix page) cannot decide.
      const equal = [17, 4242, 99991].map((s) => {
        const desc = a.resolve({ class: c.name, seed: s }, 0);
        a.fill(desc, pa);
        b.fill(b.resolve({ class: c.name, seed: s }, 0), pb);
        return same(pa, pb);
      });
      if (c.runSeedIndependent) expect(equal, c.name).toEqual([true, true, true]);
      else expect(equal, c.name).toEqual([false, false, false]);
    }
  });
});
