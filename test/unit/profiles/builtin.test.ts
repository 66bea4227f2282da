/**
 * The built-in profiles keep their figures: test/fixtures/builtin-profiles-fae6ae4.json
 * is registry.PROFILES as the TypeScript profile files built it (JSON.stringify,
 * generated once from commit fae6ae4 before the profiles became data). Every figure,
 * source string, range and key order must be the same; a compressor registered since
 * is priced too (the fixture compares the compressors it knows).
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { loadBuiltinProfiles } from '../../../src/profiles/builtin.js';
import { profileDocument } from '../../../src/profiles/file.js';
import { PROFILES, getProfile } from '../../../src/profiles/registry.js';
import { compressorNames } from '../../../src/compressors/registry.js';
import { UsageError } from '../../../src/errors.js';
import { tempDir } from '../../helpers/files.js';

const ROOT = path.resolve(__dirname, '../../..');
const FIXTURE = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/fixtures/builtin-profiles-fae6ae4.json'), 'utf8')) as { profiles: Record<string, unknown>[] };
const BUILTIN_DIR = path.join(ROOT, 'profiles/builtin');
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
  it('are still registered, in the fixture\'s order (a profile added since may stand anywhere)', () => {
    const old = FIXTURE.profiles.map((p) => p['name']);
    expect(old).toHaveLength(5);
    expect([...PROFILES.keys()].filter((n) => old.includes(n))).toEqual(old);
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

/** A JSON file of profiles/builtin/ as written, its `$comment` notes dropped. */
function written(file: string): Record<string, any> {
  const drop = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).filter(([k]) => k !== '$comment').map(([k, x]) => [k, drop(x)])) : v;
  return drop(JSON.parse(fs.readFileSync(path.join(BUILTIN_DIR, file), 'utf8'))) as Record<string, any>;
}

describe('built-in profiles as data (profiles/builtin/)', () => {
  it('the folder holds one file per registered built-in, and shared.json', () => {
    const names = [...PROFILES.keys()];
    expect(fs.readdirSync(BUILTIN_DIR).sort()).toEqual([...names.map((n) => `${n}.json`), 'shared.json'].sort());
    for (const n of names) expect(written(`${n}.json`)['name']).toBe(n);
  });

  it('a shared figure is the one object of shared.json, in every profile that refers to it; keys beside the $ref are the profile\'s own', () => {
    const shared = written('shared.json');
    expect(getProfile('ssd').blockIo).toStrictEqual(shared['nvmeBlockIo']);
    expect(getProfile('ssd-server').blockIo).toStrictEqual(shared['nvmeBlockIo']);
    expect(getProfile('ssd-server').network).toStrictEqual(shared['rack10GbE']);
    const sources = new Set<string>();
    for (const p of PROFILES.values()) {
      const own = written(`${p.name}.json`)['dramEnergyNJPerByte'];
      expect(own['$ref']).toBe('shared.json#/dramEnergyNJPerByte');
      expect(p.dramEnergyNJPerByte).toStrictEqual({ ...shared['dramEnergyNJPerByte'], source: own['source'] });
      sources.add(p.dramEnergyNJPerByte.source);
    }
    expect(shared['dramEnergyNJPerByte']['source']).toBeNull();
    expect(sources.size).toBeGreaterThan(1);
    // The big cluster is mobile's own cpu, codecs and copy; LITTLE is mobile-emmc's.
    const m = getProfile('mobile');
    const e = getProfile('mobile-emmc');
    expect(m.clusters!['big']).toStrictEqual({ ...m.cpu, codecs: m.codecs, copy: m.copy });
    expect(m.clusters!['LITTLE']).toStrictEqual({ ...e.cpu, codecs: e.codecs, copy: e.copy });
  });

  it('the codec tables are derived, not written: no built-in file gives a figure of its own for a codec', () => {
    for (const n of PROFILES.keys()) {
      const d = written(`${n}.json`);
      expect(Object.keys(d['codecs']), n).toEqual(['$ref']);
      expect(Object.keys(d['copy']), n).toEqual(['$ref']);
      for (const c of Object.values(d['clusters'] ?? {}) as Record<string, any>[]) expect([Object.keys(c['codecs']), Object.keys(c['copy'])], n).toEqual([['$ref'], ['$ref']]);
    }
  });

  describe('a broken built-in is an Error naming its file (a bug, not a usage error)', () => {
    const cases: [string, (files: Map<string, Record<string, any>>) => void, RegExp][] = [
      ['an unknown field', (f) => void (f.get('ssd.json')!['bogus'] = 1), /ssd\.json, field '\/bogus': unknown field/],
      ['a figure out of its bounds', (f) => void (f.get('hdd-desktop.json')!['cpu']['hz']['value'] = 1e308), /hdd-desktop\.json, field '\/cpu\/hz\/value': invalid value/],
      ['a null of shared.json left to give', (f) => void delete f.get('mobile-emmc.json')!['dramEnergyNJPerByte']['source'], /mobile-emmc\.json, field '\/dramEnergyNJPerByte\/source'/],
      ['a $ref to nothing', (f) => void (f.get('ssd-server.json')!['blockIo'] = { $ref: 'shared.json#/sataBlockIo' }), /ssd-server\.json: \$ref 'shared\.json#\/sataBlockIo': no 'sataBlockIo' there/],
      ['a $ref to a missing file', (f) => void (f.get('ssd.json')!['network'] = { $ref: 'lan.json#/x' }), /lan\.json: cannot be read \(referenced from .*ssd\.json\)/],
      ['a $ref to itself', (f) => void (f.get('mobile.json')!['copy'] = { $ref: '#/clusters/big/copy' }), /mobile\.json: \$ref '#\/clusters\/big\/copy' refers to itself \(mobile\.json#\/clusters\/big\/copy -> mobile\.json#\/copy -> /],
      ['a name that is not the file\'s', (f) => void (f.get('hdd-desktop.json')!['name'] = 'hdd2'), /hdd-desktop\.json, field '\/name'/],
    ];
    for (const [what, change, message] of cases) {
      it(what, () => {
        const tmp = tempDir();
        try {
          const files = new Map(fs.readdirSync(BUILTIN_DIR).map((f) => [f, JSON.parse(fs.readFileSync(path.join(BUILTIN_DIR, f), 'utf8')) as Record<string, any>]));
          // Unchanged, the copy loads to the shipped profiles.
          for (const [f, d] of files) tmp.file(f, JSON.stringify(d));
          const dir = pathToFileURL(`${tmp.dir}/`);
          expect(loadBuiltinProfiles([...PROFILES.keys()], dir)).toStrictEqual([...PROFILES.values()]);
          change(files);
          for (const [f, d] of files) tmp.file(f, JSON.stringify(d));
          let err: unknown;
          try {
            loadBuiltinProfiles([...PROFILES.keys()], dir);
          } catch (e) {
            err = e;
          }
          expect(err).toBeInstanceOf(Error);
          expect(err).not.toBeInstanceOf(UsageError);
          expect((err as Error).message).toMatch(/^built-in profile /);
          expect((err as Error).message).toMatch(message);
          expect((err as Error).message).toContain(tmp.dir);
        } finally {
          tmp.cleanup();
        }
      });
    }
  });
});
