// validation/record.mjs refuses a trace buffer the guest cannot spare before it starts a guest:
// one line naming the option, the limit and why, exit 2 (a 128 MiB buffer hung a 256 MiB guest).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const script = path.join(import.meta.dirname, '../../../validation/record.mjs');
const record = (...args: string[]) => spawnSync(process.execPath, [script, ...args], { encoding: 'utf8' });

describe('record.mjs --trace-buffer-kb', () => {
  it('refuses more than an eighth of the guest memory in one line, exit 2', () => {
    const r = record('--sched-trace', '--out', '/nonexistent/never-written', '--trace-buffer-kb', '32769', '--case', 'limit50-zbud');
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringContaining('--trace-buffer-kb 32769: at most 32768 (an eighth of the guest')]);
  });
});
