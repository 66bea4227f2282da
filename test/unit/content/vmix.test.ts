import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fillVmix, pageKey } from '../../../src/content/classes/vmix.js';
import { Mulberry32 } from '../../../src/content/rng.js';
import { ContentSource } from '../../../src/content/source.js';

const ROOT = path.resolve(__dirname, '../../..');
const FIXTURE = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/fixtures/vmix-dumps.json'), 'utf8')) as {
  dumps: { seed: number; gen: number; first: number; count: number; sha256: string; classes: string }[];
};

function tsDump(seed: number, gen: number, first: number, count: number): Buffer {
  const out = Buffer.alloc(count * 4096);
  for (let i = 0; i < count; i++) fillVmix(pageKey(seed, gen, first + i), out.subarray(i * 4096, (i + 1) * 4096));
  return out;
}

function hasGcc(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v gcc'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('vmix: the validation workload\'s pages', () => {
  it('reproduces the committed dumps of validation/workload.c (sha256 and class of every page)', () => {
    for (const d of FIXTURE.dumps) {
      const bytes = tsDump(d.seed, d.gen, d.first, d.count);
      expect(createHash('sha256').update(bytes).digest('hex'), `seed ${d.seed} gen ${d.gen} from ${d.first}`).toBe(d.sha256);
      const letters = { zero: 'z', same: 's', text: 't', random: 'r' } as const;
      const page = new Uint8Array(4096);
      let classes = '';
      for (let i = 0; i < d.count; i++) classes += letters[fillVmix(pageKey(d.seed, d.gen, d.first + i), page)];
      expect(classes).toBe(d.classes);
    }
  });

  it.runIf(hasGcc())('equals the C program byte for byte when built here (gcc -static)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vmix-'));
    try {
      const bin = path.join(dir, 'workload');
      // -static as the guest builds it; without a static libc, a dynamic build dumps the same bytes.
      try {
        execFileSync('gcc', ['-O2', '-static', '-o', bin, path.join(ROOT, 'validation/workload.c')], { stdio: 'ignore' });
      } catch {
        execFileSync('gcc', ['-O2', '-o', bin, path.join(ROOT, 'validation/workload.c')], { stdio: 'ignore' });
      }
      for (const [seed, gen, first, count] of [[7, 1, 0, 400], [99, 5, 123456, 300]] as const) {
        const c = execFileSync(bin, ['dump', String(seed), String(gen), String(first), String(count)], { maxBuffer: 1 << 24 });
        const ts = tsDump(seed, gen, first, count);
        expect(c.length).toBe(count * 4096);
        const bad = [...Array(count).keys()].filter((i) => Buffer.compare(c.subarray(i * 4096, (i + 1) * 4096), ts.subarray(i * 4096, (i + 1) * 4096)) !== 0);
        expect(bad).toEqual([]);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('has the documented mix (10 % zero, 10 % same-filled, 65 % text, 15 % random) and page shapes', () => {
    const n = { zero: 0, same: 0, text: 0, random: 0 };
    const page = new Uint8Array(4096);
    for (let p = 0; p < 6000; p++) {
      const c = fillVmix(pageKey(3, 1, p), page);
      n[c]++;
      const words = new DataView(page.buffer);
      const w0 = words.getBigUint64(0, true);
      let sameWords = true;
      for (let i = 8; i < 4096 && sameWords; i += 8) sameWords = words.getBigUint64(i, true) === w0;
      if (c === 'zero') expect(page.every((b) => b === 0)).toBe(true);
      if (c === 'same') expect(sameWords).toBe(true);
      if (c === 'text') expect(page.every((b) => b === 0x0a || (b >= 0x20 && b < 0x7f))).toBe(true);
      if (c === 'random') expect(sameWords).toBe(false);
    }
    expect(n.zero / 6000).toBeCloseTo(0.1, 1);
    expect(n.same / 6000).toBeCloseTo(0.1, 1);
    expect(n.text / 6000).toBeCloseTo(0.65, 1);
    expect(n.random / 6000).toBeCloseTo(0.15, 1);
  });

  it('is a content class whose bytes do not depend on the run seed', () => {
    const a = new ContentSource({ seed: 1 });
    const b = new ContentSource({ seed: 987654 });
    const key = pageKey(1, 1, 42);
    const da = a.resolve({ class: 'vmix', seed: key }, 0);
    const pa = new Uint8Array(4096);
    const pb = new Uint8Array(4096);
    const want = new Uint8Array(4096);
    a.fill(da, pa);
    b.fill(b.resolve({ class: 'vmix', seed: key }, 5), pb);
    fillVmix(key, want);
    expect(Buffer.compare(pa, want)).toBe(0);
    expect(Buffer.compare(pb, want)).toBe(0);
  });

  it('draws mulberry32 as the C program (the first outputs of seed 0 and 7)', () => {
    // An independent BigInt transcription of workload.c's next().
    const ref = (s0: number, n: number): number[] => {
      let s = BigInt(s0);
      const M = (1n << 32n) - 1n;
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        s = (s + 0x6d2b79f5n) & M;
        let z = s;
        z = ((z ^ (z >> 15n)) * (z | 1n)) & M;
        z = (z ^ ((z + (((z ^ (z >> 7n)) * (z | 61n)) & M)) & M)) & M;
        out.push(Number(z ^ (z >> 14n)));
      }
      return out;
    };
    for (const seed of [0, 7, 0xffffffff]) {
      const m = new Mulberry32(seed);
      expect(Array.from({ length: 50 }, () => m.next())).toEqual(ref(seed, 50));
    }
  });
});
