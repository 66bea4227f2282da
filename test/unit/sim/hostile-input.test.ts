/**
 * Issue 16's input reproducers not covered elsewhere, each as a regression
 * test through the CLI in-process: JSON nested 6,000 deep in a header, an
 * event and a whole document fails fast with one line (no "Maximum call stack
 * size exceeded" in the error printer); a value from the input with a newline,
 * carriage return, NUL and an escape code is echoed escaped on one line;
 * "not JSON" keeps V8's excerpt on one line; ram_mb over its maximum names
 * the maximum (not "must be a number > 0").
 */

import { afterAll, describe, expect, it } from 'vitest';
import { expectOneLineError as oneLine, tmemsim } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/files.js';

const tmp = tempDir('tmemsim-input-');
afterAll(() => tmp.cleanup());
const HEADER = JSON.stringify({ format: 'tmemsim-trace', version: 1, config: { ram_pages: 64 } });
const deep = (n: number, open: string, close: string, inner = ''): string => open.repeat(n) + inner + close.repeat(n);

describe('hostile input: nesting, raw values, excerpts', () => {
  it('JSON nested 6,000 deep in a header, an event or a whole document is one line, exit 2', async () => {
    const cases: [string, string, string][] = [
      ['header.jsonl', `{"format":"tmemsim-trace","version":1,"config":{"ram_pages":64,"params":{"x":${deep(6000, '[', ']')}}}}\n`, "field 'config.params.x'"],
      ['event.jsonl', `${HEADER}\n{"op":"insmod","backend":"zcache","params":{"a":${deep(6000, '{"b":', '}', '1')}}}\n`, "event #0, field 'params.a'"],
      ['events.json', `{"format":"tmemsim-trace","version":1,"config":{"ram_pages":64},"events":[${deep(6000, '[', ']')}]}`, 'event #0'],
      ['object.json', `{"format":"tmemsim-trace","version":1,"config":{"ram_pages":64},"events":[{"op":"anon","page":${deep(6000, '{"a":', '}', '1')}}]}`, "field 'page'"],
    ];
    for (const [name, text, where] of cases) {
      const line = oneLine(await tmemsim('run', tmp.file(name, text), '--profile', 'ssd'));
      expect(line, name).toContain(where);
      expect(line.length, name).toBeLessThan(400);
    }
    // A profile file and a sweep file nested as deep.
    const prof = tmp.file('deep-profile.json', `{"format":"tmemsim-profile","version":1,"name":"x","extends":"ssd","cpu":${deep(6000, '{"hz":', '}', '1')}}`);
    expect(oneLine(await tmemsim('profiles', '--show', prof))).toContain('deep-profile.json');
    const sweep = tmp.file('deep-sweep.json', `{"workloads":${deep(6000, '[', ']')}}`);
    expect(oneLine(await tmemsim('sweep', '--file', sweep))).toContain('deep-sweep.json');
  });

  it('a value with a newline, carriage return, NUL and escape code is echoed escaped, on one line', async () => {
    const ev = JSON.stringify({ op: 'insmod', backend: 'a\nb\r\u0000\u001b[31mz' });
    const line = oneLine(await tmemsim('run', tmp.file('raw.jsonl', `${HEADER}\n${ev}\n`), '--profile', 'ssd'));
    expect(line).toContain("unknown backend 'a\\nb\\r\\u0000\\u001b[31mz'");
    expect(line).not.toMatch(/[\u0000-\u001f]/);
    const mark = JSON.stringify({ op: 'param', name: 'x\u2028y', value: '\u001b]0;title\u0007' });
    expect(oneLine(await tmemsim('run', tmp.file('raw2.jsonl', `${HEADER}\n{"op":"insmod","backend":"zcache"}\n${mark}\n`), '--profile', 'ssd'))).not.toMatch(/[\u0000-\u001f\u2028]/);
  });

  it('"not JSON" keeps V8\'s excerpt of a document with newlines on one line (compare, profiles --show, sweep --file)', async () => {
    const f = tmp.file('nl.json', '{"a":\n\nx\r\n\n}');
    for (const args of [['compare', f, f], ['profiles', '--show', f], ['sweep', '--file', f]]) {
      const line = oneLine(await tmemsim(...args));
      expect(line, args[0]).toContain('nl.json: not JSON');
      expect(line, args[0]).not.toMatch(/[\r\n]/);
    }
  });

  it('merge, sweep --file and profiles --show of an endless file (/dev/zero) end at once with one line', async () => {
    expect(oneLine(await tmemsim('merge', '/dev/zero'))).toContain('/dev/zero: not JSON');
    expect(oneLine(await tmemsim('sweep', '--file', '/dev/zero'))).toContain('/dev/zero: not JSON');
    expect(oneLine(await tmemsim('compare', '/dev/zero', '/dev/zero'))).toContain('/dev/zero: not JSON');
  });

  it('ram_mb over its maximum names the maximum', async () => {
    const f = tmp.file('mb.jsonl', `${JSON.stringify({ format: 'tmemsim-trace', version: 1, config: { ram_mb: 1e9 } })}\n`);
    expect(oneLine(await tmemsim('run', f, '--profile', 'ssd'))).toContain("field 'config.ram_mb': must be a number > 0 and <= 16777216, got 1000000000");
  });
});
