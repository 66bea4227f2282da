/**
 * The bin itself, spawned: the shim that loads dist/, sets the exit code and
 * re-runs a sweep with --single-threaded-gc. Command behaviour is tested
 * in-process (test/helpers/cli.ts). The other tests that start node: the
 * bin's --version and module loading (test/package/lazy-load.test.ts),
 * ajv-cli on the schemas (test/package/schema.test.ts), the examples
 * (test/cli/examples.test.ts), the progress bar on a terminal
 * (test/cli/progress.test.ts), and corpus capture's child process and its
 * run as another user (test/cli/corpus.test.ts).
 */

import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runNode } from '../helpers/spawn.js';
import { ROOT } from '../helpers/cli.js';

const BIN = path.join(ROOT, 'bin/tmemsim.js');
const bin = (...args: string[]) => runNode([BIN, ...args], ROOT);

describe('bin/tmemsim.js', () => {
  it('sets the process exit code main() returns: 0 for a run, 2 for bad input with one line', async () => {
    const ok = await bin('run', 'workloads/xen-selfshrink.json', '--fast', '--format', 'json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toHaveProperty('runs');
    const bad = await bin('run', 'no-such-trace.json');
    expect(bad.code).toBe(2);
    expect(bad.out).toBe('');
    expect(bad.err.trim().split('\n')).toHaveLength(1);
  });

  it('re-runs a sweep with --single-threaded-gc and passes its exit code through', async () => {
    const r = await bin('sweep', 'workloads/xen-selfshrink.json', '--profiles', 'ssd', '--fast', '--format', 'csv');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out.trim().split('\n').length).toBeGreaterThan(1);
    const bad = await bin('sweep', 'workloads/xen-selfshrink.json', '--profiles', 'no-such-profile');
    expect(bad.code).toBe(2);
    expect(bad.err.trim().split('\n')).toHaveLength(1);
  });

  it('ends quietly with exit code 0 when the reader of its output goes away (| head)', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [BIN, 'run', 'workloads/xen-selfshrink.json', '--fast', '--format', 'json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // the read end closes before the report is written: its write fails with EPIPE
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(err).toBe('');
    expect(code).toBe(0);
  });
});
