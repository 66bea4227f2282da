/**
 * The command line on a terminal's terms (issue 10 item 5), in-process: every
 * table and line within 100 columns (output that is not a terminal), help
 * for bare commands and --help with examples, exit codes and the docs, both
 * spellings of a flag, `-` for standard input and output, one-line errors.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectOneLineError, stdinOf, tmemsim } from '../helpers/cli.js';
import { setStdinReader } from '../../src/cli/stdio.js';
import { MAX_DOCUMENT_BYTES } from '../../src/errors.js';
import { toJsonl, traceHeader } from '../helpers/files.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tmemsim-terminal-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const trace = {
  format: 'tmemsim-trace',
  version: 1,
  config: { ram_pages: 4096, backend: 'zcache', swap: [{ type: 0, slots: 1024 }], mounts: [{ fs: 1 }] },
  events: [
    { op: 'frontswap_store', type: 0, offset: 1, data: 'heap' },
    { op: 'frontswap_load', type: 0, offset: 1 },
    { op: 'cleancache_put', fs: 1, inode: 7, index: 0, data: 'text' },
    { op: 'cleancache_get', fs: 1, inode: 7, index: 0 },
  ],
};
const TRACE = path.join(dir, 'small.json');
fs.writeFileSync(TRACE, JSON.stringify(trace));

const WIDTH = 100;
function expectFits(text: string): void {
  const over = text.split('\n').filter((l) => [...l].length > WIDTH);
  expect(over).toEqual([]);
}

describe('widths', () => {
  it('every listing and report fits 100 columns when stdout is not a terminal', async () => {
    const refs = path.resolve(__dirname, '../fixtures/validation');
    for (const args of [['backends'], ['compressors'], ['profiles'], ['profiles', '--show', 'mobile'], ['trace', 'inspect', TRACE], ['run', TRACE, '--profile', 'ssd,mobile'], ['validate', '--references', refs]]) {
      const r = await tmemsim(...args);
      // validate exits 1: the fixture's `outlier` case is out of tolerance by design (test/cli/validate.test.ts).
      expect(r.code, args.join(' ')).toBe(args[0] === 'validate' ? 1 : 0);
      expect(r.out.length).toBeGreaterThan(100);
      expectFits(r.out);
    }
  });

  it('compare --all fits 100 columns, its table and its summary line', async () => {
    const run = path.join(dir, 'width-run.json');
    const base = path.join(dir, 'width-base.json');
    fs.writeFileSync(run, (await tmemsim('run', TRACE, '--profile', 'ssd,mobile', '-f', 'json')).out);
    expect((await tmemsim('compare', run, base, '--bless')).code).toBe(0);
    const r = await tmemsim('compare', run, base, '--all');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/small\/mobile\/zcache\/lz4\/-\/- +│ compression_ratio /);
    expect(r.out.length).toBeGreaterThan(100);
    expectFits(r.out);
  });

  it('a wide table is split, not cut: every backend parameter and profile column is still there', async () => {
    const b = await tmemsim('backends');
    for (const name of ['max_pool_percent', 'zcache_comp_name', 'frontswap_has_exclusive_gets']) expect(b.out).toContain(name);
    const p = await tmemsim('profiles');
    for (const h of ['lz4 decomp cycles', 'active / idle W', 'write µs / µJ']) expect(p.out).toContain(h);
  });
});

describe('help', () => {
  it('bare tmemsim, tmemsim trace and tmemsim corpus print their help and exit 0', async () => {
    for (const [args, usage] of [[[], 'Usage: tmemsim [options] [command]'], [['trace'], 'Usage: tmemsim trace'], [['corpus'], 'Usage: tmemsim corpus']] as const) {
      const r = await tmemsim(...args);
      expect(r.code).toBe(0);
      expect(r.out).toContain(usage);
      expect(r.err).toBe('');
    }
  });

  it('--help shows examples, exit codes and where the docs are', async () => {
    for (const args of [['--help'], ['run', '--help'], ['sweep', '--help'], ['trace', 'convert', '--help']]) {
      const r = await tmemsim(...args);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/Examples:\n {2}\$ tmemsim /);
      expect(r.out).toContain('Exit codes: 0 ok; 1 ');
      expect(r.out).toMatch(/Docs: README\.md and .*docs\//);
      expectFits(r.out);
    }
  });
  it('the added help wraps to the terminal it goes to, as commander wraps its own part', async () => {
    const out = process.stdout as { isTTY?: boolean; columns?: number };
    const was = { isTTY: out.isTTY, columns: out.columns };
    let narrow: string;
    try {
      out.isTTY = true;
      out.columns = 72;
      narrow = (await tmemsim('run', '--help')).out;
    } finally {
      out.isTTY = was.isTTY;
      out.columns = was.columns;
    }
    const added = narrow.slice(narrow.indexOf('Examples:'));
    expect(added).toContain('Exit codes: 0 ok; 1 ');
    expect(added.split('\n').filter((l) => [...l].length > 72)).toEqual([]);
    // Not a terminal: 100 columns, so the exit codes line wraps later than on the 72-column terminal.
    const wide = (await tmemsim('run', '--help')).out;
    const firstExit = (t: string): string => t.split('\n').find((l) => l.startsWith('Exit codes'))!;
    expect([...firstExit(narrow)].length).toBeLessThanOrEqual(72);
    expect([...firstExit(wide)].length).toBeGreaterThan(72);
  });
});

describe('flags and errors', () => {
  it('both spellings: run --profiles and --profile; giving both is one error', async () => {
    const a = await tmemsim('run', TRACE, '--profiles', 'ssd,mobile', '-f', 'json');
    expect(a.code).toBe(0);
    expect(JSON.parse(a.out).runs.map((x: { profile: string }) => x.profile)).toEqual(['ssd', 'mobile']);
    const b = await tmemsim('run', TRACE, '--profile', 'ssd', '-f', 'json');
    expect(JSON.parse(b.out).runs).toHaveLength(1);
    const both = await tmemsim('sweep', TRACE, '--profile', 'ssd', '--profiles', 'mobile');
    expect(both.code).toBe(2);
    expect(both.err).toMatch(/^tmemsim: .*--profile and --profiles are the same option: give one\n$/);
  });

  it('a typo is one line with its suggestion', async () => {
    const r = await tmemsim('rnu');
    expect(r.code).toBe(2);
    expect(r.err).toBe("tmemsim: unknown command 'rnu' (did you mean run?) (see tmemsim --help)\n");
    const o = await tmemsim('run', TRACE, '--profle', 'ssd');
    expect(o.code).toBe(2);
    expect(o.err.split('\n')).toHaveLength(2); // one line and its newline
    expect(o.err).toContain('(did you mean --profile?)');
  });

  it('a control character in a commander error is escaped, not written raw to the terminal', async () => {
    const r = await tmemsim('run', TRACE, '--\x1b[2Jx');
    expect(r.code).toBe(2);
    expect(r.err).toBe("tmemsim: unknown option '--\\u001b[2Jx' (see tmemsim --help)\n");
  });

  it('a bad -p key is blamed on -p, not on the trace file', async () => {
    const r = await tmemsim('run', TRACE, '-p', 'max_pool_precent=3');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^tmemsim: field '-p max_pool_precent': unknown parameter 'max_pool_precent' for backend zcache \(accepted: .*max_pool_percent/);
    expect(r.err).not.toContain(TRACE);
    expect(r.err.split('\n')).toHaveLength(2);
  });
});

describe('- for standard input and output', () => {
  it('run - reads the trace from standard input and --out - writes to standard output', async () => {
    const prev = setStdinReader(stdinOf(JSON.stringify(trace)));
    try {
      const r = await tmemsim('run', '-', '--profile', 'ssd', '-f', 'json', '--out', '-');
      expect(r.code).toBe(0);
      const doc = JSON.parse(r.out);
      expect(doc.trace).toBe('-');
      const file = await tmemsim('run', TRACE, '--profile', 'ssd', '-f', 'json');
      // The same figures as from the file.
      expect(doc.runs[0].backend).toEqual(JSON.parse(file.out).runs[0].backend);
    } finally {
      setStdinReader(prev);
    }
  });

  it('run - takes a JSONL trace given a few bytes a read (its header line in pieces), after a comment line as trace generate writes, and as --input-format says', async () => {
    const jsonl = `# tmemsim trace generate, say\n\n${toJsonl(traceHeader(trace.config), trace.events)}`;
    const file = JSON.parse((await tmemsim('run', TRACE, '--profile', 'ssd', '-f', 'json')).out);
    for (const extra of [[], ['--input-format', 'jsonl']]) {
      const prev = setStdinReader(stdinOf(jsonl, 7));
      try {
        const r = await tmemsim('run', '-', '--profile', 'ssd', '-f', 'json', ...extra);
        expect(r.code, extra.join(' ')).toBe(0);
        expect(JSON.parse(r.out).runs[0].backend).toEqual(file.runs[0].backend);
      } finally {
        setStdinReader(prev);
      }
    }
  });

  it('a document on standard input has the bounds of a file: a NUL byte or more than the cap is one line, exit 2', async () => {
    const prev = setStdinReader(stdinOf('{"format":\u0000'));
    try {
      expect(expectOneLineError(await tmemsim('compare', '-', TRACE))).toBe('tmemsim: -: not JSON: it holds a NUL byte');
    } finally {
      setStdinReader(prev);
    }
    // Endless spaces (JSON whitespace): refused once past the cap, not read to the end.
    let given = 0;
    const endless = (buf: Buffer): number => {
      buf.fill(0x20);
      given += buf.length;
      return buf.length;
    };
    const prev2 = setStdinReader(endless);
    try {
      expect(expectOneLineError(await tmemsim('compare', '-', TRACE))).toBe(`tmemsim: -: more than the ${MAX_DOCUMENT_BYTES} bytes a document may have`);
      expect(given).toBe(MAX_DOCUMENT_BYTES + 1);
    } finally {
      setStdinReader(prev2);
    }
  });

  it('compare - reads the run from standard input', async () => {
    const report = (await tmemsim('run', TRACE, '--profile', 'ssd', '-f', 'json')).out;
    const blessed = path.join(dir, 'base.json');
    fs.writeFileSync(path.join(dir, 'run.json'), report);
    expect((await tmemsim('compare', path.join(dir, 'run.json'), blessed, '--bless')).code).toBe(0);
    const prev = setStdinReader(stdinOf(report, 4096));
    try {
      const r = await tmemsim('compare', '-', blessed);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/0 regressions/);
    } finally {
      setStdinReader(prev);
    }
  });
});
