/**
 * convertTrace(): any readable trace to tmemsim JSONL or JSON, streaming;
 * the output reads back as the same header and events.
 */

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { convertTrace, outputFormatFor } from '../../../src/trace/convert.js';
import { openTrace } from '../../../src/trace/reader.js';
import { collectSync, tempDir, thrown } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const TRACES = resolve(__dirname, '../../../../shared/traces');

async function rejected(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe('convertTrace', () => {
  const csv = tmp.file('small.csv', 'time,op,size,lbn\n1,2a,512,8\n1,28,8192,17\n2,r,0,4000000000\n');

  it('writes JSONL: the header first, then one event per line; it reads back identically', async () => {
    const out = join(tmp.dir, 'small.jsonl');
    const r = await convertTrace(csv, out, { formatOptions: { time: 'keep' } });
    expect(r).toEqual({ input: csv, inputFormat: 'csv', output: out, outputFormat: 'jsonl', events: 5 });
    const lines = readFileSync(out, 'utf8').split('\n');
    expect(lines.length).toBe(7);
    expect(JSON.parse(lines[0]!)).toMatchObject({ format: 'tmemsim-trace', version: 1, config: { ram_mb: 64, mounts: [{ fs: 1 }] }, content: { default: 'text' } });
    // lbn 8 (512 B) is page 1; lbn 17 (8 KiB from byte 8704) is pages 2..4; lbn 4e9 is page 5e8 = inode 476, index 877824.
    expect(lines.slice(1)).toEqual([
      '{"op":"file","fs":1,"inode":0,"index":1,"write":true,"t":0}',
      '{"op":"file","fs":1,"inode":0,"index":2,"t":0}',
      '{"op":"file","fs":1,"inode":0,"index":3,"t":0}',
      '{"op":"file","fs":1,"inode":0,"index":4,"t":0}',
      '{"op":"file","fs":1,"inode":476,"index":877824,"t":1000000}',
      '',
    ]);
    const direct = openTrace(csv, { formatOptions: { time: 'keep' } });
    const back = openTrace(out);
    expect(back.header).toEqual(direct.header);
    expect(collectSync(back).map((e) => e.event)).toEqual(collectSync(direct).map((e) => e.event));
  });

  it('writes the JSON document form for a .json output or --output-format json', async () => {
    const out = join(tmp.dir, 'small.json');
    expect((await convertTrace(csv, out)).outputFormat).toBe('json');
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    expect(doc.events.length).toBe(5);
    expect(collectSync(openTrace(out)).map((e) => e.event)).toEqual(collectSync(openTrace(csv)).map((e) => e.event));
    const forced = join(tmp.dir, 'forced.out');
    await convertTrace(csv, forced, { outputFormat: 'json' });
    expect(readFileSync(forced, 'utf8')).toBe(readFileSync(out, 'utf8'));
    const empty = tmp.file('empty.txt', '');
    const eo = join(tmp.dir, 'empty.json');
    expect((await convertTrace(empty, eo)).events).toBe(0);
    expect(JSON.parse(readFileSync(eo, 'utf8')).events).toEqual([]);
  });

  it('converts the real vscsi sample (1,141,869 events) and tmemsim formats to each other', async () => {
    const out = join(tmp.dir, 'cp.jsonl');
    const r = await convertTrace(join(TRACES, 'cloudPhysicsIO.vscsi'), out);
    expect(r.events).toBe(1_141_869);
    let n = 0;
    for (const _ of openTrace(out).eventsSync()) n++;
    expect(n).toBe(1_141_869);
    const again = join(tmp.dir, 'cp.json');
    expect((await convertTrace(out, again)).events).toBe(1_141_869);
  });

  it('a failed conversion leaves no output; bad output choices are errors', async () => {
    const bad = tmp.file('bad.csv', 'lbn\n1\nx\n');
    const out = join(tmp.dir, 'bad.jsonl');
    expect(await rejected(convertTrace(bad, out))).toContain("bad.csv:3, field 'obj-id-col': 'x' is not an unsigned integer");
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(tmp.dir).filter((f) => f.includes('.tmp'))).toEqual([]);
    expect(await rejected(convertTrace(csv, csv, { format: 'csv' }))).toContain('the output is the input file');
    expect(thrown(() => outputFormatFor('x.jsonl', 'yaml'))).toBe("field '--output-format': unknown output format 'yaml' (accepted: jsonl, json, tmtb)");
    expect(await rejected(convertTrace(csv, join(tmp.dir, 'no/such/dir/x.jsonl')))).toMatch(/cannot write ".*x\.jsonl": ENOENT/);
  });
});
