/**
 * RunOptions.collaborators: a library caller replaces the codec service, the
 * page-content source and the wall clock each pass is built from. Delegating
 * doubles change nothing in the report; the doubles see every pass.
 */

import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CachingCompressionService, ContentSource, run, type CompressionService, type ContentSourceOptions } from '../../../src/index.js';
import { ROOT } from '../../helpers/cli.js';

const trace = path.join(ROOT, 'workloads/gen-database.jsonl');
// Not fast: loads decompress and compare bytes, so the codec service decompresses too.
const base = { trace, profiles: ['ssd'] };

describe('RunOptions.collaborators', () => {
  it('an injected codec service, content source and clock are used by every pass, and delegating ones change no figure', async () => {
    const plain = await run(base);
    let services = 0;
    let compressions = 0;
    let decompressions = 0;
    const compression = (): CompressionService => {
      services++;
      const inner = new CachingCompressionService({});
      return {
        get: (name) => inner.get(name),
        compress: (comp, page) => (compressions++, inner.compress(comp, page)),
        decompress: (comp, c, dst) => (decompressions++, inner.decompress(comp, c, dst)),
      };
    };
    const seeds: number[] = [];
    const content = (o: ContentSourceOptions): ContentSource => {
      seeds.push(o.seed);
      return new ContentSource(o);
    };
    let ticks = 0;
    const now = (): number => ++ticks;
    const injected = await run({ ...base, seed: 7, collaborators: { compression, content, now } });
    const plain7 = await run({ ...base, seed: 7 });
    expect(JSON.stringify(injected)).toBe(JSON.stringify(plain7));
    // A baseline pass and a backend pass.
    expect(services).toBe(2);
    expect(seeds).toEqual([7, 7]);
    expect(compressions).toBeGreaterThan(0);
    expect(decompressions).toBeGreaterThan(0);
    expect(ticks).toBeGreaterThanOrEqual(2);
    // The seed reaches the report: another seed is another run.
    expect(JSON.stringify(plain)).not.toBe(JSON.stringify(plain7));
  });

  it('the content source decides the bytes: a source whose seed is shifted gives the shifted run', async () => {
    const shifted = await run({ ...base, seed: 7, collaborators: { content: (o) => new ContentSource({ ...o, seed: o.seed + 1 }) } });
    const eight = await run({ ...base, seed: 8 });
    // Same pages and bytes as a seed-8 run; only the configuration's recorded seed differs.
    expect(shifted.runs.map((r) => r.backend)).toEqual(eight.runs.map((r) => r.backend));
    expect(shifted.runs.map((r) => r.backend)).not.toEqual((await run({ ...base, seed: 7 })).runs.map((r) => r.backend));
  });
});
