import { afterAll, describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../../src/trace/events.js';
import { openTrace, readTraceHeader } from '../../../src/trace/reader.js';
import { collectAsync, collectSync, HEADER, tempDir, toJsonDoc, toJsonl } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const EVENTS: TraceEvent[] = [
  { op: 'swapon', type: 1, slots: 100 },
  { op: 'mount', fs: 2, uuid: 'f00d-[{"}]' },
  { op: 'insmod', backend: 'zcache', params: { max_pool_percent: 20, debug: true, alloc: 'zbud' } },
  { op: 'frontswap_store', type: 0, offset: 7, data: 'text', t: 10.5 },
  { op: 'frontswap_store', type: 0, offset: 8, data: { fill: 255 } },
  { op: 'frontswap_load', type: 0, offset: 7, t: 11 },
  { op: 'frontswap_invalidate_page', type: 0, offset: 7 },
  { op: 'frontswap_invalidate_area', type: 1 },
  { op: 'cleancache_put', fs: 1, inode: 134217727, index: 1048575, data: { class: 'code', seed: 42 } },
  { op: 'cleancache_get', fs: 1, inode: 5, index: 0 },
  { op: 'cleancache_invalidate_page', fs: 1, inode: 5, index: 0 },
  { op: 'cleancache_invalidate_inode', fs: 1, inode: 5 },
  { op: 'cleancache_invalidate_fs', fs: 1 },
  { op: 'anon', pid: 2097151, page: 4294967295, write: true, data: { b64: 'AAEC' } },
  { op: 'anon', page: 0 },
  { op: 'file', fs: 1, inode: 3, index: 9, write: false, data: { corpus: 12 } },
  { op: 'param', name: 'zcache.enabled', value: false },
  { op: 'param', name: 'note', value: 'a "quoted" ]} string \\ with \\"escapes\\" [{' },
  { op: 'rmmod', strategy: 'drain' },
  { op: 'rmmod' },
  { op: 'umount', fs: 2 },
  { op: 'swapoff', type: 1 },
];

describe('JSON document and JSONL twins', () => {
  it('yield identical events with identical lines and indices', async () => {
    const doc = openTrace(tmp.file('twin.json', toJsonDoc(HEADER, EVENTS)));
    const lines = openTrace(tmp.file('twin.jsonl', toJsonl(HEADER, EVENTS)));
    expect(doc.header).toEqual(HEADER);
    expect(lines.header).toEqual(HEADER);
    const a = collectSync(doc);
    const b = collectSync(lines);
    expect(a.map((e) => e.event)).toEqual(EVENTS);
    expect(b).toEqual(a);
    expect(a.map((e) => e.line)).toEqual(EVENTS.map((_, i) => i + 2));
    expect(a.map((e) => e.index)).toEqual(EVENTS.map((_, i) => i));
    expect(await collectAsync(doc)).toEqual(a);
    expect(await collectAsync(lines)).toEqual(a);
  });

  it('can replay a source more than once', () => {
    const src = openTrace(tmp.file('again.jsonl', toJsonl(HEADER, EVENTS)));
    expect(collectSync(src)).toEqual(collectSync(src));
  });

  it('knows the start line of events in a pretty-printed document', () => {
    const text = JSON.stringify({ ...HEADER, events: EVENTS }, null, 2);
    const src = openTrace(tmp.file('pretty.json', text));
    const got = collectSync(src);
    expect(got.map((e) => e.event)).toEqual(EVENTS);
    const textLines = text.split('\n');
    for (const e of got) {
      // the line the event starts on holds a lone '{' at the events' indent
      expect(textLines[e.line - 1]).toBe('    {');
    }
    expect(new Set(got.map((e) => e.line)).size).toBe(EVENTS.length);
  });

  it('reads a minified document on one line', () => {
    const src = openTrace(tmp.file('min.json', JSON.stringify({ ...HEADER, events: EVENTS })));
    const got = collectSync(src);
    expect(got.map((e) => e.event)).toEqual(EVENTS);
    expect(got.every((e) => e.line === 1)).toBe(true);
  });

  it('accepts content before events, in any header key order', () => {
    const text =
      '{"config": {"ram_mb": 64}, "content": {"corpus": "pages.bin", "default": {"text": 3, "zero": 1}},\n' +
      ' "version": 1, "format": "tmemsim-trace",\n "events": [ {"op": "anon", "page": 1} ] }';
    const src = openTrace(tmp.file('order.json', text));
    expect(src.header.content).toEqual({ corpus: 'pages.bin', default: { text: 3, zero: 1 } });
    expect(collectSync(src)).toEqual([{ event: { op: 'anon', page: 1 }, line: 3, index: 0 }]);
  });

  it('reads an empty events array', () => {
    expect(collectSync(openTrace(tmp.file('empty.json', toJsonDoc(HEADER, []))))).toEqual([]);
    expect(collectSync(openTrace(tmp.file('empty.jsonl', toJsonl(HEADER, []))))).toEqual([]);
    expect(collectSync(openTrace(tmp.file('empty2.json', '{"format":"tmemsim-trace","version":1,"config":{},"events":[]}')))).toEqual([]);
  });
});

describe('JSONL line handling', () => {
  it('reads CRLF line ends and a last line without a newline', () => {
    const text = toJsonl(HEADER, EVENTS, '\r\n').slice(0, -2);
    const got = collectSync(openTrace(tmp.file('crlf.jsonl', text)));
    expect(got.map((e) => e.event)).toEqual(EVENTS);
    expect(got.map((e) => e.line)).toEqual(EVENTS.map((_, i) => i + 2));
  });

  it('skips blank and comment lines, keeping line numbers', () => {
    const text = [
      '# a tmemsim trace',
      '',
      JSON.stringify(HEADER),
      '   ',
      '  # indented comment {"op":"nope"}',
      '{"op":"anon","page":1}',
      '\t',
      '',
      '  {"op":"anon","page":2}  ',
      '# the end',
    ].join('\n');
    const src = openTrace(tmp.file('comments.ndjson', text));
    expect(src.header).toEqual(HEADER);
    expect(collectSync(src)).toEqual([
      { event: { op: 'anon', page: 1 }, line: 6, index: 0 },
      { event: { op: 'anon', page: 2 }, line: 9, index: 1 },
    ]);
  });

  it('strips a UTF-8 byte order mark', () => {
    const src = openTrace(tmp.file('bom.jsonl', '\uFEFF' + toJsonl(HEADER, EVENTS.slice(0, 2))));
    expect(collectSync(src).map((e) => e.event)).toEqual(EVENTS.slice(0, 2));
    const doc = openTrace(tmp.file('bom.json', '\uFEFF' + toJsonDoc(HEADER, EVENTS.slice(0, 2))));
    expect(collectSync(doc).map((e) => e.event)).toEqual(EVENTS.slice(0, 2));
  });
});

describe('format choice', () => {
  it('uses --input-format over the extension', () => {
    const p = tmp.file('trace.txt', toJsonl(HEADER, EVENTS.slice(0, 1)));
    expect(collectSync(openTrace(p, { format: 'jsonl' })).length).toBe(1);
    expect(readTraceHeader(p, { format: 'jsonl' })).toEqual(HEADER);
    const q = tmp.file('doc.data', toJsonDoc(HEADER, EVENTS.slice(0, 3)));
    expect(collectSync(openTrace(q, { format: 'json' })).length).toBe(3);
  });

  it('reads extensions case-insensitively', () => {
    const p = tmp.file('UPPER.JSONL', toJsonl(HEADER, EVENTS.slice(0, 1)));
    expect(collectSync(openTrace(p)).length).toBe(1);
  });
});

describe('the examples in docs/trace-format.md', () => {
  it('read as they are shown', async () => {
    const { readFileSync } = await import('node:fs');
    const md = readFileSync(new URL('../../../docs/trace-format.md', import.meta.url), 'utf8');
    const blocks = [...md.matchAll(/```(json|jsonl)\n([\s\S]*?)```/g)];
    expect(blocks.map((b) => b[1])).toEqual(['json', 'jsonl']);
    for (const [, lang, text] of blocks) {
      const src = openTrace(tmp.file(`doc-example.${lang}`, text ?? ''));
      expect(src.header.format).toBe('tmemsim-trace');
      expect(collectSync(src).length).toBe(3);
    }
  });
});
