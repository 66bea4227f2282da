/** `tmemsim profiles` and `--profile FILE`, in-process through main(argv) (test/helpers/cli.ts). */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tmemsim } from '../helpers/cli.js';



describe('tmemsim profiles', () => {
  it('lists every built-in with CPU, codec and storage constants', async () => {
    const r = await tmemsim('profiles');
    expect(r.code).toBe(0);
    for (const n of ['ssd', 'mobile', 'ssd-server', 'hdd-desktop', 'mobile-emmc', 'LITTLE (Cortex-A53)', '1,200', '0.14', '1,000 + 5.818/B', '250 / 62.5']) expect(r.out).toContain(n);
  });

  it('--show FILE --format json prints a document that runs with --profile', async () => {
    const r = await tmemsim('profiles', '--show', 'profiles/example-rpi4.json', '--format', 'json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.format).toBe('tmemsim-profile');
    expect(doc.cpu.hz.value).toBe(1.5e9);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tmemsim-prof-'));
    const f = path.join(dir, 'rpi4-full.json');
    fs.writeFileSync(f, r.out);
    const run = await tmemsim('run', 'workloads/xen-selfshrink.json', '--profile', f, '--format', 'json', '--fast');
    expect(run.code).toBe(0);
    const rep = JSON.parse(run.out);
    expect(rep.runs[0].profile).toBe('rpi4');
    expect(rep.runs[0].model.cpu_cluster).toBe('Cortex-A72 (BCM2711)');
    expect(rep.runs[0].model.cpu_mhz).toBe(1500);
  });

  it('a bad profile file is one line naming the file and field, exit 2', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tmemsim-prof-'));
    const f = path.join(dir, 'bad.json');
    fs.writeFileSync(f, JSON.stringify({ format: 'tmemsim-profile', version: 1, name: 'bad', extends: 'ssd', storage: { idlePowerW: { value: 'low', source: '[I] x' } } }));
    const r = await tmemsim('run', 'workloads/file-scan.json', '--profile', f);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain(`${f}, field '/storage/idlePowerW/value': invalid value "low" (accepted: a number)`);
    const s = await tmemsim('profiles', '--show', 'tablet');
    expect(s.code).toBe(2);
    expect(s.err).toContain("unknown profile 'tablet'");
  });
});

describe('tmemsim calibrate', () => {
  it('writes a profile file that validates and runs with --profile', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tmemsim-cal-'));
    const f = path.join(dir, 'cal.json');
    const r = await tmemsim('calibrate', '--pages', '2', '--compressors', 'lz4,lzo', '--base', 'mobile-emmc', '--out', f, '--force'); // this tests the file written; a loaded test machine may fit poorly
    expect(r.code).toBe(0);
    const doc = JSON.parse(fs.readFileSync(f, 'utf8'));
    expect(doc.extends).toBe('mobile-emmc');
    expect(Object.keys(doc.codecs)).toEqual(['lz4', 'lzo']);
    expect(doc.calibration.host_cpu.length).toBeGreaterThan(0);
    expect(typeof doc.calibration.fits.lz4.compress_r2).toBe('number');
    const run = await tmemsim('run', 'workloads/xen-selfshrink.json', '--profile', f, '--fast', '--format', 'json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out).runs[0].profile).toBe('mobile-emmc-calibrated');
  });

  it('an unknown compressor is a usage error, exit 2', async () => {
    const r = await tmemsim('calibrate', '--compressors', 'lz4,brotli');
    expect(r.code).toBe(2);
    expect(r.err).toContain("field '--compressors': unknown compressor 'brotli'");
  });

  it('--base takes a built-in profile only (a profile file cannot be extended): a file or an unknown name is exit 2', async () => {
    const file = await tmemsim('calibrate', '--pages', '1', '--base', 'profiles/example-rpi4.json');
    expect(file.code).toBe(2);
    expect(file.err).toContain("field '--base': 'profiles/example-rpi4.json' is a profile file; a calibrated profile extends a built-in profile (accepted: ssd,");
    const unknown = await tmemsim('calibrate', '--pages', '1', '--base', 'tablet');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("field '--base': unknown profile 'tablet'");
  });
});
