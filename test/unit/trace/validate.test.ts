import { readFileSync, readdirSync } from 'node:fs';
import { Ajv } from 'ajv';
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

describe('the parts compiled one at a time', () => {
  // The validator compiles the header and each event kind as a document of its own (validate.ts,
  // part()); here the whole schema is compiled as it stands, and every verdict must agree with it.
  const root = JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as { $id: string };
  const whole = new Ajv({ allErrors: false, strict: true, strictRequired: false, messages: false, logger: false });
  whole.addSchema(root);
  const fullHeader = whole.getSchema(`${root.$id}#/$defs/header`)!;
  const fullEvent = whole.getSchema(`${root.$id}#/$defs/event`)!;
  const dir = new URL('../../../workloads/', import.meta.url);
  const headers: Record<string, unknown>[] = [];
  const events: Record<string, unknown>[] = [];
  // Every kind at least once, with its optional fields (the binary form's fixture), then the shipped workloads.
  events.push(...(JSON.parse(readFileSync(new URL('../../fixtures/tmtb/all-ops-v1.json', import.meta.url), 'utf8')) as Record<string, unknown>[]));
  for (const name of readdirSync(dir).sort()) {
    const text = readFileSync(new URL(name, dir), 'utf8');
    if (name.endsWith('.jsonl')) {
      const lines = text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
      headers.push(JSON.parse(lines[0]!) as Record<string, unknown>);
      for (const l of lines.slice(1)) events.push(JSON.parse(l) as Record<string, unknown>);
    } else {
      const { events: evs, ...header } = JSON.parse(text) as { events: Record<string, unknown>[] };
      headers.push(header);
      events.push(...evs);
    }
  }
  const accepts = (f: () => unknown): boolean => {
    try {
      f();
      return true;
    } catch {
      return false;
    }
  };
  /** Each value, and variants of it one change away: a field dropped, made -1, 2^40, a string, null, an object; an unknown field. */
  function variants(v: Record<string, unknown>): unknown[] {
    const out: unknown[] = [v, { ...v, extra: 1 }];
    for (const [k, x] of Object.entries(v)) {
      const { [k]: _gone, ...rest } = v;
      out.push(rest);
      for (const y of [-1, 2 ** 40, 'x', null, {}, 0.5]) out.push({ ...v, [k]: y });
      if (x !== null && typeof x === 'object' && !Array.isArray(x)) for (const inner of variants(x as Record<string, unknown>).slice(1, 12)) out.push({ ...v, [k]: inner });
    }
    return out;
  }

  it('accepts and refuses the headers the whole schema does', () => {
    let refused = 0;
    let checked = 0;
    for (const h of headers) {
      for (const x of variants(h)) {
        const ok = fullHeader(x);
        expect(accepts(() => validateHeader(x, { file: 'h' })), JSON.stringify(x)).toBe(ok);
        if (!ok) refused++;
        checked++;
      }
    }
    expect(refused).toBeGreaterThan(100);
    expect(checked - refused).toBeGreaterThan(20);
  });

  it('accepts and refuses the events the whole schema does', () => {
    const seen = new Set<string>();
    let refused = 0;
    for (const e of events) {
      const op = String(e['op']);
      const sig = `${op}:${Object.keys(e).sort().join(',')}`;
      if (seen.has(sig)) continue;
      seen.add(sig);
      for (const x of variants(e)) {
        const ok = fullEvent(x);
        expect(accepts(() => validateEvent(x, loc)), JSON.stringify(x)).toBe(ok);
        if (!ok) refused++;
      }
    }
    expect(new Set([...seen].map((s) => s.split(':')[0]))).toEqual(new Set(EVENT_OPS));
    expect(refused).toBeGreaterThan(200);
  });
});
