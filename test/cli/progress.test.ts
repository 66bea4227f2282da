/**
 * The progress bar of `tmemsim run` (src/cli/progress.ts): silent when
 * stderr is not a terminal; shown with --progress; shown on a terminal (a
 * PTY made by `script`, when the machine has it) and not with --quiet; the
 * report on stdout is the same with or without it.
 */

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'bin/tmemsim.js');
const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'tmemsim-progress-'));
afterAll(() => fs.rmSync(DIR, { recursive: true, force: true }));
// 28,680 events: over the 16,384 after which the bar first draws.
const TRACE = 'workloads/mixed-build.json';

function tmemsim(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

/** Runs the CLI with stdin, stdout and stderr on a PTY; returns what the terminal got. */
function onTerminal(...args: string[]): { code: number | null; tty: string } {
  const cmd = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { code: r.status, tty: r.stdout };
}

describe('the progress bar', () => {
  it('is silent when stderr is not a terminal, and the report is the same with --progress', () => {
    const quiet = tmemsim('run', TRACE, '--profile', 'ssd', '-f', 'json');
    expect(quiet.code).toBe(0);
    expect(quiet.err).toBe('');
    const shown = tmemsim('run', TRACE, '--profile', 'ssd', '-f', 'json', '--progress', '--jobs', '1');
    expect(shown.code).toBe(0);
    expect(shown.out).toBe(quiet.out);
    expect(shown.err).toMatch(/^pass 1\/2 ssd baseline \|[█░]+\| \d+% \| [\d,]+ events \| [\d,]+ events\/s \| ETA (-|\d+:\d\d)$/m);
    // Within 100 columns (stderr is not a terminal), one line each.
    for (const line of shown.err.split('\n')) expect([...line].length).toBeLessThan(100);
    expect(shown.err).toContain('pass 2/2 ssd backend');
    expect(tmemsim('run', TRACE, '--profile', 'ssd', '-f', 'json', '--progress', '--no-progress').err).toBe('');
    // The passes side by side: one bar for both, over twice the trace, up to 100 %.
    const threads = tmemsim('run', TRACE, '--profile', 'ssd', '-f', 'json', '--progress', '--jobs', '2');
    expect(threads.code).toBe(0);
    expect(threads.out).toBe(quiet.out);
    expect(threads.err).toMatch(/^2 passes on 2 threads \|[█░]+\| \d+% \| [\d,]+ events \| [\d,]+ events\/s \| ETA (-|\d+:\d\d)$/m);
    expect(threads.err).not.toContain('pass 1/2');
  });

  it.skipIf(!hasScript)('is drawn on a terminal, and not with --quiet or --no-progress', () => {
    const out = path.join(DIR, 'r.json');
    const t = onTerminal('run', TRACE, '--profile', 'ssd', '-f', 'json', '-o', out, '--jobs', '1');
    expect(t.code).toBe(0);
    expect(t.tty).toContain('pass 1/2 ssd baseline');
    expect(t.tty).toContain('events/s');
    expect(JSON.parse(fs.readFileSync(out, 'utf8')).runs).toHaveLength(1);
    for (const flag of ['--quiet', '--no-progress']) {
      const q = onTerminal('run', TRACE, '--profile', 'ssd', '-f', 'json', '-o', out, flag);
      expect(q.code).toBe(0);
      expect(q.tty).not.toContain('pass 1/2');
    }
  });
});
