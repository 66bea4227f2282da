import { mkdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { EVENT_OPS } from '../../../src/trace/events.js';
import { openTrace } from '../../../src/trace/reader.js';
import { drainError, HEADER, tempDir, thrown, toJsonDoc, toJsonl } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const H = JSON.stringify(HEADER);
const OPS = EVENT_OPS.join(', ');

/** Writes `events` (raw lines) as JSONL after the header and returns the error of reading it. */
function jsonlError(name: string, ...lines: string[]): string {
  const p = tmp.file(name, [H, ...lines].join('\n') + '\n');
  return drainError(() => openTrace(p)).replace(p, name);
}

/** Same as a JSON document, one raw element per line, from line 2. */
function jsonError(name: string, ...elements: string[]): string {
  const p = tmp.file(name, `${H.slice(0, -1)},"events":[\n${elements.join(',\n')}\n]}\n`);
  return drainError(() => openTrace(p)).replace(p, name);
}

function oneLine(msg: string): string {
  expect(msg).not.toContain('\n');
  return msg;
}

describe('event errors name file:line, event and field', () => {
  const good = '{"op":"anon","page":1}';

  it('unknown event kind', () => {
    expect(oneLine(jsonlError('t.jsonl', good, good, '{"op":"stor","type":0}'))).toBe(
      `t.jsonl:4, event #2, field 'op': unknown event kind 'stor' (accepted: ${OPS})`,
    );
    expect(jsonError('t.json', good, '{"op":"stor"}')).toBe(
      `t.json:3, event #1, field 'op': unknown event kind 'stor' (accepted: ${OPS})`,
    );
  });

  it('missing op, op not a string', () => {
    expect(jsonlError('t.jsonl', '{"type":0}')).toBe(`t.jsonl:2, event #0, field 'op': missing: every event names its kind (accepted: ${OPS})`);
    expect(jsonlError('t.jsonl', '{"op":7}')).toBe(
      `t.jsonl:2, event #0, field 'op': must be a string naming the event kind, got 7 (accepted: ${OPS})`,
    );
  });

  it('missing field', () => {
    expect(jsonlError('t.jsonl', good, '{"op":"frontswap_store","type":0}')).toBe(
      "t.jsonl:3, event #1, field 'offset': missing (required for frontswap_store: type, offset)",
    );
  });

  it('unknown field', () => {
    expect(jsonError('t.json', '{"op":"frontswap_load","type":0,"offset":1,"foo":2}')).toBe(
      "t.json:2, event #0, field 'foo': unknown field for frontswap_load (accepted: op, t, type, offset)",
    );
  });

  it('out of range, not an integer, wrong type', () => {
    expect(jsonlError('t.jsonl', '{"op":"file","fs":1,"inode":-3,"index":0}')).toBe(
      "t.jsonl:2, event #0, field 'inode': must be an integer 0..134217727, got -3",
    );
    expect(jsonlError('t.jsonl', '{"op":"frontswap_store","type":32,"offset":0}')).toBe(
      "t.jsonl:2, event #0, field 'type': must be an integer 0..31, got 32",
    );
    expect(jsonlError('t.jsonl', '{"op":"anon","page":1.5}')).toBe(
      "t.jsonl:2, event #0, field 'page': must be an integer 0..4294967295, got 1.5",
    );
    expect(jsonlError('t.jsonl', '{"op":"anon","page":1,"t":-1}')).toBe("t.jsonl:2, event #0, field 't': must be a number 0..9007199254740, got -1");
    expect(jsonlError('t.jsonl', '{"op":"anon","page":1,"write":"yes"}')).toBe(
      "t.jsonl:2, event #0, field 'write': must be true or false, got \"yes\"",
    );
    expect(jsonlError('t.jsonl', '{"op":"swapon","type":0,"slots":0}')).toBe(
      "t.jsonl:2, event #0, field 'slots': must be an integer 1..67108864, got 0",
    );
  });

  it('bad data specs point into the form used', () => {
    expect(jsonlError('t.jsonl', '{"op":"anon","page":1,"data":{"fill":300}}')).toBe(
      "t.jsonl:2, event #0, field 'data.fill': must be an integer 0..255, got 300",
    );
    expect(jsonlError('t.jsonl', '{"op":"anon","page":1,"data":{"class":"txt"}}')).toBe(
      "t.jsonl:2, event #0, field 'data.class': must be one of zero, fill, text, code, random, heap, vmix, got \"txt\"",
    );
    expect(jsonlError('t.jsonl', '{"op":"anon","page":1,"data":{"bytes":1}}')).toMatch(
      /^t\.jsonl:2, event #0, field 'data': must be a page data spec, got \{"bytes":1\} \(accepted: a class name/,
    );
  });

  it('an event that is not an object', () => {
    expect(jsonError('t.json', '[1,2]')).toBe('t.json:2, event #0: an event must be a JSON object, got [1,2]');
  });

  it('errors are UsageErrors carrying the structured place', () => {
    const p = tmp.file('where.jsonl', toJsonl(HEADER, [{ op: 'anon', page: -1 }]));
    try {
      for (const _ of openTrace(p).eventsSync()) void _;
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UsageError);
      expect((e as UsageError).where).toEqual({ file: p, line: 2, event: 0, field: 'page' });
    }
  });

  it('the async stream rejects with the same error', async () => {
    const p = tmp.file('async.jsonl', toJsonl(HEADER, [{ op: 'anon', page: 1 }, { op: 'nope' }]));
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const e of openTrace(p).events()) seen.push(e.loc.index);
      })(),
    ).rejects.toThrow(`${p}:3, event #1, field 'op': unknown event kind 'nope'`);
    expect(seen).toEqual([0]);
  });
});

describe('malformed JSON', () => {
  it('in a JSONL line', () => {
    expect(oneLine(jsonlError('t.jsonl', '{"op":"anon","page":1}', '{"op":"anon","page":}'))).toBe(
      "t.jsonl:3, event #1: malformed JSON: Unexpected token '}'",
    );
    expect(jsonlError('t.jsonl', '{"op" "anon"}')).toBe("t.jsonl:2, event #0: malformed JSON: Expected ':' after property name (column 7)");
  });

  it('in a JSON document event, on the line of the fault', () => {
    expect(oneLine(jsonError('t.json', '{"op":"anon","page":1}', '{"op":"anon",\n  "page" 1}'))).toBe(
      't.json:4, event #1: malformed JSON: Unexpected number (column 10)',
    );
  });

  it('in the JSONL header line', () => {
    const p = tmp.file('h.jsonl', '{"format":"tmemsim-trace",\n');
    expect(thrown(() => openTrace(p))).toMatch(new RegExp(`^${p}:1: malformed JSON in the header line: `));
  });

  it('in a header value of a document', () => {
    const p = tmp.file('hv.json', '{"format":"tmemsim-trace","version":1,\n"config":{"ram_pages":}, "events":[]}');
    expect(thrown(() => openTrace(p))).toBe(`${p}:2: malformed JSON in the value of "config": Unexpected token '}'`);
  });

  it('structure errors around events', () => {
    expect(jsonError('t.json', '{"op":"anon","page":1}', '')).toBe("t.json:4: expected event #1 after ',' (a trailing comma?)");
    const p = tmp.file('sep.json', `${H.slice(0, -1)},"events":[\n{"op":"anon","page":1}\n{"op":"anon","page":2}]}`);
    expect(drainError(() => openTrace(p))).toBe(`${p}:3: expected ',' or ']' after event #0, found '{'`);
    const q = tmp.file('tail.json', `${H.slice(0, -1)},"events":[]} {}`);
    expect(drainError(() => openTrace(q))).toBe(`${q}:1: unexpected '{' after the end of the trace document`);
    const r = tmp.file('notobj.json', '[1,2]');
    expect(thrown(() => openTrace(r))).toBe(`${r}:1: expected '{' to open the trace document, found '['`);
    const k = tmp.file('sepkey.json', '{"format":"tmemsim-trace"\n"version":1}');
    expect(thrown(() => openTrace(k))).toBe(`${k}:2: expected ',' or '}' after the value of "format", found '"'`);
    const t = tmp.file('cutkey.json', '{"format":"tmemsim-trace"\n');
    expect(thrown(() => openTrace(t))).toBe(`${t}:2: truncated trace: the file ends here; expected ',' or '}' after the value of "format"`);
  });
});

describe('truncated and misordered documents', () => {
  it('a truncated document names the line where the event began', () => {
    const full = toJsonDoc(HEADER, [{ op: 'anon', page: 1 }, { op: 'anon', page: 2 }, { op: 'anon', page: 3 }]);
    const p = tmp.file('cut.json', full.slice(0, full.lastIndexOf('"page":3')));
    expect(oneLine(drainError(() => openTrace(p)))).toBe(
      `${p}:4: truncated trace: the file ends here; event #2 (from line 4) never ends`,
    );
    const q = tmp.file('cut2.json', full.slice(0, full.lastIndexOf(']}')));
    expect(drainError(() => openTrace(q))).toBe(`${q}:5: truncated trace: the file ends here; expected ',' or ']' after event #2`);
    const r = tmp.file('cut3.json', H.slice(0, H.indexOf('"swap"')));
    expect(thrown(() => openTrace(r))).toBe(`${r}:1: truncated trace: the file ends here; the value of "config" never ends`);
  });

  it('events before the header keys: error naming the fix', () => {
    const p = tmp.file('first.json', `{"events":[{"op":"anon","page":1}],\n"format":"tmemsim-trace","version":1,"config":{}}`);
    expect(thrown(() => openTrace(p))).toBe(
      `${p}:1, field 'format': "events" comes before "format", "version", "config": the header keys must come before ` +
        '"events" so events can stream (move "events" to the end of the document)',
    );
  });

  it('a header key after events: error when reached', () => {
    const p = tmp.file('after.json', `${H.slice(0, -1)},"events":[{"op":"anon","page":1}],\n"content":{"default":"zero"}}`);
    expect(drainError(() => openTrace(p))).toBe(
      `${p}:2, field 'content': key "content" after the events array: the header keys must come before "events" (move "events" to the end)`,
    );
  });

  it('no events array, duplicate keys', () => {
    const p = tmp.file('noev.json', H);
    expect(thrown(() => openTrace(p))).toBe(
      `${p}:1, field 'events': missing: a JSON trace document needs an "events" array after its header keys`,
    );
    const q = tmp.file('dup.json', `${H.slice(0, -1)},"version":1,"events":[]}`);
    expect(thrown(() => openTrace(q))).toBe(`${q}:1, field 'version': duplicate key "version"`);
  });
});

describe('header errors', () => {
  it('bad format and version', () => {
    const p = tmp.file('v2.jsonl', toJsonl({ ...HEADER, version: 2 }, []));
    expect(thrown(() => openTrace(p))).toBe(`${p}:1, field 'version': unsupported trace format version 2 (accepted: 1)`);
    const q = tmp.file('fmt.json', toJsonDoc({ ...HEADER, format: 'other' }, []));
    expect(thrown(() => openTrace(q))).toBe(`${q}:1, field 'format': not a tmemsim trace: format is "other" (accepted: "tmemsim-trace")`);
  });

  it('a nested config error points at the line of its key', () => {
    const p = tmp.file('cfg.json', '{"format":"tmemsim-trace","version":1,\n\n"config":{"swap":[{"type":0}]},"events":[]}');
    expect(thrown(() => openTrace(p))).toBe(`${p}:3, field 'config.swap[0].slots': missing (required in config.swap[0]: type, slots)`);
    const q = tmp.file('cfg.jsonl', `# c\n${JSON.stringify({ ...HEADER, config: { ram_pages: 1, ram_mb: 4 } })}\n`);
    expect(thrown(() => openTrace(q))).toBe(`${q}:2, field 'config.ram_mb': config.ram_pages and config.ram_mb exclude each other: give one`);
    const r = tmp.file('cfg2.jsonl', `${JSON.stringify({ ...HEADER, config: { swapiness: 60 } })}\n`);
    expect(thrown(() => openTrace(r))).toMatch(
      new RegExp(`^${r}:1, field 'config.swapiness': unknown field in config \\(accepted: description, ram_pages, .*swappiness`),
    );
  });

  it('a JSON document named .jsonl', () => {
    const p = tmp.file('doc.jsonl', toJsonDoc(HEADER, []).replace(/\n/g, ''));
    expect(thrown(() => openTrace(p))).toBe(
      `${p}:1, field 'events': a JSONL trace has the header alone on its first line, and one event per following line ` +
        '(is this a JSON document? name it .json or pass --input-format json)',
    );
  });

  it('empty files', () => {
    const p = tmp.file('e.jsonl', '\n# nothing\n');
    expect(thrown(() => openTrace(p))).toMatch(new RegExp(`^${p}: empty trace: expected a header line`));
    const q = tmp.file('e.json', '  \n');
    expect(thrown(() => openTrace(q))).toMatch(new RegExp(`^${q}:2: empty trace: expected a JSON object`));
  });
});

describe('opening', () => {
  it('unknown extension lists the accepted formats', () => {
    const p = tmp.file('trace.dat', 'x');
    expect(thrown(() => openTrace(p))).toBe(
      `${p}: unknown trace file extension '.dat'; name the format with --input-format (accepted: json (.json), jsonl (.jsonl, .ndjson), tmtb (.tmtb), csv (.csv, .csv.gz), txt (.txt, .txt.gz), oracleGeneral (.oraclegeneral.bin, .oraclegeneral, .oraclegeneral.bin.gz), vscsi (.vscsi, .vscsi.gz), pageref (.pageref, .pageref.gz, .trc, .trc.gz), bpftrace (.bpftrace, .bpftrace.gz))`,
    );
  });

  it('unknown --input-format lists the formats', () => {
    expect(thrown(() => openTrace('x.json', { format: 'xml' }))).toBe("unknown input format 'xml' (accepted: json, jsonl, tmtb, csv, txt, oracleGeneral, vscsi, pageref, bpftrace)");
  });

  it('a missing file is ENOENT', () => {
    const p = `${tmp.dir}/missing.jsonl`;
    expect(thrown(() => openTrace(p))).toBe(`${p}: cannot read trace: ENOENT: no such file or directory`);
  });

  it('a directory cannot be read', () => {
    const p = `${tmp.dir}/dir.json`;
    mkdirSync(p);
    expect(thrown(() => openTrace(p))).toBe(`${p}: cannot read trace: EISDIR: illegal operation on a directory, read`);
  });
});
