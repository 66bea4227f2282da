/**
 * docs/trace-format.md "Field bounds" lists every bounded field of the header
 * and the events; here the table is read and compared with the schema
 * (schema/trace-v1.schema.json, which the op table test keeps equal to
 * OP_TABLE and LIMITS) field by field, and every bounded field of the schema
 * must be in the table, so doc and code cannot drift. Then a value just past
 * each event field's bound is refused with one line (exit 2) by the JSONL
 * reader, through the CLI.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LIMITS, OP_TABLE } from '../../../src/trace/events.js';
import { MAX_CLASS_WEIGHT } from '../../../src/content/source.js';
import { expectOneLineError, tmemsimIn } from '../../helpers/cli.js';
import { tempDir, toJsonl } from '../../helpers/files.js';

const ROOT = path.resolve(__dirname, '../../..');
type Node = Record<string, any>;
const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schema/trace-v1.schema.json'), 'utf8')) as Node;
const defs = schema['$defs'] as Record<string, Node>;

function deref(n: Node): Node {
  return n['$ref'] ? deref(defs[(n['$ref'] as string).replace('#/$defs/', '')]!) : n;
}

/** The table's text for a schema node, or null for a node without bounds of its own (a string, an enum, an object). */
function accepted(raw: Node): string | null {
  const n = deref(raw);
  if (n['type'] === 'integer') return `integer ${n['minimum']}..${n['maximum']}`;
  if (n['type'] === 'number') {
    if (n['exclusiveMinimum'] !== undefined) return `number > ${n['exclusiveMinimum']}, at most ${n['maximum']}`;
    return `number ${n['minimum']}..${n['maximum']}`;
  }
  if (n['type'] === 'array' && n['maxItems'] !== undefined) return `list of at most ${n['maxItems']}`;
  if (n['type'] === 'string' && n['maxLength'] !== undefined) return `base64 of at most ${n['maxLength']} characters`;
  return null;
}

/** Every bounded field of the schema, by the table's names. */
function schemaBounds(): Map<string, string> {
  const out = new Map<string, string>();
  const put = (name: string, node: Node): void => {
    const a = accepted(node);
    if (a === null) return;
    const had = out.get(name);
    // One name, one bound: an event field means the same in every op that has it.
    expect(had === undefined || had === a, `${name}: ${had} vs ${a}`).toBe(true);
    out.set(name, a);
  };
  for (const [k, v] of Object.entries(defs['config']!['properties'] as Record<string, Node>)) put(`config.${k}`, v);
  for (const [k, v] of Object.entries(defs['swapArea']!['properties'] as Record<string, Node>)) put(`config.swap[].${k}`, v);
  for (const [k, v] of Object.entries(defs['mount']!['properties'] as Record<string, Node>)) put(`config.mounts[].${k}`, v);
  for (const [k, v] of Object.entries(defs['zone']!['properties'] as Record<string, Node>)) put(`config.zones[].${k}`, v);
  const weights = (defs['contentDefault']!['oneOf'] as Node[]).find((x) => x['additionalProperties'])!;
  put('content.default.*', weights['additionalProperties'] as Node);
  for (const branch of defs['dataSpec']!['oneOf'] as Node[]) for (const [k, v] of Object.entries((deref(branch)['properties'] ?? {}) as Record<string, Node>)) put(`data.${k}`, v);
  for (const op of Object.keys(OP_TABLE)) {
    const def = defs[(OP_TABLE as Record<string, { def?: string }>)[op]!.def ?? op]!;
    for (const [k, v] of Object.entries(def['properties'] as Record<string, Node>)) put(`event.${k}`, v);
  }
  return out;
}

function docBounds(): Map<string, string> {
  const md = fs.readFileSync(path.join(ROOT, 'docs/trace-format.md'), 'utf8');
  const section = md.slice(md.indexOf('### Field bounds'));
  const out = new Map<string, string>();
  for (const line of section.slice(0, section.indexOf('\n\n', section.indexOf('| field |'))).split('\n')) {
    const m = /^\| `([^`]+)` \| ([^|]+) \|/.exec(line);
    if (m) out.set(m[1]!, m[2]!.trim());
  }
  return out;
}

describe('docs/trace-format.md field bounds', () => {
  it('the table and the schema give the same bounds, and every bounded field is in the table', () => {
    const doc = docBounds();
    const sch = schemaBounds();
    expect(doc.size).toBeGreaterThan(20);
    expect(Object.fromEntries([...doc].sort())).toEqual(Object.fromEntries([...sch].sort()));
  });

  it('the bounds are the code limits (LIMITS, the content mix)', () => {
    const doc = docBounds();
    expect(doc.get('event.t')).toBe(`number 0..${LIMITS.maxT}`);
    expect(doc.get('event.rate')).toBe(`number > 0, at most ${LIMITS.maxRate}`);
    expect(doc.get('event.offset')).toBe(`integer 0..${LIMITS.maxSlots - 1}`);
    expect(doc.get('event.slots')).toBe(`integer 1..${LIMITS.maxSlots}`);
    expect(doc.get('event.page')).toBe(`integer 0..${LIMITS.maxVpn}`);
    expect(doc.get('event.node')).toBe(`integer 0..${LIMITS.maxNode}`);
    expect(doc.get('content.default.*')).toBe(`number 0..${MAX_CLASS_WEIGHT}`);
  });

  it('a value just past each event bound, and a class weight past its bound, is one line and exit 2', async () => {
    const tmp = tempDir();
    try {
      const header = { format: 'tmemsim-trace', version: 1, config: { ram_pages: 64, backend: 'zcache', swap: [{ type: 0, slots: 64 }], mounts: [{ fs: 1 }] } };
      const past: [string, Record<string, unknown>][] = [
        ['t', { op: 'anon', page: 1, t: LIMITS.maxT + 1 }],
        ['rate', { op: 'rmmod', strategy: 'zombie', rate: LIMITS.maxRate * 2 }],
        ['offset', { op: 'frontswap_load', type: 0, offset: LIMITS.maxSlots }],
        ['slots', { op: 'swapon', type: 1, slots: 4294967295 }],
        ['type', { op: 'swapoff', type: LIMITS.swapTypes }],
        ['fs', { op: 'umount', fs: LIMITS.maxFs }],
        ['inode', { op: 'cleancache_get', fs: 1, inode: LIMITS.maxInode + 1, index: 0 }],
        ['index', { op: 'cleancache_get', fs: 1, inode: 0, index: LIMITS.maxIndex + 1 }],
        ['pid', { op: 'anon', pid: LIMITS.maxPid + 1, page: 0 }],
        ['page', { op: 'anon', page: LIMITS.maxVpn + 1 }],
        ['node', { op: 'node_down', node: LIMITS.maxNode + 1 }],
      ];
      for (const [field, ev] of past) {
        const f = tmp.file(`${field}.jsonl`, toJsonl(header, [ev]));
        expect(expectOneLineError(await tmemsimIn(tmp.dir, ['run', f, '--profile', 'ssd']))).toContain(field);
      }
      const w = tmp.file('w.jsonl', toJsonl({ ...header, content: { default: { text: 1e308, zero: 1 } } }, [{ op: 'anon', page: 1, write: true }]));
      expect(expectOneLineError(await tmemsimIn(tmp.dir, ['run', w, '--profile', 'ssd']))).toContain('content.default');
    } finally {
      tmp.cleanup();
    }
  });
});
