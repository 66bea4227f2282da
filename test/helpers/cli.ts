/**
 * Runs the command line in-process: the same `main(argv)` the bin calls, with
 * stdout and stderr captured and the working directory set for the call.
 *
 * Spawning node per test cost most of the suite's time (a cold start loads
 * every module again); in-process the modules load once per test file. Calls
 * are serialised, because stdout, stderr and the working directory belong to
 * the process. Tests that start node (test/helpers/spawn.ts): the bin itself
 * (test/cli/bin.test.ts), its --version and module loading
 * (test/package/lazy-load.test.ts), ajv-cli (test/package/schema.test.ts),
 * the examples (test/cli/examples.test.ts), the progress bar on a terminal
 * (test/cli/progress.test.ts), corpus capture's child process and its run as
 * another user (test/cli/corpus.test.ts).
 */

import * as path from 'node:path';
import { expect } from 'vitest';
import { main } from '../../src/cli/main.js';

export interface Ran {
  /** The exit code main() returned (what the bin sets as process.exitCode). */
  code: number;
  out: string;
  err: string;
}

export const ROOT = path.resolve(__dirname, '../..');

let queue: Promise<unknown> = Promise.resolve();

type Write = typeof process.stdout.write;

function capture(stream: NodeJS.WriteStream, sink: (s: string) => void): () => void {
  const original = stream.write;
  const write = ((chunk: unknown, encoding?: unknown, cb?: unknown): boolean => {
    const text =
      typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString(typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
    sink(text);
    const done = typeof encoding === 'function' ? encoding : cb;
    if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
    return true;
  }) as Write;
  stream.write = write;
  return () => {
    stream.write = original;
  };
}

/** `tmemsim ...args` run from `cwd`, in-process. */
export function tmemsimIn(cwd: string, args: string[]): Promise<Ran> {
  const run = async (): Promise<Ran> => {
    let out = '';
    let err = '';
    const here = process.cwd();
    const restoreOut = capture(process.stdout, (s) => (out += s));
    const restoreErr = capture(process.stderr, (s) => (err += s));
    const exitCode = process.exitCode;
    try {
      process.chdir(cwd);
      const code = await main(['node', 'tmemsim', ...args]);
      return { code, out, err };
    } finally {
      process.chdir(here);
      restoreOut();
      restoreErr();
      process.exitCode = exitCode;
    }
  };
  const result = queue.then(run, run);
  queue = result.catch(() => undefined);
  return result;
}

/** `tmemsim ...args` run from the project root, in-process. */
export function tmemsim(...args: string[]): Promise<Ran> {
  return tmemsimIn(ROOT, args);
}

/**
 * Bad input's contract: exit 2, one line on stderr, no stack trace, no
 * "internal error". Returns the line.
 */
export function expectOneLineError(r: { code: number; err: string }): string {
  expect(r.code).toBe(2);
  const lines = r.err.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  expect(r.err).not.toMatch(/\n\s+at |internal error/);
  return lines[0]!;
}

/**
 * A standard input for setStdinReader (src/cli/stdio.ts) that gives `bytes`
 * at most `piece` bytes a read, as a pipe may.
 */
export function stdinOf(bytes: Uint8Array | string, piece = Infinity): (buf: Buffer) => number {
  const b = Buffer.from(bytes);
  let at = 0;
  return (buf) => {
    const n = Math.min(buf.length, piece, b.length - at);
    b.copy(buf, 0, at, at + n);
    at += n;
    return n;
  };
}
