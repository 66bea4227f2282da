/**
 * The text renderers live in src/report/ and the library exports them: what
 * each returns, called through the package entry, is what the command prints
 * (in-process through main(argv), at the 100 columns a non-terminal gets). The
 * command calls the same function, so that equality only checks the wiring: the
 * list and profile renderers' text is also checked against output written here.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as lib from '../../../src/index.js';
import type { Sourced } from '../../../src/profiles/profile.js';
import { ROOT, tmemsim } from '../../helpers/cli.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tmemsim-renderers-'));

describe('library renderers print what the commands print', () => {
  it('trace inspect', async () => {
    const trace = path.join(ROOT, 'workloads/lifecycle.json');
    const r = await tmemsim('trace', 'inspect', trace, '--sizes', '100,50%');
    expect(r.code).toBe(0);
    const text = lib.renderInspection(lib.inspectTrace(trace, { sizes: [{ pages: 100 }, { fraction: 0.5 }] }));
    expect(text).toContain('reuse distance');
    expect(text).toBe(r.out);
  });

  it('compare, with --all and without', async () => {
    const baseline = JSON.parse(fs.readFileSync(path.join(ROOT, 'results/baseline.json'), 'utf8')) as { entries: { metrics: Record<string, number> }[] };
    // One entry's ratio 20 % worse: one regression row.
    baseline.entries[0]!.metrics['compression_ratio']! *= 0.8;
    const run = path.join(dir, 'run.json');
    fs.writeFileSync(run, JSON.stringify(baseline));
    const base = path.join(ROOT, 'results/baseline.json');
    for (const all of [false, true]) {
      const r = await tmemsim('compare', run, base, ...(all ? ['--all'] : []));
      expect(r.code).toBe(1);
      const c = lib.compare(JSON.parse(fs.readFileSync(run, 'utf8')), JSON.parse(fs.readFileSync(base, 'utf8')));
      expect(c.regressions).toBe(1);
      const text = lib.renderComparison(c, all, 100);
      expect(text).toContain('REGRESSION');
      expect(text).toBe(r.out);
    }
  });

  it('profiles, profiles --show, backends and compressors: what the commands print', async () => {
    expect(lib.renderProfileList(100)).toBe((await tmemsim('profiles')).out);
    expect(lib.renderProfile(lib.getProfile('mobile'), 100)).toBe((await tmemsim('profiles', '--show', 'mobile')).out);
    expect(lib.renderBackendList(100)).toBe((await tmemsim('backends')).out);
    expect(lib.renderCompressorList(100)).toBe((await tmemsim('compressors')).out);
  });

  // The renderers' own text, written out here (the command's output is the same function's, so the test above alone
  // could not fail on a wrong table).
  it('profiles: the built-in list, one table split in four at 100 columns', () => {
    expect(lib.renderProfileList(100)).toBe(
      [
        '┌─────────────┬────────────┬────────────────────────┬───────┬──────┬─────────────────┐',
        '│ profile     │ aliases    │ CPU cluster            │ MHz   │ W    │ lz4 comp cycles │',
        '├─────────────┼────────────┼────────────────────────┼───────┼──────┼─────────────────┤',
        '│ ssd         │ ssd-laptop │ x86 core               │ 3,000 │ 7.5  │ 1,000 + 5.818/B │',
        '│ mobile      │ mobile-ufs │ big (Cortex-A72 class) │ 2,000 │ 1.28 │ 2,750 + 16/B    │',
        '│ ssd-server  │            │ x86 server core        │ 2,500 │ 5    │ 1,000 + 5.818/B │',
        '│ hdd-desktop │ hdd        │ x86 desktop core       │ 3,600 │ 10   │ 1,000 + 5.818/B │',
        '│ mobile-emmc │ emmc       │ LITTLE (Cortex-A53)    │ 1,200 │ 0.14 │ 4,950 + 28.8/B  │',
        '└─────────────┴────────────┴────────────────────────┴───────┴──────┴─────────────────┘',
        '┌─────────────┬───────────────────┬─────────────────────┬─────────────────┬─────────────────┐',
        '│ profile     │ lz4 decomp cycles │ storage             │ read µs / µJ    │ write µs / µJ   │',
        '├─────────────┼───────────────────┼─────────────────────┼─────────────────┼─────────────────┤',
        '│ ssd         │ 1,000 + 0.8351/B  │ NVMe SSD            │ 80 / 280        │ 25 / 100        │',
        '│ mobile      │ 2,750 + 2.296/B   │ UFS flash           │ 100 / 60        │ 70 / 84         │',
        '│ ssd-server  │ 1,000 + 0.8351/B  │ enterprise NVMe SSD │ 80 / 960        │ 15 / 180        │',
        '│ hdd-desktop │ 1,000 + 0.8351/B  │ 7200 rpm HDD        │ 12,500 / 85,000 │ 12,500 / 85,000 │',
        '│ mobile-emmc │ 4,950 + 4.134/B   │ eMMC 4.5            │ 250 / 62.5      │ 500 / 125       │',
        '└─────────────┴───────────────────┴─────────────────────┴─────────────────┴─────────────────┘',
        '┌─────────────┬─────────────────┐',
        '│ profile     │ active / idle W │',
        '├─────────────┼─────────────────┤',
        '│ ssd         │ 3.5 / 0.005     │',
        '│ mobile      │ 0.6 / 0.005     │',
        '│ ssd-server  │ 12 / 5          │',
        '│ hdd-desktop │ 6.8 / 4.5       │',
        '│ mobile-emmc │ 0.25 / 0.002    │',
        '└─────────────┴─────────────────┘',
        '',
      ].join('\n'),
    );
  });

  it('profiles --show: every constant of a profile file, in document order, with its source, at 60 columns', () => {
    const c = (value: number, source: string): Sourced<number> => ({ value, source });
    const p = {
      name: 'tiny',
      aliases: [],
      description: 'a test device: one core, one disk',
      file: 'tiny.json',
      extends: 'ssd',
      cpu: { cluster: 'test core', hz: c(1.5e9, 'the test'), activePowerW: c(2.25, 'the test, a longer source that wraps') },
      codecs: { lz4: { compress: { fixedCycles: 1000, cyclesPerByte: 5.5 }, decompress: { fixedCycles: 1000, cyclesPerByte: 0.8351 }, source: 'made up' } },
      copy: c(0.125, 'memcpy'),
      storage: {
        name: 'test disk',
        readLatencyUs: c(100, 'r'),
        writeLatencyUs: c(50, 'w'),
        readEnergyUJ: c(12345, 'e'),
        writeEnergyUJ: c(6, 'e'),
        seqReadMBps: c(500, 's'),
        seqWriteMBps: c(250, 's'),
        activePowerW: c(1, 'p'),
        idlePowerW: c(0.01, 'p'),
      },
      blockIo: { submitCycles: c(3000, 'b'), driverCycles: c(1500, 'b'), irqCycles: c(3000, 'b'), completeCycles: c(4500, 'b') },
      dramEnergyNJPerByte: c(0.055, 'd'),
      network: { latencyUs: c(20, 'n'), bandwidthMBps: c(1170, 'n'), energyNJPerByte: c(5, 'n') },
    };
    expect(lib.renderProfile(p, 60)).toBe(
      [
        'tiny: a test device: one core, one disk',
        '  from tiny.json, extending ssd',
        '┌─────────────────────────┬───────────────┬────────────────┐',
        '│ constant                │ value         │ source         │',
        '├─────────────────────────┼───────────────┼────────────────┤',
        '│ cpu.cluster             │ test core     │                │',
        '│ storage.name            │ test disk     │                │',
        '│ cpu.hz                  │ 1,500,000,000 │ the test       │',
        '│ cpu.activePowerW        │ 2.25          │ the test, a    │',
        '│                         │               │ longer source  │',
        '│                         │               │ that wraps     │',
        '│ codecs.lz4.compress     │ 1,000 + 5.5/B │ made up        │',
        '│ codecs.lz4.decompress   │ 1,000 +       │                │',
        '│                         │ 0.8351/B      │                │',
        '│ copy                    │ 0.125         │ memcpy         │',
        '│ storage.readLatencyUs   │ 100           │ r              │',
        '│ storage.writeLatencyUs  │ 50            │ w              │',
        '│ storage.readEnergyUJ    │ 12,345        │ e              │',
        '│ storage.writeEnergyUJ   │ 6             │ e              │',
        '│ storage.seqReadMBps     │ 500           │ s              │',
        '│ storage.seqWriteMBps    │ 250           │ s              │',
        '│ storage.activePowerW    │ 1             │ p              │',
        '│ storage.idlePowerW      │ 0.01          │ p              │',
        '│ blockIo.submitCycles    │ 3,000         │ b              │',
        '│ blockIo.driverCycles    │ 1,500         │ b              │',
        '│ blockIo.irqCycles       │ 3,000         │ b              │',
        '│ blockIo.completeCycles  │ 4,500         │ b              │',
        '│ dramEnergyNJPerByte     │ 0.055         │ d              │',
        '│ network.latencyUs       │ 20            │ n              │',
        '│ network.bandwidthMBps   │ 1,170         │ n              │',
        '│ network.energyNJPerByte │ 5             │ n              │',
        '└─────────────────────────┴───────────────┴────────────────┘',
        '',
      ].join('\n'),
    );
  });

  it('backends: a backend\'s description wrapped to the width, then its parameters', () => {
    expect(lib.renderBackendList(100).split('\n').slice(0, 10)).toEqual([
      'zcache: zcache2: compressed frontswap and cleancache pages in RAM, two per pageframe (zbud), LRU',
      '  ephemeral pageframes reclaimed to make room (ouroboros) [drivers/staging/zcache (zcache-main.c,',
      '  zbud.c, tmem.c), Linux 3.10]',
      '┌─────────────────────────────────────┬─────────┬─────────┬────────────────────────────────────────┐',
      '│ parameter                           │ default │ runtime │ meaning                                │',
      '├─────────────────────────────────────┼─────────┼─────────┼────────────────────────────────────────┤',
      '│ disable_cleancache                  │ false   │ no      │ Do not register the cleancache ops     │',
      '│                                     │         │         │ (boot: nocleancache).                  │',
      '│ disable_frontswap                   │ false   │ no      │ Do not register the frontswap ops      │',
      '│                                     │         │         │ (boot: nofrontswap).                   │',
    ]);
    const heads = lib.renderBackendList(100).split('\n').filter((l) => /^[a-z]/.test(l)).map((l) => l.slice(0, l.indexOf(':')));
    expect(heads).toEqual(['zcache', 'zswap', 'xen-tmem', 'ramster']);
  });

  it('compressors: one row each, the optional packages\' install state in the last column', () => {
    // lz4hc and lzo come from optional native packages: the third column says whether this install has them.
    const cell = (name: string, pkg: string): string => (lib.compressorAvailable(name) ? 'yes' : `no: npm install ${pkg}`);
    const installed = [cell('lz4hc', 'lz4'), cell('lzo', 'lzo')];
    const text = lib.renderCompressorList(100);
    if (installed.every((x) => x === 'yes')) {
      expect(text).toBe(
        [
          '┌────────────┬─────────────────────────────────────────────────────────────────────────┬───────────┐',
          '│ compressor │ what                                                                    │ installed │',
          '├────────────┼─────────────────────────────────────────────────────────────────────────┼───────────┤',
          '│ lz4        │ LZ4 fast block compression (kernel crypto "lz4"); lz4-wasm-nodejs       │ yes       │',
          '│ deflate    │ raw deflate, level 6, 2 KiB window (kernel crypto "deflate"); pako      │ yes       │',
          '│ lz4hc      │ LZ4 high-compression block, level 9 (kernel crypto "lz4hc"); lz4        │ yes       │',
          '│            │ (node-lz4 addon)                                                        │           │',
          '│ zstd       │ Zstandard frame, level 3 (kernel crypto "zstd"); @oneidentity/zstd-js   │ yes       │',
          '│ lzo        │ LZO1X-1 (kernel crypto "lzo"); lzo (node-lzo addon)                     │ yes       │',
          '└────────────┴─────────────────────────────────────────────────────────────────────────┴───────────┘',
          '',
        ].join('\n'),
      );
    } else {
      for (const x of installed) expect(text).toContain(x);
    }
  });

  it('trace formats and trace generators', async () => {
    const formats = await tmemsim('trace', 'formats');
    expect(formats.code).toBe(0);
    expect(lib.renderTraceFormatList()).toBe(formats.out);
    expect(lib.renderTraceFormatList()).toContain('vscsi (.vscsi');
    const generators = await tmemsim('trace', 'generators');
    expect(generators.code).toBe(0);
    expect(lib.renderGeneratorList()).toBe(generators.out);
    expect(lib.renderGeneratorList()).toContain('kernel-build: ');
    expect(lib.renderGeneratorList()).toContain('  apps = integer 1..64; default 6: number of apps');
  });

  it('corpus stats', async () => {
    const src = path.join(dir, 'pages.bin');
    // Two zero pages, one same-filled, one of text.
    fs.writeFileSync(src, Buffer.concat([Buffer.alloc(8192), Buffer.alloc(4096, 7), Buffer.from('tmemsim '.repeat(512))]));
    const corpus = path.join(dir, 'c.pages');
    expect((await tmemsim('corpus', 'from-files', src, '--out', corpus)).code).toBe(0);
    const r = await tmemsim('corpus', 'stats', corpus, '--compressor', 'lz4,deflate');
    expect(r.code).toBe(0);
    const text = lib.renderCorpusStats(lib.corpusStats(corpus, ['lz4', 'deflate']));
    expect(text).toContain('4 pages, 2 zero, 1 same-filled');
    expect(text).toBe(r.out);
  });
});
