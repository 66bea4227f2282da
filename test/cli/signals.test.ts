/**
 * Signals, on the bin itself (spawned: a signal is a process's matter).
 * Issue 16: SIGTERM to `tmemsim sweep` ended only the parent (the bin re-runs
 * itself for --single-threaded-gc and forwarded no signal), so the child went
 * on and wrote --out after the command was stopped; SIGTERM or SIGINT during
 * `trace convert` left the hidden temp file behind. Now: the signal reaches
 * the child, the parent ends by the same signal, nothing is written later,
 * and no temp file is left.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { tempDir } from '../helpers/files.js';

const BIN = path.join(ROOT, 'bin/tmemsim.js');
const tmp = tempDir('tmemsim-signals-');
afterAll(() => tmp.cleanup());

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function exited(p: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => p.on('exit', (code, signal) => resolve({ code, signal })));
}

/** Polls `cond` every 50 ms up to `ms`. */
async function until(cond: () => boolean, ms: number): Promise<boolean> {
  for (let t = 0; t < ms; t += 50) {
    if (cond()) return true;
    await sleep(50);
  }
  return cond();
}

function childrenOf(pid: number): number[] {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter((x) => x !== '').map(Number);
  } catch {
    return [];
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe.skipIf(process.platform !== 'linux')('signals', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('%s to tmemsim sweep stops its re-run child too: --out is never written', async (sig) => {
    const out = path.join(tmp.dir, `sweep-${sig}.json`);
    // A sweep of every shipped workload on two profiles: minutes of work, stopped in its first seconds.
    const p = spawn(process.execPath, [BIN, 'sweep', 'workloads', '--profiles', 'ssd,mobile', '--jobs', '1', '--format', 'json', '--out', out], { cwd: ROOT, stdio: 'ignore' });
    const done = exited(p);
    expect(await until(() => childrenOf(p.pid!).length > 0, 30_000)).toBe(true);
    const [child] = childrenOf(p.pid!);
    await sleep(1500); // the child is loading and running
    p.kill(sig);
    const r = await done;
    expect(r.signal).toBe(sig); // the parent ends as its child did: by the signal
    expect(await until(() => !alive(child!), 10_000)).toBe(true);
    await sleep(500);
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.readdirSync(tmp.dir).filter((f) => f.startsWith(`.sweep-${sig}`))).toEqual([]);
  }, 90_000);

  it.each(['SIGTERM', 'SIGINT'] as const)('%s during trace convert removes the hidden temp file and writes nothing', async (sig) => {
    const src = path.join(tmp.dir, `big-${sig}.jsonl`);
    const fd = fs.openSync(src, 'w');
    fs.writeSync(fd, `${JSON.stringify({ format: 'tmemsim-trace', version: 1, config: { ram_pages: 4096 } })}\n`);
    const chunk = Array.from({ length: 10_000 }, (_, i) => `{"op":"anon","pid":${i % 7},"page":${i},"write":${i % 2 === 0}}`).join('\n') + '\n';
    for (let k = 0; k < 150; k++) fs.writeSync(fd, chunk); // 1.5 M events
    fs.closeSync(fd);
    const dst = path.join(tmp.dir, `big-${sig}.tmtb`);
    const p = spawn(process.execPath, [BIN, 'trace', 'convert', src, dst], { cwd: ROOT, stdio: 'ignore' });
    const done = exited(p);
    const temps = (): string[] => fs.readdirSync(tmp.dir).filter((f) => f.startsWith(`.big-${sig}.tmtb.`));
    expect(await until(() => temps().length > 0, 60_000)).toBe(true);
    p.kill(sig);
    const r = await done;
    expect(r.signal).toBe(sig);
    expect(temps()).toEqual([]);
    expect(fs.existsSync(dst)).toBe(false);
  }, 120_000);
});
