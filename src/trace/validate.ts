/**
 * Trace validation against schema/trace-v1.schema.json.
 *
 * The schema is compiled lazily with ajv, one part at a time: the header on
 * first use, each event kind when the first event of that kind is checked (an
 * imported or binary trace checks a header only; a JSONL trace uses a few of
 * the kinds). A part is compiled as a document of its own holding the $defs
 * it reaches and nothing else: ajv compiles a whole document to resolve a
 * fragment of it, so asking the full schema for `#/$defs/header` compiled
 * every event kind too, after meta-validating the whole schema (measured in
 * docs/scale.md, sixth round). The package test still compiles the full schema.
 * An event is checked only against its own kind: the $defs entry that the `event` oneOf
 * names for its `op` (the shipped schema is plain draft-07, with no
 * `discriminator` keyword, so that any validator reads it; the dispatch on
 * `op` is done here). On failure ajv's first error object (keyword,
 * instancePath, params) is shaped into ONE line a person can act on:
 *
 *   trace.jsonl:14, event #12, field 'inode': must be an integer 0..134217727, got -3
 *
 * Only shape is checked here. Checks that need simulator state (an offset
 * beyond a swap area, an op on an unmounted fs) belong to the simulator.
 *
 * Precompiled: `npm run build` (scripts/build-validators.mjs) writes every part
 * this file can ask for (partDocuments: the header, each event kind, each form
 * of a choice) as ajv standalone code to dist/trace/schema-validators.cjs, with
 * a digest of the schema's text. When that file is there and its digest is the
 * schema's, the parts come from it and ajv is not loaded at all (it cost a run
 * about 130 ms of its start-up: docs/scale.md, "Start-up"); otherwise (not
 * built yet, or a schema edited since the build) they are compiled here, the
 * same documents with the same options, so the errors are the same.
 */

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import { newAjv } from '../ajv.js';
import { UsageError, quote, type Where } from '../errors.js';
import { EVENT_OPS, type EventLocation, type TraceEvent, type TraceHeader } from './events.js';
import { packagePath, packageUrl } from '../package-files.js';

/** The schema's $id; `${SCHEMA_ID}#/$defs/event` names one event. */
const SCHEMA_ID = 'urn:tmemsim:schema:trace-v1';

/** Where the schema file lives (shipped as tmemsim/schema/trace-v1.schema.json). */
export const SCHEMA_URL = packageUrl('schema/trace-v1.schema.json');

/** The subset of JSON Schema this file reads when it shapes messages. */
interface SchemaNode {
  $ref?: string;
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  additionalProperties?: boolean | SchemaNode;
  propertyNames?: SchemaNode;
  items?: SchemaNode;
  oneOf?: SchemaNode[];
  /** Only as a union of plain types ({ anyOf: [{ type }, ...] }): draft-07 without ajv's allowUnionTypes. */
  anyOf?: SchemaNode[];
  not?: SchemaNode;
}

export interface SchemaRoot extends SchemaNode {
  $defs: Record<string, SchemaNode>;
}

interface Compiled {
  /** ajv, created on the first part the precompiled module does not have (none when it is current). */
  ajv: Ajv | null;
  /** The build's precompiled parts (by their $defs pointer), or null when absent or built from another schema. */
  pre: Readonly<Record<string, ValidateFunction>> | null;
  root: SchemaRoot;
  /** op → its $defs entry: the entry's name, and its validator once compiled (kindFn). */
  kinds: Map<string, Kind>;
  /** The parts compiled so far, by their $defs pointer (part()). */
  parts: Map<string, ValidateFunction>;
}

interface Kind {
  def: string;
  fn: ValidateFunction<TraceEvent> | null;
}

/** The validator of an event kind, compiled on first use. */
function kindFn(c: Compiled, k: Kind): ValidateFunction<TraceEvent> {
  if (k.fn !== null) return k.fn;
  return (k.fn = part(c, k.def) as ValidateFunction<TraceEvent>);
}

/** The options every part is compiled with, here and by the build's precompilation. */
export const AJV_OPTIONS = {
  allErrors: false,
  strict: true,
  strictRequired: false,
  messages: false,
  logger: false,
} as const;

/**
 * The document a part `$defs/<def><pointer>` (pointer: '' or a JSON pointer inside the def, such
 * as '/oneOf/1') is compiled from: `{ $ref: '#/$defs/<def><pointer>' }` with only the $defs entries
 * that `def` reaches through its $refs (the schema's refs are all '#/$defs/<name>'). Its errors are
 * the full schema's: the same schema nodes checked in the same order, at the same instance paths.
 */
function partDocument(root: SchemaRoot, def: string, pointer = ''): { $id: string; $ref: string; $defs: Record<string, SchemaNode> } {
  if (!root.$defs[def]) throw new Error(`trace schema: $defs/${def} missing`);
  const defs: Record<string, SchemaNode> = {};
  const todo = [def];
  while (todo.length > 0) {
    const name = todo.pop()!;
    if (Object.hasOwn(defs, name)) continue;
    const node = root.$defs[name];
    if (node === undefined) throw new Error(`trace schema: $defs/${name} missing`);
    defs[name] = node;
    JSON.stringify(node, (key, value: unknown) => {
      if (key === '$ref' && typeof value === 'string') todo.push(defName(value) ?? '');
      return value;
    });
  }
  return { $id: `${SCHEMA_ID}:part:${def}${pointer}`, $ref: `#/$defs/${def}${pointer}`, $defs: defs };
}

/**
 * Every part this file can ask for, by its $defs pointer: the header, each event kind (the defs the
 * `event` oneOf names) and each form of a def that is a choice (shapeChoice). The build precompiles
 * exactly these.
 */
export function partDocuments(root: SchemaRoot): Map<string, ReturnType<typeof partDocument>> {
  const docs = new Map<string, ReturnType<typeof partDocument>>();
  const add = (def: string, pointer = ''): void => {
    const doc = partDocument(root, def, pointer);
    docs.set(doc.$ref, doc);
  };
  add('header');
  for (const name of kindDefs(root).values()) add(name);
  for (const [name, node] of Object.entries(root.$defs)) (node.oneOf ?? []).forEach((_, i) => add(name, `/oneOf/${i}`));
  return docs;
}

/** op → the $defs entry of its kind, as the `event` oneOf names them. */
function kindDefs(root: SchemaRoot): Map<string, string> {
  if (!root.$defs['event']) throw new Error('trace schema: $defs/event missing');
  const kinds = new Map<string, string>();
  for (const branch of root.$defs['event'].oneOf ?? []) {
    const name = defName(branch.$ref);
    const op = name === undefined ? undefined : root.$defs[name]?.properties?.['op']?.const;
    if (name === undefined || typeof op !== 'string') continue;
    if (!root.$defs[name]) throw new Error(`trace schema: $defs/${name} missing`);
    kinds.set(op, name);
  }
  return kinds;
}

/** A digest of the schema's text (FNV-1a, 32 bits): what ties the precompiled parts to the schema they were built from. */
export function schemaDigest(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return `${text.length}:${(h >>> 0).toString(16)}`;
}

/** The build's output (scripts/build-validators.mjs). */
const PRECOMPILED = packagePath('dist/trace/schema-validators.cjs');

/**
 * The precompiled parts, when the build made them from this very schema text: the module's exports
 * are the parts by their $defs pointer ('#/$defs/...') and `digest`.
 */
function loadPrecompiled(text: string): Readonly<Record<string, ValidateFunction>> | null {
  let m: Readonly<Record<string, unknown>>;
  try {
    m = createRequire(import.meta.url)(PRECOMPILED) as typeof m;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return null;
    throw e;
  }
  return m['digest'] === schemaDigest(text) ? (m as Readonly<Record<string, ValidateFunction>>) : null;
}

/** The validator of `$defs/<def><pointer>` (partDocument), precompiled or compiled once here. */
function part(c: Compiled, def: string, pointer = ''): ValidateFunction {
  const ref = `#/$defs/${def}${pointer}`;
  const known = c.parts.get(ref) ?? c.pre?.[ref];
  if (known !== undefined) return known;
  c.ajv ??= newAjv(AJV_OPTIONS);
  const fn = c.ajv.compile(partDocument(c.root, def, pointer));
  c.parts.set(ref, fn);
  return fn;
}

let compiled: Compiled | undefined;

/** Reads the schema (once); its parts are taken on first use (part). */
function compile(): Compiled {
  if (compiled) return compiled;
  const text = readFileSync(SCHEMA_URL, 'utf8');
  const root = JSON.parse(text) as SchemaRoot;
  compiled = {
    ajv: null,
    pre: loadPrecompiled(text),
    root,
    kinds: new Map([...kindDefs(root)].map(([op, def]) => [op, { def, fn: null }])),
    parts: new Map(),
  };
  return compiled;
}

/**
 * A family of events alike but for their numbers, as a reader's fast parser
 * knows them (formats/flat-parse.ts templates): given one with an event of
 * the family and its numbers, validateEvent checks a later event of it by its
 * numbers only, once it has validated one in full.
 */
export interface NumberShape {
  /** validateEvent's memo for the family (what its numbers must satisfy); undefined until it has seen one. */
  checks: unknown;
  /** How many numbers an event of the family has. */
  readonly slotCount: number;
  /** An event of the family with these numbers, by slot. */
  build(values: readonly number[]): Record<string, unknown>;
}

/**
 * Checks one event's shape. Returns it typed, or throws a UsageError naming
 * file:line, the event index and the field. `loc` is read, never kept.
 * `shape` and `values`: the family `obj` belongs to and its numbers, when the
 * reader knows them (the verdict is the same, only quicker).
 */
export function validateEvent(obj: unknown, loc: EventLocation, shape?: NumberShape | null, values?: readonly number[]): TraceEvent {
  // An event spelled like an earlier valid one but for its numbers (a fast
  // parser's template) is valid when its numbers pass what the schema asks of them.
  const t = shape !== undefined && shape !== null && values !== undefined ? shape : null;
  if (t !== null && Array.isArray(t.checks) && numbersPass(t.checks as NumberCheck[], values!)) return obj as TraceEvent;
  const c = compiled ?? compile();
  const op = obj !== null && typeof obj === 'object' ? (obj as { op?: unknown }).op : undefined;
  const k = typeof op === 'string' ? c.kinds.get(op) : undefined;
  const v = k === undefined ? undefined : kindFn(c, k);
  if (v !== undefined && v(obj)) {
    if (t !== null && t.checks === undefined) t.checks = templateChecks(c, t);
    return obj;
  }
  const where: Where = { file: loc.file, line: loc.line, event: loc.index };
  throw eventError(obj, v?.errors, where);
}

// ---- templated events ------------------------------------------------------
//
// The objects of one template differ only in their numbers: their keys,
// strings and booleans are the template's. Once ajv has accepted one, the
// others are valid exactly when each number passes the schema node that
// applies to it, provided that node is a plain integer or number with bounds
// and nothing else in the schema looks at values: every object on the way
// is a plain object schema (its required and additional properties depend
// on keys only) or a choice of forms that the keys alone settle. Anything
// else gets no checks (null) and every object is validated in full.

/** What one number must be: a schema node { type: integer | number, minimum?, maximum?, exclusiveMinimum? }. */
interface NumberCheck {
  slot: number;
  integer: boolean;
  min: number;
  max: number;
  /** Values must be greater than this. */
  above: number;
}

function numbersPass(checks: readonly NumberCheck[], values: readonly number[]): boolean {
  for (const c of checks) {
    const v = values[c.slot]!;
    if ((c.integer && !Number.isInteger(v)) || v < c.min || v > c.max || !(v > c.above)) return false;
  }
  return true;
}

const OBJECT_KEYWORDS = new Set(['type', 'required', 'properties', 'additionalProperties', 'description']);
const NUMBER_KEYWORDS = new Set(['type', 'minimum', 'maximum', 'exclusiveMinimum', 'description']);

/** The checks of a template whose first object ajv accepted, or null when the schema asks more than bounds. */
function templateChecks(c: Compiled, t: NumberShape): NumberCheck[] | null {
  // A template's only numbers are its slots: build an object with slot k
  // holding k + 0.5 to see where each one lands (an overwritten duplicate
  // key's number lands nowhere and is not looked at).
  const probe = t.build(Array.from({ length: t.slotCount }, (_, k) => k + 0.5));
  const op = probe['op'];
  const def = typeof op === 'string' ? c.kinds.get(op)?.def : undefined;
  const schema = def === undefined ? undefined : c.root.$defs[def];
  if (schema === undefined) return null;
  const checks: NumberCheck[] = [];
  return collectChecks(c, schema, probe, checks) ? checks : null;
}

function collectChecks(c: Compiled, schema: SchemaNode, value: Record<string, unknown>, checks: NumberCheck[]): boolean {
  const node = deref(c, schema, undefined).node;
  if (node.oneOf !== undefined) {
    if (Object.keys(node).some((k) => k !== 'oneOf' && k !== 'description')) return false;
    let form: SchemaNode | undefined;
    for (const branch of node.oneOf) {
      const b = deref(c, branch, undefined).node;
      const admits = admitsKeys(b, value);
      if (admits === undefined) return false;
      if (admits) {
        if (form !== undefined) return false; // the keys do not settle it
        form = b;
      }
    }
    return form !== undefined && collectChecks(c, form, value, checks);
  }
  if (node.type !== 'object' || Object.keys(node).some((k) => !OBJECT_KEYWORDS.has(k))) return false;
  for (const [key, v] of Object.entries(value)) {
    const child = node.properties?.[key] ?? (typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined);
    if (typeof v === 'number') {
      const check = child === undefined ? null : numberCheck(c, child, v - 0.5);
      if (check === null) return false;
      checks.push(check);
    } else if (typeof v === 'object' && v !== null) {
      if (child === undefined || !collectChecks(c, child, v as Record<string, unknown>, checks)) return false;
    }
  }
  return true;
}

/** Whether a form can take an object with these keys whatever its values (undefined: cannot tell). */
function admitsKeys(form: SchemaNode, value: Record<string, unknown>): boolean | undefined {
  if (form.type === 'object') {
    if ((form.required ?? []).some((k) => !Object.hasOwn(value, k))) return false;
    if (form.additionalProperties === false && Object.keys(value).some((k) => !Object.hasOwn(form.properties ?? {}, k))) return false;
    return true;
  }
  if (form.enum !== undefined && form.enum.every((x) => typeof x !== 'object')) return false; // takes no object
  if (typeof form.type === 'string') return false; // another type
  return undefined;
}

function numberCheck(c: Compiled, schema: SchemaNode, slot: number): NumberCheck | null {
  const node = deref(c, schema, undefined).node;
  if (Object.keys(node).some((k) => !NUMBER_KEYWORDS.has(k))) return null;
  const types = Array.isArray(node.type) ? node.type : [node.type];
  const integer = !types.includes('number');
  if (integer && !types.includes('integer')) return null;
  return { slot, integer, min: node.minimum ?? -Infinity, max: node.maximum ?? Infinity, above: node.exclusiveMinimum ?? -Infinity };
}

/**
 * Checks a header's shape. `keyLines` (optional) gives the line of each
 * top-level key, so an error in `config` points at the line of "config".
 */
export function validateHeader(obj: unknown, where: Where, keyLines?: Readonly<Record<string, number>>): TraceHeader {
  const c = compile();
  const header = part(c, 'header') as ValidateFunction<TraceHeader>;
  if (header(obj)) return obj;
  const s = shapeFirst(c, header.errors, obj, c.root.$defs['header'] ?? {}, 'in the header', '');
  const top = s.field?.split(/[.[]/)[0];
  const line = top !== undefined && keyLines?.[top] !== undefined ? keyLines[top] : where.line;
  return throwShaped(s, { ...where, line });
}

function throwShaped(s: Shaped, where: Where): never {
  throw new UsageError(s.what, s.field === undefined ? where : { ...where, field: s.field }, s.accepted);
}

// ---- shaping --------------------------------------------------------------

interface Shaped {
  field?: string;
  what: string;
  accepted?: string;
}

const OPS = EVENT_OPS.join(', ');

/** Human words for the defs that are a choice of forms. */
const CHOICES: Record<string, { what: string; accepted: string }> = {
  dataSpec: {
    what: 'a page data spec',
    accepted:
      'a class name (zero, fill, text, code, random, heap, vmix), {"class": name, "seed": n}, ' +
      '{"fill": 0..255}, {"corpus": page}, {"b64": "..."}',
  },
  contentDefault: {
    what: 'a class name or an object of class weights',
    accepted: 'zero, fill, text, code, random, heap, vmix, or weights 0..1000000, e.g. {"text": 3, "zero": 1}',
  },
  profile: { what: 'a profile name or a list of names', accepted: 'e.g. "ssd-laptop" or ["ssd-laptop", "lz4"]' },
  backendOrNull: { what: 'a backend name or null', accepted: 'a backend name, or null for none' },
};

function eventError(obj: unknown, errors: ErrorObject[] | null | undefined, where: Where): UsageError {
  const c = compile();
  // What the dispatch on `op` settles before any kind's schema is looked at.
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    return new UsageError(`an event must be a JSON object, got ${show(obj)}`, where);
  }
  if (!('op' in obj)) return new UsageError('missing: every event names its kind', { ...where, field: 'op' }, OPS);
  const tag = (obj as { op: unknown }).op;
  if (typeof tag !== 'string') return new UsageError(`must be a string naming the event kind, got ${show(tag)}`, { ...where, field: 'op' }, OPS);
  if (!c.kinds.has(tag)) return new UsageError(`unknown event kind '${tag}'`, { ...where, field: 'op' }, OPS);
  if (!errors?.[0]) return new UsageError('invalid event', where);
  const op = tag;
  const def = c.kinds.get(op)?.def ?? 'event';
  const s = shapeFirst(c, errors, obj, c.root.$defs[def] ?? {}, `for ${op}`, '');
  return new UsageError(s.what, s.field === undefined ? where : { ...where, field: s.field }, s.accepted);
}

function shapeFirst(
  c: Compiled, errors: ErrorObject[] | null | undefined, value: unknown, schema: SchemaNode, ctx: string, prefix: string,
): Shaped {
  const err = errors?.[0];
  if (!err) return { field: prefix || undefined, what: 'invalid' };
  return shape(c, err, value, schema, ctx, prefix);
}

/**
 * Turns one ajv error into a message: walks the schema along the error's
 * instancePath (through $refs), then words the failed keyword.
 */
function shape(c: Compiled, err: ErrorObject, root: unknown, rootSchema: SchemaNode, rootCtx: string, prefix: string): Shaped {
  const segs = err.instancePath === '' ? [] : err.instancePath.slice(1).split('/').map(unescapePointer);
  let node: SchemaNode = rootSchema;
  let value: unknown = root;
  let path = prefix;
  let def: string | undefined;
  for (const seg of segs) {
    ({ node, def } = deref(c, node, def));
    if (node.oneOf && def) return shapeChoice(c, node, def, value, path);
    const isArray = Array.isArray(value);
    const child: SchemaNode | undefined =
      node.properties?.[seg] ??
      (isArray ? node.items : typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined);
    path = join(path, seg, isArray);
    value = isObjectLike(value) ? (value as Record<string, unknown>)[seg] : undefined;
    if (!child) return { field: path, what: `is invalid (${err.keyword})` };
    node = child;
    def = undefined;
  }
  ({ node, def } = deref(c, node, def));
  if (node.oneOf && def) return shapeChoice(c, node, def, value, path);

  const ctx = path === '' ? rootCtx : `in ${path}`;
  const params = err.params as Record<string, unknown>;
  if (err.propertyName !== undefined) {
    const name = err.propertyName;
    return {
      field: join(path, name, false),
      what: `unknown name '${name}' ${ctx}`,
      accepted: node.propertyNames ? acceptedOf(c, node.propertyNames) : undefined,
    };
  }
  switch (err.keyword) {
    case 'required': {
      const missing = String(params['missingProperty']);
      const req = (node.required ?? []).filter((k) => !(path === '' && k === 'op' && rootCtx.startsWith('for ')));
      return { field: join(path, missing, false), what: `missing (required ${ctx}: ${req.join(', ')})` };
    }
    case 'additionalProperties': {
      const extra = String(params['additionalProperty']);
      const accepted = Object.keys(node.properties ?? {}).join(', ');
      return { field: join(path, extra, false), what: `unknown field ${ctx}`, accepted };
    }
    case 'minItems':
    case 'minProperties':
      return { field: path || undefined, what: `must not be empty (${describe(c, node)})` };
    case 'not': {
      const both = deref(c, node.not ?? {}, undefined).node.required ?? [];
      return {
        field: join(path, both[both.length - 1] ?? '', false),
        what: `${both.map((k) => join(path, k, false)).join(' and ')} exclude each other: give one`,
      };
    }
    case 'const':
      if (path === 'version') return { field: path, what: `unsupported trace format version ${show(value)}`, accepted: '1' };
      if (path === 'format') {
        return { field: path, what: `not a tmemsim trace: format is ${show(value)}`, accepted: JSON.stringify(node.const) };
      }
      break;
    default:
      break;
  }
  if (path === '') return { what: `${rootCtx === 'in the header' ? 'the header' : 'the value'} must be ${describe(c, node)}, got ${show(value)}` };
  return { field: path, what: `must be ${describe(c, node)}, got ${show(value)}` };
}

/**
 * A choice of forms (oneOf) failed: pick the form the value was clearly
 * aiming at (by its key, or its JSON type) and report what is wrong in it;
 * otherwise list the forms.
 */
function shapeChoice(c: Compiled, node: SchemaNode, def: string, value: unknown, path: string): Shaped {
  const words = CHOICES[def];
  const idx = pickBranch(c, node.oneOf ?? [], value);
  if (idx >= 0) {
    const v = part(c, def, `/oneOf/${idx}`);
    const branch = node.oneOf?.[idx];
    if (branch && !v(value) && v.errors?.[0]) {
      const s = shape(c, v.errors[0], value, branch, `in ${path}`, path);
      if (s.accepted === undefined && words && s.field === path) s.accepted = words.accepted;
      return s;
    }
  }
  return {
    field: path || undefined,
    what: `must be ${words?.what ?? describe(c, node)}, got ${show(value)}`,
    accepted: words?.accepted,
  };
}

function pickBranch(c: Compiled, branches: SchemaNode[], value: unknown): number {
  const kind = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  let typed = -1;
  for (let i = 0; i < branches.length; i++) {
    const b = deref(c, branches[i] ?? {}, undefined).node;
    const bt = b.type ?? (b.enum ? typeof b.enum[0] : undefined);
    if (bt !== kind) continue;
    if (kind === 'object' && b.required?.some((k) => Object.hasOwn(value as object, k))) return i;
    if (typed < 0) typed = i;
  }
  if (kind === 'object') {
    const objects = branches.filter((b) => deref(c, b, undefined).node.type === 'object');
    return objects.length === 1 ? typed : -1;
  }
  return typed;
}

function deref(c: Compiled, node: SchemaNode, def: string | undefined): { node: SchemaNode; def: string | undefined } {
  let n = node;
  let d = def;
  for (let hops = 0; n.$ref !== undefined && hops < 8; hops++) {
    d = defName(n.$ref);
    n = (d !== undefined ? c.root.$defs[d] : undefined) ?? {};
  }
  return { node: n, def: d };
}

function defName(ref: string | undefined): string | undefined {
  const m = ref === undefined ? null : /^#\/\$defs\/([^/]+)$/.exec(ref);
  return m?.[1];
}

/** What a schema accepts, as words: "an integer 0..31", "one of a, b". */
function describe(c: Compiled, raw: SchemaNode): string {
  const { node: n, def } = deref(c, raw, undefined);
  if (def && CHOICES[def]) return CHOICES[def].what;
  if ('const' in n) return `exactly ${JSON.stringify(n.const)}`;
  if (n.enum) return n.enum.length === 1 ? `exactly ${JSON.stringify(n.enum[0])}` : `one of ${n.enum.map(word).join(', ')}`;
  if (n.oneOf) return n.oneOf.map((b) => describe(c, b)).join(' or ');
  const t = n.anyOf?.every((b) => typeof b.type === 'string' && Object.keys(b).length === 1) ? n.anyOf.map((b) => b.type as string) : n.type;
  if (Array.isArray(t)) return `a ${t.slice(0, -1).join(', ')} or ${t[t.length - 1]}`;
  switch (t) {
    case 'integer':
      return `an integer ${range(n)}`.trimEnd();
    case 'number':
      return `a number ${range(n)}`.trimEnd();
    case 'string':
      if (n.maxLength !== undefined) return `a base64 string of at most ${n.maxLength} characters`;
      return n.minLength ? 'a non-empty string' : 'a string';
    case 'boolean':
      return 'true or false';
    case 'null':
      return 'null';
    case 'array':
      return `a list of ${n.items ? plural(describe(c, n.items)) : 'values'}`;
    case 'object':
      return typeof n.additionalProperties === 'object'
        ? `an object whose values are ${plural(describe(c, n.additionalProperties))}`
        : 'an object';
    default:
      return 'a valid value';
  }
}

function acceptedOf(c: Compiled, raw: SchemaNode): string {
  const n = deref(c, raw, undefined).node;
  return n.enum ? n.enum.map(word).join(', ') : describe(c, n);
}

function range(n: SchemaNode): string {
  if (n.minimum !== undefined && n.maximum !== undefined) return `${n.minimum}..${n.maximum}`;
  if (n.exclusiveMinimum !== undefined && n.maximum !== undefined) return `> ${n.exclusiveMinimum} and <= ${n.maximum}`;
  if (n.exclusiveMinimum !== undefined) return `> ${n.exclusiveMinimum}`;
  if (n.maximum !== undefined) return `<= ${n.maximum}`;
  if (n.minimum !== undefined) return `>= ${n.minimum}`;
  return '';
}

function plural(s: string): string {
  return s.replace(/^an? /, '').replace(/\b(integer|number|string|object)\b/, '$1s');
}

function word(v: unknown): string {
  return typeof v === 'string' ? v : quote(v);
}

function join(path: string, seg: string, index: boolean): string {
  if (index) return `${path}[${seg}]`;
  return path === '' ? seg : `${path}.${seg}`;
}

function unescapePointer(s: string): string {
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
}

function isObjectLike(v: unknown): boolean {
  return typeof v === 'object' && v !== null;
}

/** A value as shown in a message: JSON, cut to 40 characters. */
function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  return quote(v, 40);
}
