/**
 * The binary trace format from the command line, in-process through main(argv): convert both
 * ways, replay directly with the same report as the JSON original, and one
 * line with exit 2 for a truncated or corrupt file, naming the file, the
 * byte offset and the record.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, tmemsim } from '../helpers/cli.js';

const TRACES = path.resolve(ROOT, '../shared/traces');
const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'tmemsim-tmtb-cli-'));
afterAll(() => fs.rmSync(DIR, { recursive: true, force: true }));


function expectUsage(r: { code: number | null; out: string; err: string }, ...texts: string[]): void {
  expect(r.code).toBe(2);
  expect(r.out).toBe('');
  expect(r.err.trimEnd().split('\n')).toHaveLength(1);
  for (const t of texts) expect(r.err).toContain(t);
}

// Named as the workload: a run's id starts with the trace's name.
const bin = path.join(DIR, 'mixed-build.tmtb');

describe('tmemsim trace convert to and from .tmtb', () => {
  it('a workload converted to binary and back is byte-identical to its JSONL conversion, and 8x smaller', async () => {
    expect((await tmemsim('trace', 'convert', 'workloads/mixed-build.json', bin)).out).toContain('(tmtb): 28680 events');
    const back = path.join(DIR, 'back.jsonl');
    expect((await tmemsim('trace', 'convert', bin, back)).out).toContain(`${bin} (tmtb) -> ${back} (jsonl): 28680 events`);
    const direct = path.join(DIR, 'direct.jsonl');
    await tmemsim('trace', 'convert', 'workloads/mixed-build.json', direct);
    expect(fs.readFileSync(back)).toEqual(fs.readFileSync(direct));
    expect(fs.statSync(bin).size * 8).toBeLessThan(fs.statSync(direct).size);
  });

  it('run replays a .tmtb with the same report as the JSON original', async () => {
    const a = await tmemsim('run', 'workloads/mixed-build.json', '--profile', 'ssd', '-f', 'json');
    const b = await tmemsim('run', bin, '--profile', 'ssd', '-f', 'json');
    expect(b.err).toBe('');
    expect(b.code).toBe(0);
    const strip = (s: string) => ({ ...JSON.parse(s), trace: '' });
    expect(strip(b.out)).toEqual(strip(a.out));
  });

  it('an imported trace (the real oracleGeneral sample) converts to binary with every event', async () => {
    const og = path.join(DIR, 'cp.tmtb');
    const r = await tmemsim('trace', 'convert', path.join(TRACES, 'cloudPhysicsIO.oracleGeneral.bin'), og);
    expect(r.out).toContain('(tmtb): 113872 events');
    const j = await tmemsim('trace', 'convert', og, '-');
    const lines = j.out.trimEnd().split('\n');
    expect(lines.length).toBe(113_873);
    expect(lines[1]).toBe('{"op":"file","fs":1,"inode":40,"index":989705}');
  });
});

describe('bad binary traces: one line, exit 2', () => {
  const whole = () => fs.readFileSync(bin);
  const headerEnd = () => 10 + whole().readUInt32LE(6);

  it('truncated inside a record: names the file, the byte offset and the record', async () => {
    const b = whole();
    const cut = path.join(DIR, 'cut.tmtb');
    fs.writeFileSync(cut, b.subarray(0, headerEnd() + 5 * 6 + 3)); // file events of 6 bytes; cut inside the 6th
    const r = await tmemsim('run', cut);
    expectUsage(r, cut, 'truncated binary trace', `byte offset ${headerEnd() + 33}`, 'record #5');
  });

  it('truncated between records (no end record) is truncated too', async () => {
    const b = whole();
    const cut = path.join(DIR, 'cut2.tmtb');
    fs.writeFileSync(cut, b.subarray(0, headerEnd() + 6 * 4));
    expectUsage(await tmemsim('trace', 'convert', cut, path.join(DIR, 'x.jsonl')), 'truncated binary trace', 'record #4');
    expect(fs.existsSync(path.join(DIR, 'x.jsonl'))).toBe(false);
  });

  it('an unknown op code', async () => {
    const b = Buffer.from(whole());
    b[headerEnd() + 12] = 77; // record #2's op byte
    const bad = path.join(DIR, 'op.tmtb');
    fs.writeFileSync(bad, b);
    expectUsage(await tmemsim('run', bad), bad, 'unknown op code 77', `byte offset ${headerEnd() + 12}`, 'record #2');
  });

  it('a value out of range (fs 200)', async () => {
    const b = Buffer.from(whole());
    b[headerEnd() + 2] = 200; // record #0's fs byte
    const bad = path.join(DIR, 'fs.tmtb');
    fs.writeFileSync(bad, b);
    expectUsage(await tmemsim('run', bad), 'fs 200 out of range 0..63', 'record #0');
  });

  it('not a binary trace, or another version', async () => {
    const notB = path.join(DIR, 'json.tmtb');
    fs.copyFileSync('workloads/mixed-build.json', notB);
    expectUsage(await tmemsim('run', notB), 'not a tmemsim binary trace');
    const v2 = Buffer.from(whole());
    v2.writeUInt16LE(2, 4);
    fs.writeFileSync(notB, v2);
    expectUsage(await tmemsim('run', notB), 'unsupported binary trace version 2');
  });

  it('bytes after the end record', async () => {
    const extra = path.join(DIR, 'extra.tmtb');
    fs.writeFileSync(extra, Buffer.concat([whole(), Buffer.from([1, 2, 3])]));
    expectUsage(await tmemsim('run', extra), `bytes after the end record, from byte offset ${whole().length}`);
  });
});
