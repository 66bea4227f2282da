/** Profile files: schema validation, extends, errors naming the field, and the --show round trip. */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isProfilePath, loadProfileFile, profileDocument, profileFromDocument, resolveProfile } from '../../../src/profiles/file.js';
import { PROFILES, getProfile } from '../../../src/profiles/registry.js';
import { UsageError } from '../../../src/errors.js';
import { expectOneLineError, tmemsim } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/files.js';

const ROOT = path.resolve(__dirname, '../../..');
const EXAMPLE = path.join(ROOT, 'profiles/example-rpi4.json');

function errorOf(doc: unknown): UsageError {
  try {
    profileFromDocument(doc, 'p.json');
  } catch (e) {
    if (e instanceof UsageError) return e;
    throw e;
  }
  throw new Error('no error');
}

const head = { format: 'tmemsim-profile', version: 1, name: 'x' };

describe('profile files', () => {
  it('the shipped example validates, loads and overrides only what it gives', () => {
    const p = loadProfileFile(EXAMPLE);
    const base = getProfile('mobile-ufs');
    expect(p.name).toBe('rpi4');
    expect(p.cpu.hz.value).toBe(1.5e9);
    expect(p.cpu.activePowerW.value).toBeCloseTo(0.795, 9);
    expect(p.storage.readLatencyUs.value).toBe(667);
    // Not overridden: inherited from mobile-ufs.
    expect(p.codecs).toEqual(base.codecs);
    expect(p.dramEnergyNJPerByte).toEqual(base.dramEnergyNJPerByte);
    expect(p.copy).toEqual(base.copy);
    expect(p.extends).toBe('mobile-ufs');
  });

  it('every shipped example in profiles/ validates and loads', () => {
    const files = fs.readdirSync(path.join(ROOT, 'profiles')).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const f of files) expect(loadProfileFile(path.join(ROOT, 'profiles', f)).name.length).toBeGreaterThan(0);
    // The LITTLE-core variant of mobile-ufs keeps its UFS storage and takes the A53 clock and codec cycles.
    const little = loadProfileFile(path.join(ROOT, 'profiles/example-ufs-little.json'));
    expect(little.storage).toEqual(getProfile('mobile-ufs').storage);
    expect(little.cpu).toEqual(getProfile('mobile-emmc').cpu);
    // Every codec the file prices is the A53's (a compressor added since is priced by the base, mobile-ufs).
    const given = Object.keys(JSON.parse(fs.readFileSync(path.join(ROOT, 'profiles/example-ufs-little.json'), 'utf8')).codecs);
    expect(given.length).toBeGreaterThanOrEqual(5);
    for (const c of given) expect(little.codecs[c], c).toEqual(getProfile('mobile-emmc').codecs[c]);
  });

  it('a key-by-key override keeps the sibling constants of the base', () => {
    const p = profileFromDocument({ ...head, extends: 'ssd', storage: { idlePowerW: { value: 0.5, source: '[I] test' } } }, 'p.json');
    expect(p.storage.idlePowerW.value).toBe(0.5);
    expect(p.storage.readLatencyUs).toEqual(getProfile('ssd').storage.readLatencyUs);
    expect(p.storage.name).toBe('NVMe SSD');
  });

  it('every built-in, printed as a document, validates and loads back equal', () => {
    for (const b of PROFILES.values()) {
      const back = profileFromDocument(JSON.parse(JSON.stringify(profileDocument(b))), `${b.name}.json`);
      const { file: _f, ...rest } = back;
      expect(rest).toEqual(JSON.parse(JSON.stringify(b)));
    }
  });

  it('names the file, the JSON pointer of the bad field and what is accepted', () => {
    let e = errorOf({ ...head, extends: 'ssd', cpu: { hz: { value: -1, source: '[I] x' } } });
    expect(e.message).toBe("p.json, field '/cpu/hz/value': invalid value -1 (accepted: a number >= 1e6 and <= 1e11)");
    e = errorOf({ ...head, extends: 'ssd', storage: { readLatencyUS: { value: 1, source: '[I] x' } } });
    expect(e.where.field).toBe('/storage/readLatencyUS');
    expect(e.accepted).toContain('readLatencyUs');
    e = errorOf({ ...head, extends: 'ssd', cpu: { hz: { value: 1e9 } } });
    expect(e.where.field).toBe('/cpu/hz/source'); // every constant must cite its source
    e = errorOf({ ...head, extends: 'ssd', codecs: { lz5: { compress: { fixedCycles: 1, cyclesPerByte: 1 }, decompress: { fixedCycles: 1, cyclesPerByte: 1 }, source: '[I] x' } } });
    expect(e.where.field).toBe('/codecs/lz5');
    expect(e.accepted).toContain('zstd');
    e = errorOf({ ...head });
    expect(e.where.field).toBe('/cpu');
    expect(e.what).toContain("without 'extends'");
    e = errorOf({ ...head, extends: 'tablet' });
    expect(e.where.field).toBe('/extends');
    expect(e.accepted).toContain('mobile-emmc');
    e = errorOf({ ...head, extends: 'ssd', format: 'tmemsim-trace' });
    expect(e.where.field).toBe('/format');
  });

  it('a file without extends must give every member of cpu, storage, blockIo and network: a missing one is exit 2 in one line', async () => {
    const full = (): Record<string, any> => JSON.parse(JSON.stringify(profileDocument(getProfile('ssd'))));
    expect(() => profileFromDocument(full(), 'p.json')).not.toThrow();
    const cases: [string, string][] = [['storage', 'seqReadMBps'], ['blockIo', 'irqCycles'], ['cpu', 'hz'], ['network', 'bandwidthMBps']];
    for (const [obj, key] of cases) {
      const d = full();
      delete d[obj][key];
      const e = errorOf(d);
      expect(e.where.field).toBe(`/${obj}/${key}`);
      expect(e.what).toContain("without 'extends'");
      // With extends the same object is an override of the base: accepted.
      expect(() => profileFromDocument({ ...d, extends: 'ssd' }, 'p.json')).not.toThrow();
    }
    const tmp = tempDir();
    try {
      for (const [obj, key] of cases.slice(0, 2)) {
        const d = full();
        delete d[obj][key];
        const file = tmp.file(`no-${key}.json`, JSON.stringify(d));
        const line = expectOneLineError(await tmemsim('run', 'workloads/mobile-app-switch.json', '--profile', file));
        expect(line).toContain(`/${obj}/${key}`);
      }
    } finally {
      tmp.cleanup();
    }
  });

  it('a path to a .json file is a file, anything else a registered name', () => {
    expect(isProfilePath(EXAMPLE)).toBe(true);
    expect(isProfilePath('missing.json')).toBe(true);
    expect(isProfilePath('ssd')).toBe(false);
    expect(resolveProfile('ssd-laptop').name).toBe('ssd');
    expect(() => resolveProfile('missing.json')).toThrow(/profile file not found/);
  });

  it('the schema file is valid JSON with an $id', () => {
    const s = JSON.parse(fs.readFileSync(path.join(ROOT, 'schema/profile.schema.json'), 'utf8'));
    expect(s.$id).toBe('urn:tmemsim:schema:profile-v1');
  });
});
