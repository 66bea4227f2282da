/** tmemsim run --uncertainty: the saving line as an interval, the tornado and the sign-flipping constants. */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tmemsim } from '../helpers/cli.js';
import { tempDir } from '../helpers/files.js';

const tmp = tempDir('tmemsim-tornado-');
afterAll(() => tmp.cleanup());

describe('tmemsim run --uncertainty', () => {
  it('prints the saving with its interval and the constants that move it, and puts the same in the JSON report', async () => {
    const t = await tmemsim('run', 'workloads/xen-selfshrink.json', '--profile', 'mobile-ufs', '--fast', '--uncertainty', '-q');
    expect(t.code).toBe(0);
    expect(t.out).toMatch(/uncertainty over the profile's ranges \(\d+ constants; every one of \d+ corners/);
    // The saving (baseline − backend) and its interval, signed as the report signs a saving, with thousands separators.
    const line = /energy: saving ([-+]?[0-9,]+\.[0-9]{3}) \[([-+]?[0-9,]+\.[0-9]{3}) \.\. ([-+]?[0-9,]+\.[0-9]{3})\] mJ \((the sign is NOT settled by the ranges|sign settled over the ranges)\)/.exec(t.out);
    expect(line).not.toBeNull();
    expect(t.out).toContain('tornado');
    const j = await tmemsim('run', 'workloads/xen-selfshrink.json', '--profile', 'mobile-ufs', '--fast', '--uncertainty', '--format', 'json', '-q');
    const u = JSON.parse(j.out).runs[0].uncertainty;
    expect(u.saving_uj.lo).toBeLessThanOrEqual(u.saving_uj.point);
    expect(u.saving_uj.hi).toBeGreaterThanOrEqual(u.saving_uj.point);
    expect(u.tornado.length).toBeGreaterThan(0);
    // The text shows the JSON's microjoules as signed millijoules.
    const shown = line!.slice(1, 4).map((v) => Number(v.replace(/,/g, '')));
    [u.saving_uj.point, u.saving_uj.lo, u.saving_uj.hi].forEach((uj: number, i: number) => {
      expect(Math.abs(shown[i]! - uj / 1000)).toBeLessThanOrEqual(0.0005);
      if (uj > 0) expect(line![i + 1]).toMatch(/^\+/);
    });
    expect(line![4]).toBe(u.saving_uj.lo < 0 && u.saving_uj.hi > 0 ? 'the sign is NOT settled by the ranges' : 'sign settled over the ranges');
    for (const c of u.sign_flipping) expect(u.tornado.find((b: { constant: string }) => b.constant === c).flips_sign).toBe(true);
    // Without the flag the report has no uncertainty.
    const plain = await tmemsim('run', 'workloads/xen-selfshrink.json', '--profile', 'mobile-ufs', '--fast', '--format', 'json', '-q');
    expect(JSON.parse(plain.out).runs[0].uncertainty).toBeUndefined();
  });

  it('--plot with --uncertainty draws the tornado of the constants the text ranks; without --uncertainty there is none', async () => {
    const dir = path.join(tmp.dir, 'with');
    const t = await tmemsim('run', 'workloads/xen-selfshrink.json', '--profile', 'mobile-ufs', '--fast', '--uncertainty', '--format', 'json', '--plot', dir, '-q');
    expect(t.code).toBe(0);
    const u = JSON.parse(t.out).runs[0].uncertainty;
    const svg = fs.readFileSync(path.join(dir, 'tornado-xen-selfshrink-mobile.svg'), 'utf8');
    for (const b of u.tornado.slice(0, 12)) expect(svg).toContain(`>${b.constant}${b.flips_sign ? ' (flips the sign)' : ''}<`);
    const without = path.join(tmp.dir, 'without');
    expect((await tmemsim('run', 'workloads/xen-selfshrink.json', '--profile', 'mobile-ufs', '--fast', '--plot', without, '-q')).code).toBe(0);
    expect(fs.readdirSync(without).filter((f) => f.startsWith('tornado-'))).toEqual([]);
  }, 120_000);
});
