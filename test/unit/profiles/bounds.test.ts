/**
 * Every profile constant has documented bounds (docs/model.md, "Profile
 * files"), and the schema checks exactly those: the doc's table and the
 * schema's bounds are read here and must agree, so they cannot drift. Every
 * numeric constant of the schema is in the table. Then behaviour: each
 * constant of a complete profile file deleted is refused at load (profiles
 * --show and run) with one line naming it; each set to 1e308 or past its
 * bound is refused naming it, in a file with or without `extends`.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { boundsOf, profileDocument, profileFromDocument } from '../../../src/profiles/file.js';
import { getProfile } from '../../../src/profiles/registry.js';
import { UsageError } from '../../../src/errors.js';
import { expectOneLineError, tmemsim } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/files.js';

const ROOT = path.resolve(__dirname, '../../..');
type Node = Record<string, any>;
const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schema/profile.schema.json'), 'utf8')) as Node;

function deref(n: Node): Node {
  return n['$ref'] ? (schema['$defs'][(n['$ref'] as string).replace('#/$defs/', '')] as Node) : n;
}

/** Every numeric constant of the schema, as a dotted path with * for any key, and its bounds text; ranges checked to have the same bounds. */
function schemaBounds(): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (raw: Node, at: string): void => {
    const n = deref(raw);
    if (n['type'] === 'number') {
      out.set(at, boundsOf(n));
      return;
    }
    if (n['properties']?.value?.type === 'number') {
      out.set(at, boundsOf(n['properties'].value));
      // A constant with a plausible range keeps it in the same bounds (a device's queue limit has none).
      const r = n['properties'].range;
      if (r === undefined) return;
      expect(boundsOf(r.properties.lo), `${at}.range.lo`).toBe(out.get(at));
      expect(boundsOf(r.properties.hi), `${at}.range.hi`).toBe(out.get(at));
      return;
    }
    for (const [k, v] of Object.entries((n['properties'] ?? {}) as Record<string, Node>)) {
      if (k === 'calibration' || k === 'range') continue; // measurement notes; a codec's range is a factor (below)
      walk(v, at ? `${at}.${k}` : k);
    }
    if (n['additionalProperties'] && typeof n['additionalProperties'] === 'object') walk(n['additionalProperties'] as Node, at ? `${at}.*` : '*');
  };
  walk(schema, '');
  return out;
}

function docBounds(): Map<string, string> {
  const md = fs.readFileSync(path.join(ROOT, 'docs/model.md'), 'utf8');
  const section = md.slice(md.indexOf('### Profile files'));
  const out = new Map<string, string>();
  for (const line of section.split('\n')) {
    const m = /^\| (`.+`) \| [^|]+ \| (a number [^|]+) \|$/.exec(line);
    if (!m) continue;
    for (const c of m[1]!.split(', ')) out.set(c.replace(/`/g, ''), m[2]!.trim());
  }
  return out;
}

function errorOf(doc: unknown): UsageError {
  try {
    profileFromDocument(doc, 'p.json');
  } catch (e) {
    if (e instanceof UsageError) return e;
    throw e;
  }
  throw new Error('no error');
}

/** Every numeric leaf of a document with its JSON pointer. */
function leaves(doc: Node, at = ''): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(doc)) {
    if (typeof v === 'number' && at !== '') out.push(`${at}/${k}`);
    else if (v && typeof v === 'object' && !Array.isArray(v)) out.push(...leaves(v as Node, `${at}/${k}`));
  }
  return out;
}

function setAt(doc: Node, pointer: string, v: unknown): Node {
  const d = JSON.parse(JSON.stringify(doc)) as Node;
  const keys = pointer.split('/').slice(1);
  let o = d;
  for (const k of keys.slice(0, -1)) o = o[k];
  if (v === undefined) delete o[keys.at(-1)!];
  else o[keys.at(-1)!] = v;
  return d;
}

const full = (name = 'mobile'): Node => JSON.parse(JSON.stringify(profileDocument(getProfile(name)))) as Node;

describe('profile constants: documented bounds, checked at load', () => {
  it('the table in docs/model.md and the schema give the same bounds for the same constants', () => {
    const s = schemaBounds();
    expect(s.size).toBeGreaterThan(20);
    expect(Object.fromEntries(docBounds())).toEqual(Object.fromEntries(s));
    const factor = schema['$defs'].codecFactor.properties;
    expect([factor.lo.maximum, factor.hi.maximum]).toEqual([1000, 1000]);
  });

  it('every built-in is inside the bounds (it loads back as a file)', () => {
    for (const name of ['ssd', 'mobile', 'ssd-server', 'hdd', 'emmc']) expect(() => profileFromDocument(full(name), `${name}.json`)).not.toThrow();
  });

  it('each numeric constant set to 1e308, -1 or past its bound is refused naming its pointer, with or without extends', () => {
    const d = full();
    const ptrs = leaves(d);
    expect(ptrs.length).toBeGreaterThan(60);
    for (const ptr of ptrs) {
      for (const bad of [1e308, -1]) {
        const e = errorOf(setAt(d, ptr, bad));
        expect(e.where.field, ptr).toBe(ptr);
        expect(e.accepted, ptr).toMatch(/^a number /);
      }
    }
    // Overrides of a built-in are held to the same bounds.
    const head = { format: 'tmemsim-profile', version: 1, name: 'x', extends: 'ssd' };
    let e = errorOf({ ...head, cpu: { hz: { value: 1e308, source: '[I] x' } } });
    expect(e.message).toBe("p.json, field '/cpu/hz/value': invalid value 1e+308 (accepted: a number >= 1e6 and <= 1e11)");
    e = errorOf({ ...head, storage: { readLatencyUs: { value: 50, source: '[I] x', range: { lo: 1, hi: 1e9, source: '[I] x' } } } });
    expect(e.where.field).toBe('/storage/readLatencyUs/range/hi');
    e = errorOf({ ...head, storage: { maxRequestPages: { value: 100.5, source: '[I] x' } } });
    expect(e.message).toBe("p.json, field '/storage/maxRequestPages/value': invalid value 100.5 (accepted: a whole number >= 1 and <= 4096)");
    e = errorOf({ ...head, network: { bandwidthMBps: { value: 0, source: '[I] x' } } });
    expect(e.message).toBe("p.json, field '/network/bandwidthMBps/value': invalid value 0 (accepted: a number >= 0.001 and <= 1e9)");
    e = errorOf({ ...head, codecs: { lz4: { compress: { fixedCycles: 1, cyclesPerByte: 2e6 }, decompress: { fixedCycles: 1, cyclesPerByte: 1 }, source: '[I] x' } } });
    expect(e.where.field).toBe('/codecs/lz4/compress/cyclesPerByte');
  });

  it('every constant deleted from a file without extends is refused at load, naming it', () => {
    const d = full();
    const constants = leaves(d).filter((p) => p.endsWith('/value')).map((p) => p.slice(0, -'/value'.length));
    expect(constants.length).toBeGreaterThan(15);
    for (const ptr of constants) {
      if (ptr.startsWith('/clusters/')) continue; // a cluster entry is checked whole (its members are required)
      const e = errorOf(setAt(d, ptr, undefined));
      expect(e.where.field, ptr).toBe(ptr);
    }
  });

  it('a tmemCluster that is not one of the clusters is refused naming /tmemCluster, with or without extends', () => {
    const d = full();
    expect(Object.keys(d['clusters'] ?? {}).length).toBeGreaterThan(0);
    expect(errorOf(setAt(d, '/tmemCluster', 'middle')).where.field).toBe('/tmemCluster');
    const ext = { format: 'tmemsim-profile', version: 1, name: 'x', extends: 'mobile', tmemCluster: 'middle' };
    const e = errorOf(ext);
    expect(e.where.field).toBe('/tmemCluster');
    expect(e.accepted).toContain('LITTLE');
    expect(profileFromDocument({ ...ext, tmemCluster: 'big' }, 'p.json').tmemCluster).toBe('big');
  });

  it('profiles --show and run refuse an incomplete file and a 1e308 constant with one line (exit 2)', async () => {
    const tmp = tempDir();
    try {
      const noHz = tmp.file('no-hz.json', JSON.stringify(setAt(full(), '/cpu/hz', undefined)));
      const noRead = tmp.file('no-read.json', JSON.stringify(setAt(full(), '/storage/readLatencyUs', undefined)));
      const huge = tmp.file('huge.json', JSON.stringify(setAt(full(), '/storage/readLatencyUs/value', 1e308)));
      const hugeExt = tmp.file('huge-ext.json', JSON.stringify({ format: 'tmemsim-profile', version: 1, name: 'x', extends: 'mobile', cpu: { hz: { value: 1e308, source: '[I] x' } } }));
      for (const [file, ptr] of [[noHz, '/cpu/hz'], [noRead, '/storage/readLatencyUs'], [huge, '/storage/readLatencyUs/value'], [hugeExt, '/cpu/hz/value']] as const) {
        expect(expectOneLineError(await tmemsim('profiles', '--show', file))).toContain(`field '${ptr}'`);
        expect(expectOneLineError(await tmemsim('run', 'workloads/mobile-app-switch.json', '--profile', file, '--no-baseline'))).toContain(`field '${ptr}'`);
      }
    } finally {
      tmp.cleanup();
    }
  });
});
