/**
 * The bpftrace capture importer on the hand-made sample in
 * test/fixtures/capture-sample.bpftrace (the format of
 * scripts/tmemsim-capture.bt): exact event counts, the header it makes, the
 * device/inode mapping, time, replay, and one-line errors for bad lines.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openTrace } from '../../../src/trace/reader.js';
import { run } from '../../../src/api.js';
import type { TraceEvent } from '../../../src/trace/events.js';
import { ROOT, expectOneLineError, tmemsim, tmemsimIn } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/files.js';

const SAMPLE = path.join(ROOT, 'test/fixtures/capture-sample.bpftrace');
const tmp = tempDir('tmemsim-bpf-');
const DIR = tmp.dir;
afterAll(() => tmp.cleanup());

function events(file: string, opts: Record<string, string> = {}): { ev: TraceEvent; line: number }[] {
  const src = openTrace(file, { format: 'bpftrace', formatOptions: opts });
  const out: { ev: TraceEvent; line: number }[] = [];
  for (const { event, loc } of src.eventsSync()) out.push({ ev: { ...event }, line: loc.line });
  return out;
}

function write(name: string, text: string): string {
  return tmp.file(name, text);
}

describe('bpftrace capture importer', () => {
  it('imports the sample with exact event counts', () => {
    const evs = events(SAMPLE);
    const by: Record<string, number> = {};
    for (const { ev } of evs) by[ev.op] = (by[ev.op] ?? 0) + 1;
    expect(by).toEqual({ frontswap_store: 187, frontswap_load: 114, cleancache_get: 253, cleancache_put: 146 });
    expect(evs).toHaveLength(700);
    // 703 lines: the "Attaching" line and two comments are skipped; the first event is on line 4.
    expect(evs[0]!.line).toBe(4);
    expect(evs.at(-1)!.line).toBe(703);
  });

  it('makes a header with every swap type and device of the capture', () => {
    const lines = fs.readFileSync(SAMPLE, 'utf8').split('\n').filter((l) => /^\d/.test(l)).map((l) => l.split(' '));
    const maxOff = (type: string) => Math.max(...lines.filter((f) => f[1]!.startsWith('SWP') && f[3] === type).map((f) => Number(f[4])));
    const h = openTrace(SAMPLE, { format: 'bpftrace' }).header;
    expect(h.config.swap).toEqual([{ type: 0, slots: maxOff('0') + 1 }, { type: 1, slots: maxOff('1') + 1 }]);
    expect(h.config.mounts).toEqual([{ fs: 0 }, { fs: 1 }]);
    expect(h.config.backend).toBe('zcache');
    expect(h.content).toEqual({ default: { heap: 3, text: 1 } });
  });

  it('maps devices to filesystems and (device, inode, index >> 20) to dense inodes; time in microseconds', () => {
    const text = [
      '1000000 PGADD 5 259:2 5242881 7 Web Content',
      '1002500 PGADD 5 8:17 12 0 cat',
      '1003000 PGADD 5 259:2 5242881 1048583 Web Content',
      '1004000 PGDEL 97 259:2 5242881 7 kswapd0',
      '1010999 SWPOUT 97 3 67108863 kswapd0',
      '1020000 SWPIN 12 3 67108863 Xorg',
    ].join('\n');
    const evs = events(write('map.bpftrace', text)).map((e) => e.ev);
    expect(evs).toEqual([
      { op: 'cleancache_get', fs: 0, inode: 0, index: 7, t: 0 },
      { op: 'cleancache_get', fs: 1, inode: 1, index: 0, t: 2 },
      { op: 'cleancache_get', fs: 0, inode: 2, index: 7, t: 3 },
      { op: 'cleancache_put', fs: 0, inode: 0, index: 7, t: 4 },
      { op: 'frontswap_store', type: 3, offset: 67108863, t: 10 },
      { op: 'frontswap_load', type: 3, offset: 67108863, t: 20 },
    ]);
    expect(events(write('map2.bpftrace', text), { time: 'none' }).map((e) => 't' in e.ev)).toEqual([false, false, false, false, false, false]);
  });

  it('replays: every stored page loads back as stored', async () => {
    const rep = await run({ trace: SAMPLE, profiles: ['ssd'] });
    const b = rep.runs[0]!.backend;
    expect(b.events).toBe(700);
    expect(b.frontswap.succ_stores + b.frontswap.failed_stores).toBe(187);
    expect(b.frontswap.loads).toBe(114);
    expect(b.cleancache.puts).toBe(146);
    expect(b.cleancache.succ_gets + b.cleancache.failed_gets).toBe(253);
    expect(b.oracle.stale).toBe(0);
    expect(b.oracle.lost).toBe(0);
  });

  const bad: [string, string, RegExp][] = [
    ['kind', '1 SWPOUT 9 0 1 kswapd0\n2 SWAPOUT 9 0 1 kswapd0\n', /\/bad-kind\.bpftrace:2, field 'kind': unknown event 'SWAPOUT' \(accepted: SWPOUT, SWPIN, PGADD, PGDEL\)$/],
    ['offset', '# c\n1 SWPIN 9 0 x12 kswapd0\n', /\/bad-offset\.bpftrace:2, field 'offset': 'x12' is not an unsigned integer \(accepted: an integer 0\.\.67108863\)$/],
    ['type', '1 SWPOUT 9 32 1 kswapd0\n', /field 'type': 32 is out of range \(accepted: an integer 0\.\.31\)/],
    ['comm', '1 SWPOUT 9 0 1\n', /:1, field 'comm': missing/],
    ['dev', '1 PGADD 9 259-2 12 0 cat\n', /field 'dev': '259-2' is not MAJOR:MINOR/],
    ['time', '-5 PGADD 9 259:2 12 0 cat\n', /field 'time': '-5' is not an unsigned integer/],
    ['empty', '# nothing\n', /no events: the file holds no capture line/],
  ];
  for (const [name, text, msg] of bad) {
    it(`a bad line (${name}) is one line naming file, line and field, exit 2`, async () => {
      const file = write(`bad-${name}.bpftrace`, text);
      expect(() => openTrace(file)).toThrow(msg);
      const r = await tmemsimIn(DIR, ['run', file]);
      expect(expectOneLineError(r)).toMatch(/^tmemsim: /);
    });
  }

  it('unknown options are usage errors; trace convert writes the same events', async () => {
    expect(() => openTrace(SAMPLE, { format: 'bpftrace', formatOptions: { 'page-size': 4096 } })).toThrow(/unknown option 'page-size' for input format bpftrace \(accepted: time, ram-mb, backend, content\)/);
    const out = path.join(DIR, 'sample.jsonl');
    const r = await tmemsim('trace', 'convert', SAMPLE, out);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/: 700 events/);
    const again = [...openTrace(out).eventsSync()].map(({ event }) => ({ ...event }));
    expect(again).toEqual(events(SAMPLE).map((e) => e.ev));
  });
});
