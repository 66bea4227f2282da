import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLASS_NAMES } from '../../../src/content/page.js';
import { EVENT_OPS, LIMITS, type EventLocation } from '../../../src/trace/events.js';
import { SCHEMA_URL, validateEvent, validateHeader } from '../../../src/trace/validate.js';
import { HEADER, thrown } from './helpers.js';

const loc: EventLocation = { file: 'trace.jsonl', line: 14, index: 12 };
const ev = (obj: unknown) => thrown(() => validateEvent(obj, loc));
const hdr = (config: unknown, extra: object = {}) =>
  thrown(() => validateHeader({ format: 'tmemsim-trace', version: 1, config, ...extra }, { file: 't.json', line: 1 }));

describe('validateEvent', () => {
  it('returns valid events as they are', () => {
    const e = { op: 'cleancache_get', fs: 63, inode: LIMITS.maxInode, index: LIMITS.maxIndex, t: 0 };
    expect(validateEvent(e, loc)).toBe(e);
  });

  it('shapes one line per failure', () => {
    expect(ev({ op: 'frontswap_store', type: 0 })).toBe(
      "trace.jsonl:14, event #12, field 'offset': missing (required for frontswap_store: type, offset)",
    );
    expect(ev({ op: 'insmod', backend: 'zcache', params: { a: [1] } })).toBe(
      "trace.jsonl:14, event #12, field 'params.a': must be a string, number or boolean, got [1]",
    );
    expect(ev({ op: 'param', name: 'x', value: null })).toBe(
      "trace.jsonl:14, event #12, field 'value': must be a string, number or boolean, got null",
    );
    expect(ev({ op: 'rmmod', strategy: '' })).toBe("trace.jsonl:14, event #12, field 'strategy': must be a non-empty string, got \"\"");
    expect(ev({ op: 'anon', page: 1, data: { fill: 1, seed: 2 } })).toBe(
      "trace.jsonl:14, event #12, field 'data.seed': unknown field in data (accepted: fill)",
    );
    expect(ev({ op: 'anon', page: 1, data: { b64: 'not base64!' } })).toBe(
      "trace.jsonl:14, event #12, field 'data.b64': must be a base64 string of at most 5464 characters, got \"not base64!\"",
    );
    expect(ev({ op: 'frontswap_store', type: 0, offset: LIMITS.maxSlots })).toBe(
      "trace.jsonl:14, event #12, field 'offset': must be an integer 0..67108863, got 67108864",
    );
    expect(ev({ op: 'anon', page: 1, pid: LIMITS.maxPid + 1 })).toBe(
      "trace.jsonl:14, event #12, field 'pid': must be an integer 0..2097151, got 2097152",
    );
  });

  it('cuts long values', () => {
    expect(ev({ op: 'anon', page: 'x'.repeat(100) })).toBe(
      `trace.jsonl:14, event #12, field 'page': must be an integer 0..4294967295, got "${'x'.repeat(38)}…`,
    );
  });
});

describe('validateHeader', () => {
  it('returns a valid header', () => {
    expect(validateHeader(HEADER, {})).toBe(HEADER);
  });

  it('shapes header failures', () => {
    expect(hdr({ backend: 5 })).toBe("t.json:1, field 'config.backend': must be a backend name or null, got 5 (accepted: a backend name, or null for none)");
    expect(hdr({ profile: [3] })).toBe("t.json:1, field 'config.profile[0]': must be a non-empty string, got 3");
    expect(hdr({ swappiness: 201 })).toBe("t.json:1, field 'config.swappiness': must be an integer 0..200, got 201");
    expect(hdr({}, { content: { default: { txt: 1 } } })).toBe(
      "t.json:1, field 'content.default.txt': unknown name 'txt' in content.default (accepted: zero, fill, text, code, random, heap, vmix)",
    );
    expect(hdr({}, { content: { default: { text: -1 } } })).toBe("t.json:1, field 'content.default.text': must be a number 0..1000000, got -1");
    expect(hdr({ page_size: 8192 })).toBe("t.json:1, field 'config.page_size': must be exactly 4096, got 8192");
    expect(thrown(() => validateHeader(5, { file: 'h' }))).toBe('h: the header must be an object, got 5');
  });
});

describe('the schema file', () => {
  const schema = JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as {
    $defs: Record<string, { properties?: Record<string, { const?: unknown }> }> & { event: { oneOf: { $ref: string }[] } };
  };

  it('has one event branch per EVENT_OPS kind, in order', () => {
    const ops = schema.$defs.event.oneOf.map((b) => schema.$defs[b.$ref.replace('#/$defs/', '')]?.properties?.['op']?.const);
    expect(ops).toEqual([...EVENT_OPS]);
  });

  it('names the content classes of src/content', () => {
    const cls = schema.$defs['className'] as unknown as { enum: string[] };
    expect(cls.enum).toEqual(Object.keys(CLASS_NAMES));
  });

  it('uses the LIMITS of events.ts', () => {
    const max = (def: string) => (schema.$defs[def] as { maximum?: number }).maximum;
    expect(max('swapType')).toBe(LIMITS.swapTypes - 1);
    expect(max('fs')).toBe(LIMITS.maxFs - 1);
    expect(max('inode')).toBe(LIMITS.maxInode);
    expect(max('index')).toBe(LIMITS.maxIndex);
    expect(max('pid')).toBe(LIMITS.maxPid);
    expect(max('vpn')).toBe(LIMITS.maxVpn);
    expect(max('slots')).toBe(LIMITS.maxSlots);
    expect(max('offset')).toBe(LIMITS.maxSlots - 1);
    expect(max('t')).toBe(LIMITS.maxT);
    const rate = (schema.$defs['rmmod']!.properties as Record<string, { maximum?: number }>)['rate'];
    expect(rate?.maximum).toBe(LIMITS.maxRate);
  });
});
