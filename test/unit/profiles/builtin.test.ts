/**
 * The built-in profiles keep their figures: test/fixtures/builtin-profiles-fae6ae4.json
 * is registry.PROFILES as the TypeScript profile files built it (JSON.stringify,
 * generated once from commit fae6ae4 before the profiles became data). Every figure,
 * source string, range and key order must be the same; a compressor registered since
 * is priced too (the fixture compares the compressors it knows).
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { profileDocument } from '../../../src/profiles/file.js';
import { PROFILES, getProfile } from '../../../src/profiles/registry.js';
import { compressorNames } from '../../../src/compressors/registry.js';

const ROOT = path.resolve(__dirname, '../../..');
const FIXTURE = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/fixtures/builtin-profiles-fae6ae4.json'), 'utf8')) as { profiles: Record<string, unknown>[] };
const OLD_NAMES = Object.keys((FIXTURE.profiles[0]!['codecs'] as Record<string, unknown>));

/** `v` as JSON, with every codec table cut to the compressors the fixture knows (in their order). */
function known(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(known);
  if (!v || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    out[k] = k === 'codecs' ? Object.fromEntries(OLD_NAMES.map((c) => [c, known((x as Record<string, unknown>)[c])])) : known(x);
  }
  return out;
}

describe('built-in profiles', () => {
  it('are the five of the fixture, in its order, with the same names', () => {
    expect([...PROFILES.keys()]).toEqual(FIXTURE.profiles.map((p) => p['name']));
    expect(OLD_NAMES.length).toBeGreaterThanOrEqual(5);
  });

  for (const old of FIXTURE.profiles) {
    const name = old['name'] as string;
    it(`${name}: every figure, source and range as before, in the same key order`, () => {
      const now = JSON.parse(JSON.stringify(getProfile(name))) as unknown;
      expect(known(now)).toStrictEqual(old);
      expect(JSON.stringify(known(now))).toBe(JSON.stringify(old));
    });
  }

  it('a compressor the fixture does not know is priced in every profile and cluster all the same', () => {
    for (const p of PROFILES.values()) {
      for (const t of [p.codecs, ...Object.values(p.clusters ?? {}).map((c) => c.codecs)]) expect(Object.keys(t)).toEqual(compressorNames());
    }
  });

  it('every built-in, as a profile document, validates against schema/profile.schema.json in a default Ajv', () => {
    const validate = new Ajv().compile(JSON.parse(fs.readFileSync(path.join(ROOT, 'schema/profile.schema.json'), 'utf8')) as object);
    for (const p of PROFILES.values()) expect(validate(profileDocument(p)), `${p.name}: ${JSON.stringify(validate.errors?.[0])}`).toBe(true);
  });
});
