import { closeSync, existsSync, openSync, readdirSync, writeSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../../src/trace/events.js';
import { openTrace } from '../../../src/trace/reader.js';
import { HEADER, tempDir, toJsonDoc, toJsonl } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** Event i of a deterministic mixed trace. */
function eventAt(i: number): TraceEvent {
  switch (i % 5) {
    case 0:
      return { op: 'frontswap_store', type: i % 32, offset: i, t: i * 1.5 };
    case 1:
      return { op: 'frontswap_load', type: i % 32, offset: i - 1 };
    case 2:
      return { op: 'cleancache_put', fs: i % 64, inode: i % 100_000, index: i % 1000, data: { fill: i % 256 } };
    case 3:
      return { op: 'anon', pid: i % 7, page: i * 3, write: i % 2 === 0 };
    default:
      return { op: 'param', name: `p${i}`, value: i % 3 === 0 ? 'x]}[{"\\' : i };
  }
}

/** Writes a JSON document of n events (one per line, event i on line i + 2) in pieces. */
function writeDoc(name: string, n: number, at: (i: number) => unknown): string {
  const path = `${tmp.dir}/${name}`;
  const fd = openSync(path, 'w');
  writeSync(fd, `${JSON.stringify(HEADER).slice(0, -1)},"events":[\n`);
  let buf: string[] = [];
  for (let i = 0; i < n; i++) {
    buf.push(JSON.stringify(at(i)) + (i < n - 1 ? ',' : ''));
    if (buf.length === 5000 || i === n - 1) {
      writeSync(fd, buf.join('\n') + '\n');
      buf = [];
    }
  }
  writeSync(fd, ']}\n');
  closeSync(fd);
  return path;
}

function gcFn(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

describe('streaming', () => {
  it('streams a 100k-event document: every event, in order, with its line', () => {
    const n = 100_000;
    const src = openTrace(writeDoc('big.json', n, eventAt));
    let i = 0;
    for (const { event, loc } of src.eventsSync()) {
      if (loc.index !== i || loc.line !== i + 2) throw new Error(`event ${i}: at ${loc.index}, line ${loc.line}`);
      if (!isDeepStrictEqual(event, eventAt(i))) expect(event).toEqual(eventAt(i));
      i++;
    }
    expect(i).toBe(n);
  });

  it('keeps the heap flat while reading a 300k-event document', () => {
    const gc = gcFn();
    const n = 300_000;
    const path = writeDoc('heap.json', n, eventAt);
    gc();
    const base = process.memoryUsage().heapUsed;
    let peak = 0;
    let count = 0;
    for (const { loc } of openTrace(path).eventsSync()) {
      count++;
      if (loc.index % 50_000 === 49_999) {
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed - base);
      }
    }
    expect(count).toBe(n);
    // the document is ~18 MB; holding its events would take far more
    expect(peak).toBeLessThan(8 << 20);
  });

  it('keeps multi-byte characters whole across chunk boundaries', () => {
    const at = (i: number): TraceEvent => ({ op: 'mount', fs: i % 64, uuid: `ü€😀${i}`.repeat(1 + (i % 5)) });
    const n = 40_000;
    const events = Array.from({ length: n }, (_, i) => at(i));
    const doc = openTrace(tmp.file('utf8.json', toJsonDoc(HEADER, events)));
    const lines = openTrace(tmp.file('utf8.jsonl', toJsonl(HEADER, events)));
    for (const src of [doc, lines]) {
      let i = 0;
      for (const { event, loc } of src.eventsSync()) {
        if (loc.line !== i + 2) throw new Error(`line ${loc.line} for event ${i}`);
        if (!isDeepStrictEqual(event, events[i])) expect(event).toEqual(events[i]);
        i++;
      }
      expect(i).toBe(n);
    }
  });

  it('reads header values and lines longer than a chunk', () => {
    const header = { ...HEADER, config: { ...HEADER.config, description: 'd'.repeat(3 << 20) } };
    const events: TraceEvent[] = [{ op: 'anon', page: 1 }, { op: 'param', name: 'long', value: 'v'.repeat(2 << 20) }, { op: 'anon', page: 2 }];
    for (const [name, text] of [
      ['long.json', toJsonDoc(header, events)],
      ['long.jsonl', toJsonl(header, events)],
    ] as const) {
      const src = openTrace(tmp.file(name, text));
      expect(src.header.config.description?.length).toBe(3 << 20);
      const got = [...src.eventsSync()].map((e) => e.event);
      expect(got).toEqual(events);
    }
  });

  it('rejects a value longer than 16 MiB (a missing newline or bracket)', () => {
    const big = 'x'.repeat(17 << 20);
    const p = tmp.file('huge.jsonl', `${JSON.stringify(HEADER)}\n{"op":"param","name":"n","value":"${big}`);
    expect(() => [...openTrace(p).eventsSync()]).toThrow(`${p}:2: line longer than 16777216 bytes: a newline is probably missing`);
    const q = tmp.file('huge.json', `${JSON.stringify(HEADER).slice(0, -1)},"events":[\n{"op":"param","name":"n","value":"${big}`);
    expect(() => [...openTrace(q).eventsSync()]).toThrow(`a value longer than 16777216 bytes: a bracket or quote is probably missing`);
  });

  it('mixes fast-path and fallback events across chunk boundaries', () => {
    // escapes and nesting force the JSON.parse path; sizes vary so boundaries fall everywhere
    const at = (i: number): TraceEvent =>
      i % 3 === 0
        ? { op: 'insmod', backend: `b\\"${'y'.repeat(i % 97)}`, params: { a: i, nested: 'q' } }
        : { op: 'anon', page: i, data: i % 2 ? { class: 'heap', seed: i } : 'zero' };
    const n = 60_000;
    const events = Array.from({ length: n }, (_, i) => at(i));
    for (const [name, text] of [
      ['mixed.json', toJsonDoc(HEADER, events)],
      ['mixed.jsonl', toJsonl(HEADER, events)],
      ['mixed-pretty.json', JSON.stringify({ ...HEADER, events }, null, 2)],
    ] as const) {
      let i = 0;
      for (const { event } of openTrace(tmp.file(name, text)).eventsSync()) {
        if (!isDeepStrictEqual(event, events[i])) expect(event).toEqual(events[i]);
        i++;
      }
      expect(i).toBe(n);
    }
  });

  it.runIf(existsSync('/proc/self/fd'))('closes the file when iteration ends, stops early or fails', async () => {
    const fds = (): number => readdirSync('/proc/self/fd').length;
    const good = openTrace(writeDoc('early.json', 1000, eventAt));
    const bad = openTrace(tmp.file('bad.jsonl', toJsonl(HEADER, [{ op: 'anon', page: 1 }, { op: 'x' }])));
    const before = fds();
    for (let k = 0; k < 20; k++) {
      for (const { loc } of good.eventsSync()) if (loc.index === 3) break;
      for await (const { loc } of good.events()) if (loc.index === 3) break;
      for (const _ of good.eventsSync()) void _;
      expect(() => [...bad.eventsSync()]).toThrow();
    }
    expect(fds()).toBe(before);
  });
});
