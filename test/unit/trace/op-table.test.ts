/**
 * The trace op table (src/trace/events.ts OP_TABLE) and what it drives:
 * - schema/trace-v1.schema.json states the same ops, fields, requiredness
 *   and bounds, field by field;
 * - the simulator has a handler for every op;
 * - the TMTB codec: a file written by the encoder before the table existed
 *   (test/fixtures/tmtb/all-ops-v1.tmtb, every op, written by the v1 encoder
 *   of commit 164c74d from all-ops-v1.json) decodes to the same events and
 *   re-encodes to the same bytes; the codes are the ones docs/trace-format.md
 *   lists; an event of every op built from its table entry round-trips;
 * - trace inspect counts each op.
 */

import { closeSync, openSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HANDLERS } from '../../../src/sim/simulate.js';
import {
  EVENT_OPS, LIMITS, OP_TABLE, opSpec, type EventOf, type EventOp, type FieldSpec, type TraceEvent, type TraceHeader,
} from '../../../src/trace/events.js';
import { TmtbEncoder, writeTmtb } from '../../../src/trace/formats/tmtb.js';
import { inspectTrace } from '../../../src/trace/inspect.js';
import { openTrace } from '../../../src/trace/reader.js';
import { SCHEMA_URL } from '../../../src/trace/validate.js';
import { collectSync, drainError, HEADER, tempDir, toJsonl } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

interface Node {
  $ref?: string;
  type?: string;
  const?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  properties?: Record<string, Node>;
  required?: string[];
  additionalProperties?: boolean | Node;
  oneOf?: Node[];
  anyOf?: Node[];
  description?: string;
}
const schema = JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as { $defs: Record<string, Node> };
const defs = schema.$defs;
const ref = (name: string): Node => ({ $ref: `#/$defs/${name}` });
const fields = (op: EventOp): [string, FieldSpec][] => Object.entries(opSpec(op).fields);

/** The schema node a field's spec asks for (descriptions aside). */
function expectedNode(f: FieldSpec): Node {
  switch (f.type) {
    case 'int':
      return { type: 'integer', minimum: f.min, maximum: f.max };
    case 'number': {
      const n: Node = { type: 'number' };
      if (f.above !== undefined) n.exclusiveMinimum = f.above;
      if (f.min !== undefined) n.minimum = f.min;
      if (f.max !== undefined) n.maximum = f.max;
      return n;
    }
    case 'name':
      return { type: 'string', minLength: 1 };
    case 'bool':
      return { type: 'boolean' };
    case 'params':
      return { type: 'object', additionalProperties: ref('paramValue') };
    case 'value':
      return { anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] };
    case 'data':
      return defs['dataSpec']!; // the choice of forms is the schema's own (checked by validate.test.ts)
  }
}

function withoutDescription(n: Node): Node {
  const { description: _d, ...rest } = n;
  return rest;
}

describe('the op table and the schema', () => {
  it('the schema has one event branch per op, in code order, and no other', () => {
    const branches = defs['event']!.oneOf!;
    expect(branches.map((b) => b.$ref)).toEqual(EVENT_OPS.map((op) => `#/$defs/${opSpec(op).def ?? op}`));
  });

  for (const op of Object.keys(OP_TABLE) as EventOp[]) {
    it(`${op}: the same fields, in the same order, required alike, with the same types and bounds`, () => {
      const spec = opSpec(op);
      const node = defs[spec.def ?? op]!;
      expect(node.type).toBe('object');
      expect(node.additionalProperties).toBe(false);
      expect(node.properties!['op']).toEqual({ const: op });
      expect(node.properties!['t']).toEqual(ref('t'));
      const fs = fields(op);
      expect(Object.keys(node.properties!)).toEqual(['op', 't', ...fs.map(([n]) => n)]);
      expect(node.required).toEqual(['op', ...fs.filter(([, f]) => !f.optional).map(([n]) => n)]);
      for (const [name, f] of fs) {
        const prop = node.properties![name]!;
        let target = prop;
        if (f.def !== undefined) {
          expect(prop, `${op}.${name}`).toEqual(ref(f.def));
          target = defs[f.def]!;
        }
        expect(withoutDescription(target), `${op}.${name}`).toEqual(withoutDescription(expectedNode(f)));
      }
    });
  }

  it('the binary form can hold every field as the table says (a u8 below 256, a varint a safe non-negative integer)', () => {
    for (const op of EVENT_OPS) {
      for (const [name, f] of fields(op)) {
        if (f.wire === 'u8') expect([f.type, f.min! >= 0, f.max! <= 255], `${op}.${name}`).toEqual(['int', true, true]);
        if (f.wire === 'varint') expect([f.type, f.min! >= 0, f.max! <= 2 ** 53 - 1], `${op}.${name}`).toEqual(['int', true, true]);
        if (f.wire === 'flag') expect(f.type, `${op}.${name}`).toBe('bool');
      }
    }
  });
});

describe('the simulator', () => {
  it('has a handler for every op of the table, and for nothing else', () => {
    expect(Object.keys(HANDLERS).sort()).toEqual([...EVENT_OPS].sort());
    for (const op of EVENT_OPS) expect(typeof HANDLERS[op], op).toBe('function');
  });
});

/** The op codes as docs/trace-format.md lists them: a v1 file's bytes; never renumbered. */
const V1_CODES: Record<string, number> = {
  swapon: 0, swapoff: 1, mount: 2, umount: 3, insmod: 4, rmmod: 5, param: 6, node_down: 7, node_up: 8,
  frontswap_store: 9, frontswap_load: 10, frontswap_invalidate_page: 11, frontswap_invalidate_area: 12,
  cleancache_put: 13, cleancache_get: 14, cleancache_invalidate_page: 15, cleancache_invalidate_inode: 16,
  cleancache_invalidate_fs: 17, anon: 18, file: 19, mark: 20,
};

/** An event of `op` built from its table entry: every field (`full`) or the required ones, at their largest values. */
function eventOf(op: EventOp, full: boolean): TraceEvent {
  const ev: Record<string, unknown> = { op };
  for (const [name, f] of fields(op)) {
    if (f.optional && !full) continue;
    ev[name] = { int: f.max, number: f.max, name: `${op}-${name}`, bool: true, params: { a: 1, b: 'x', c: false }, value: 'v', data: { class: 'heap', seed: 3 } }[f.type];
  }
  return ev as TraceEvent;
}

function encode(header: TraceHeader, events: readonly TraceEvent[]): Buffer {
  const blocks: Uint8Array[] = [];
  const enc = new TmtbEncoder(header, (b) => blocks.push(Uint8Array.from(b)));
  for (const e of events) enc.write(e);
  enc.end();
  return Buffer.concat(blocks);
}

describe('the binary codec', () => {
  const FIXTURE = path.resolve(__dirname, '../../fixtures/tmtb/all-ops-v1.tmtb');
  const events = JSON.parse(readFileSync(FIXTURE.replace(/\.tmtb$/, '.json'), 'utf8')) as TraceEvent[];

  it('keeps the v1 op codes (an op added later takes a new code)', () => {
    const table = OP_TABLE as Record<string, { code: number }>;
    expect(Object.fromEntries(Object.keys(V1_CODES).map((op) => [op, table[op]?.code]))).toEqual(V1_CODES);
  });

  it('decodes a file the v1 encoder wrote (every op) to the events it was given, and encodes them to the same bytes', () => {
    expect(new Set(events.map((e) => e.op))).toEqual(new Set(Object.keys(V1_CODES)));
    const src = openTrace(FIXTURE);
    expect(collectSync(src).map((e) => e.event)).toStrictEqual(events);
    expect(encode(src.header, events).equals(readFileSync(FIXTURE))).toBe(true);
  });

  for (const op of EVENT_OPS) {
    it(`${op}: an event with every field and one with the required fields round-trip`, () => {
      const evs = [eventOf(op, true), eventOf(op, false), { ...eventOf(op, true), t: 17 } as TraceEvent];
      const file = tmp.path(`${op}.tmtb`);
      const fd = openSync(file, 'w');
      try {
        writeTmtb(fd, HEADER, evs);
      } finally {
        closeSync(fd);
      }
      const bytes = readFileSync(file);
      const headerLen = bytes.readUInt32LE(6);
      expect(bytes[10 + headerLen]).toBe(V1_CODES[op] ?? OP_TABLE[op].code);
      expect(collectSync(openTrace(file)).map((e) => e.event)).toStrictEqual(evs);
    });
  }
});

/** The flags bits of a TMTB record (docs/trace-format.md): data, write (present, value), first and second optional field. */
const FLAG_BITS = { data: 4, write: 8, writeValue: 16, opt1: 32, opt2: 64 } as const;

describe('the binary codec refuses a flags bit the op has no field for', () => {
  for (const op of EVENT_OPS) {
    // What the op's fields allow, counted here from its table entry: a data field, a write flag, optional fields in the record's bytes.
    const fs = fields(op);
    const hasData = fs.some(([, f]) => f.wire === 'data');
    const hasFlag = fs.some(([, f]) => f.wire === 'flag');
    const optional = fs.filter(([, f]) => f.optional && f.wire !== 'data' && f.wire !== 'flag').length;
    const refused: [number, string][] = [];
    if (!hasData) refused.push([FLAG_BITS.data, 'data flag']);
    if (!hasFlag) refused.push([FLAG_BITS.write, 'write flag'], [FLAG_BITS.writeValue, 'write flag']);
    if (optional < 1) refused.push([FLAG_BITS.opt1, 'optional-field flag']);
    if (optional < 2) refused.push([FLAG_BITS.opt2, 'optional-field flag']);
    it(`${op}: ${refused.map(([b]) => b).join(', ')} refused, naming the flag and the op`, () => {
      const bytes = encode(HEADER, [eventOf(op, false)]);
      const at = 10 + bytes.readUInt32LE(6); // the record: op code, flags
      expect(bytes[at]).toBe(V1_CODES[op]);
      expect(bytes[at + 1]).toBe(0);
      for (const [bit, what] of refused) {
        const bad = Buffer.from(bytes);
        bad[at + 1] = bit;
        const file = tmp.file(`${op}-${bit}.tmtb`, bad);
        const err = drainError(() => openTrace(file));
        expect(err.startsWith(`${file}, event #0: corrupt binary trace: ${what} on a ${op} record at byte offset `), `${op} flags ${bit}: ${err}`).toBe(true);
        expect(err, `${op} flags ${bit}`).toMatch(/ at byte offset \d+ \(record #0\)$/);
      }
    });
  }
});

describe('trace inspect', () => {
  it('counts every op (op with code k occurs k + 1 times) and the page references of the ops that make them', () => {
    const events: TraceEvent[] = [];
    for (const op of EVENT_OPS) for (let k = 0; k <= OP_TABLE[op].code; k++) events.push(eventOf(op, true));
    const r = inspectTrace(tmp.file('all.jsonl', toJsonl(HEADER, events)));
    expect(r.events).toBe(events.length);
    expect(r.by_kind).toEqual(Object.fromEntries(EVENT_OPS.map((op) => [op, OP_TABLE[op].code + 1])));
    // Only anon, file, frontswap_store/load and cleancache_put/get reference a page's contents.
    const refs = ['anon', 'file', 'frontswap_store', 'frontswap_load', 'cleancache_put', 'cleancache_get'];
    expect(r.reuse.references).toBe(refs.reduce((s, op) => s + OP_TABLE[op as EventOp].code + 1, 0));
    // Every event of an op names the same page (the table's largest values): one anon page, one swap slot,
    // one file page (file, cleancache_put and cleancache_get name the same one).
    expect(r.unique_pages).toEqual({ anon: 1, swap_slots: 1, file: 1, total: 3 });
  });
});

describe('the event types derive from the table', () => {
  it('type-checks what the table allows and nothing else (tsc -p tsconfig.test.json)', () => {
    const ok: EventOf<'anon'> = { op: 'anon', page: 1 };
    const full: TraceEvent = { op: 'file', fs: 1, inode: 2, index: 3, write: true, data: 'heap', t: 5 };
    // @ts-expect-error page is required
    const noPage: EventOf<'anon'> = { op: 'anon' };
    // @ts-expect-error write is a boolean
    const badWrite: TraceEvent = { op: 'file', fs: 1, inode: 2, index: 3, write: 'yes' };
    // @ts-expect-error no such field
    const extra: TraceEvent = { op: 'umount', fs: 1, inode: 2 };
    expect([ok, full, noPage, badWrite, extra].length).toBe(5);
    expect(LIMITS.maxNode).toBe(7);
  });
});
