/**
 * The text renderers live in src/report/ and the library exports them: what
 * each returns, called through the package entry, is what the command prints
 * (in-process through main(argv), at the 100 columns a non-terminal gets).
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as lib from '../../../src/index.js';
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

  it('profiles, profiles --show, backends and compressors', async () => {
    expect(lib.renderProfileList(100)).toBe((await tmemsim('profiles')).out);
    expect(lib.renderProfile(lib.getProfile('mobile'), 100)).toBe((await tmemsim('profiles', '--show', 'mobile')).out);
    expect(lib.renderBackendList(100)).toBe((await tmemsim('backends')).out);
    expect(lib.renderCompressorList(100)).toBe((await tmemsim('compressors')).out);
    expect(lib.renderBackendList(100)).toContain('zswap');
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
