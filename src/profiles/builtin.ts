/**
 * The built-in profiles: data files in profiles/builtin/ (shipped beside the
 * examples, found from dist/ as schema/*.json is), each a profile document in
 * the format users write (schema/profile.schema.json) once its references are
 * resolved. A figure several profiles share is typed once and referenced:
 *
 * - `{ "$ref": "FILE#/POINTER" }` is the value at the JSON pointer in another
 *   file of profiles/builtin/ (shared.json holds the shared figures), or in the
 *   same file with `#/POINTER`; keys beside `$ref` replace or add to the
 *   referenced object's keys (a null in shared.json is the profile's to give);
 * - `{ "$ref": "codecs-x86#/CORE/codecs" }` (and `.../copy`) is a table
 *   codecs-x86.ts derives from the compressor registry, so a new compressor is
 *   priced in every built-in profile without touching one;
 * - `$comment` keys are notes, dropped.
 *
 * With `check`, each resolved document is checked against the schema like a
 * profile file; one that fails is a bug of the file, an Error naming it. The
 * registry loads them unchecked: compiling the schema costs every process
 * about 100 ms, and the shipped files cannot change after `npm test` checked
 * each one (test/unit/profiles/builtin.test.ts). The name and the tmem
 * cluster are checked always (they cost nothing).
 */

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../errors.js';
import { CORES } from './codecs-x86.js';
import type { Profile } from './profile.js';
import { checkTmemCluster, profileValidator, schemaError } from './schema.js';
import { packageUrl } from '../package-files.js';

const DIR = packageUrl('profiles/builtin/');
/** The code-derived document a `$ref` may name. */
const DERIVED: Readonly<Record<string, unknown>> = { 'codecs-x86': CORES };

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

class Resolver {
  private readonly raw = new Map<string, Json>();
  private readonly active = new Set<string>();

  constructor(private readonly dir: URL) {}

  /** Where an error points: profiles/builtin/FILE (or the file's path, for another folder). */
  private shown(file: string): string {
    return this.dir.href === DIR.href ? `profiles/builtin/${file}` : fileURLToPath(new URL(file, this.dir));
  }

  /** A built-in that does not load is a bug of its file: an Error naming it. */
  private bug(file: string, what: string): Error {
    return new Error(`built-in profile ${this.shown(file)}: ${what}`);
  }

  private document(file: string, from: string): unknown {
    if (file in DERIVED) return DERIVED[file];
    if (!/^[a-z0-9][a-z0-9.-]*\.json$/.test(file)) throw this.bug(from, `$ref to '${file}', which is not a file of profiles/builtin/ nor ${Object.keys(DERIVED).join(', ')}`);
    let d = this.raw.get(file);
    if (d === undefined) {
      let text: string;
      try {
        text = readFileSync(new URL(file, this.dir), 'utf8');
      } catch (e) {
        throw this.bug(file, `cannot be read${file === from ? '' : ` (referenced from ${this.shown(from)})`}: ${(e as Error).message}`);
      }
      try {
        d = JSON.parse(text) as Json;
      } catch (e) {
        throw this.bug(file, `not JSON: ${(e as Error).message}`);
      }
      this.raw.set(file, d);
    }
    return d;
  }

  /** The resolved value at `ref` ("FILE#/POINTER" or "#/POINTER" in `from`). */
  private target(ref: string, from: string): unknown {
    const hash = ref.indexOf('#');
    if (hash < 0 || (ref[hash + 1] !== '/' && hash + 1 !== ref.length)) throw this.bug(from, `$ref '${ref}' is not FILE#/POINTER`);
    const file = hash === 0 ? from : ref.slice(0, hash);
    const key = `${file}${ref.slice(hash)}`;
    if (this.active.has(key)) throw this.bug(from, `$ref '${ref}' refers to itself (${[...this.active, key].join(' -> ')})`);
    this.active.add(key);
    try {
      let node = this.resolve(this.document(file, from), file, false);
      const pointer = ref.slice(hash + 1);
      for (const token of pointer === '' || pointer === '/' ? [] : pointer.slice(1).split('/')) {
        const k = token.replace(/~1/g, '/').replace(/~0/g, '~');
        if (!node || typeof node !== 'object' || !(k in node)) throw this.bug(from, `$ref '${ref}': no '${k}' there`);
        node = this.resolve((node as Record<string, unknown>)[k], file, false);
      }
      return this.resolve(node, file, true);
    } finally {
      this.active.delete(key);
    }
  }

  /** `v` with its `$ref`s replaced and `$comment`s dropped; `deep` false resolves only `v` itself (to walk a pointer through it). */
  resolve(v: unknown, file: string, deep = true): unknown {
    if (!v || typeof v !== 'object') return v;
    if (Array.isArray(v)) return deep ? v.map((x) => this.resolve(x, file)) : v;
    const o = v as Record<string, unknown>;
    if (typeof o['$ref'] === 'string') {
      const t = this.target(o['$ref'], file);
      const { $ref: _r, $comment: _c, ...beside } = o;
      if (Object.keys(beside).length === 0) return t;
      if (!t || typeof t !== 'object' || Array.isArray(t)) throw this.bug(file, `keys beside $ref '${o['$ref']}', which is not an object`);
      const out: Record<string, unknown> = { ...(t as Record<string, unknown>) };
      for (const [k, x] of Object.entries(beside)) out[k] = this.resolve(x, file);
      return out;
    }
    if (!deep) return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) if (k !== '$comment') out[k] = this.resolve(x, file);
    return out;
  }

  /** The built-in `name`: profiles/builtin/NAME.json resolved (with `check`, checked against the schema), as a Profile. */
  profile(name: string, check: boolean): Profile {
    const file = `${name}.json`;
    const doc = this.resolve(this.document(file, file), file);
    try {
      if (check) {
        const v = profileValidator();
        if (!v(doc)) throw schemaError(this.shown(file), v.errors);
      }
      const { format: _f, version: _v, ...p } = doc as Record<string, unknown>;
      if (p['name'] !== name) throw new UsageError(`name '${String(p['name'])}' is not the file's`, { file: this.shown(file), field: '/name' }, name);
      checkTmemCluster(p as unknown as Profile, this.shown(file));
      return p as unknown as Profile;
    } catch (e) {
      if (e instanceof UsageError) throw new Error(`built-in profile ${e.message}; a built-in must be a complete profile document once its $refs are resolved`);
      throw e;
    }
  }
}

/** The built-in profiles `names` (profiles/builtin/NAME.json each, or NAME.json in `dir`), resolved, and with `check` checked against the schema. */
export function loadBuiltinProfiles(names: readonly string[], dir: URL = DIR, check = true): Profile[] {
  const r = new Resolver(dir);
  return names.map((n) => r.profile(n, check));
}
