/**
 * Runs a command without blocking the test worker's event loop (spawnSync
 * would stall vitest's own messages for as long as a long sweep runs).
 */

import { spawn } from 'node:child_process';

export interface RunNodeOptions {
  /** Run the child as this user and group (root only). */
  uid?: number;
  gid?: number;
}

export interface Ran {
  code: number | null;
  out: string;
  err: string;
}

export function runNode(args: string[], cwd: string, opts: RunNodeOptions = {}): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, args, { cwd, ...opts });
    let out = '';
    let err = '';
    p.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    p.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, out, err }));
  });
}
