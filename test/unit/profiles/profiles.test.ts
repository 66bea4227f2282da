import { describe, expect, it } from 'vitest';
import { PROFILES, getProfile, profileNames } from '../../../src/profiles/registry.js';
import { COMPRESSORS } from '../../../src/compressors/registry.js';
import { UsageError } from '../../../src/errors.js';

/** Every { value, source } in a profile, with its path. */
function sourced(v: unknown, path: string, out: [string, unknown][]): [string, unknown][] {
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('value' in o && 'source' in o) out.push([path, o]);
    else for (const [k, x] of Object.entries(o)) sourced(x, `${path}.${k}`, out);
  }
  return out;
}

describe('device profiles', () => {
  it('has the five profiles with the issue names as names or aliases', () => {
    for (const n of ['ssd', 'mobile', 'ssd-laptop', 'mobile-ufs', 'ssd-server', 'hdd-desktop', 'mobile-emmc']) expect(getProfile(n)).toBeDefined();
    expect(PROFILES.size).toBe(5);
  });

  for (const p of PROFILES.values()) {
    it(`${p.name}: every constant is positive and names its source; every compressor is priced`, () => {
      const all = sourced(p, p.name, []);
      expect(all.length).toBeGreaterThanOrEqual(10);
      for (const [path, x] of all) {
        const { value, source } = x as { value: number; source: string };
        expect(value, path).toBeGreaterThan(0);
        expect(source.length, path).toBeGreaterThan(10);
      }
      for (const c of COMPRESSORS.keys()) {
        const codec = p.codecs[c];
        expect(codec, `${p.name} prices ${c}`).toBeDefined();
        expect(codec!.source.length).toBeGreaterThan(10);
      }
    });
  }

  it('an unknown profile is a usage error listing the accepted names', () => {
    expect(() => getProfile('tablet')).toThrow(UsageError);
    expect(profileNames()).toContain('hdd');
  });
});
