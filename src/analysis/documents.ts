/**
 * The documents tmemsim reads back — run reports, sweep results, baselines —
 * checked against their JSON Schemas (schema/report, sweep-result,
 * baseline) before compare or merge reads a field of them. Each schema
 * states every field those commands read, with its type and bounds (numbers
 * finite, counts bounded); a document that fails is one UsageError naming
 * the file, the JSON pointer of the first bad field and what is accepted,
 * never a TypeError later on.
 *
 * Compiled lazily with ajv (draft-07, strict), once per schema.
 */

import { readFileSync } from 'node:fs';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import { newAjv } from '../ajv.js';
import { UsageError, quote } from '../errors.js';
import { boundText } from '../profiles/file.js';
import { packageUrl } from '../package-files.js';

type DocumentKind = 'report' | 'sweep' | 'baseline';

export const DOCUMENT_SCHEMAS: Record<DocumentKind, string> = {
  report: 'report.schema.json',
  sweep: 'sweep-result.schema.json',
  baseline: 'baseline.schema.json',
};

type Node = Record<string, unknown>;

interface Compiled {
  validate: ValidateFunction;
  root: Node;
}

let ajv: Ajv | undefined;
const compiled = new Map<DocumentKind, Compiled>();

function compiledFor(kind: DocumentKind): Compiled {
  const have = compiled.get(kind);
  if (have) return have;
  const root = JSON.parse(readFileSync(packageUrl(`schema/${DOCUMENT_SCHEMAS[kind]}`), 'utf8')) as Node;
  ajv ??= newAjv({ allErrors: false, strict: true, logger: false, verbose: true });
  const c = { validate: ajv.compile(root), root };
  compiled.set(kind, c);
  return c;
}

function deref(root: Node, n: unknown): Node {
  const node = (n ?? {}) as Node;
  const ref = node['$ref'];
  if (typeof ref !== 'string') return node;
  const name = ref.replace('#/$defs/', '');
  return deref(root, (root['$defs'] as Record<string, Node>)[name]);
}


/** What a schema node accepts, in words: "a finite number or null", "an integer >= 0", "one of 1, 2". */
function describeSchema(root: Node, raw: unknown): string {
  const n = deref(root, raw);
  if (Array.isArray(n['anyOf'])) return (n['anyOf'] as unknown[]).map((x) => describeSchema(root, x)).join(' or ');
  if ('const' in n) return JSON.stringify(n['const']);
  if (Array.isArray(n['enum'])) return `one of ${(n['enum'] as unknown[]).map((x) => JSON.stringify(x)).join(', ')}`;
  const t = n['type'];
  if (t === 'number' || t === 'integer') {
    const lo = n['minimum'] as number | undefined;
    const hi = n['maximum'] as number | undefined;
    if (t === 'number' && lo !== undefined && hi !== undefined && -lo === hi && hi > 1e300) return 'a finite number';
    const parts = [lo !== undefined ? `>= ${boundText(lo)}` : '', hi !== undefined ? `<= ${boundText(hi)}` : ''].filter((x) => x !== '');
    return `${t === 'integer' ? 'an integer' : 'a number'}${parts.length > 0 ? ` ${parts.join(' and ')}` : ''}`;
  }
  if (t === 'string') return `${n['minLength'] ? 'a non-empty string' : 'a string'}${n['maxLength'] !== undefined ? ` of at most ${n['maxLength']} characters` : ''}`;
  if (t === 'boolean') return 'true or false';
  if (t === 'null') return 'null';
  if (t === 'array') {
    const max = n['maxItems'] as number | undefined;
    return `an array${n['minItems'] ? ' of at least 1 item' : ''}${max !== undefined ? ` of at most ${boundText(max)} items` : ''}`;
  }
  if (t === 'object') {
    const req = (n['required'] as string[] | undefined) ?? [];
    return req.length > 0 ? `an object with ${req.join(', ')}` : 'an object';
  }
  return 'any value';
}

function documentError(kind: DocumentKind, file: string, root: Node, errors: ErrorObject[] | null | undefined): UsageError {
  const schema = `schema/${DOCUMENT_SCHEMAS[kind]}`;
  // The deepest error names the field; at equal depth an anyOf error names the choices its branches' errors each give one of.
  const depth = (x: ErrorObject): number => x.instancePath.split('/').length + (x.keyword === 'required' || x.keyword === 'additionalProperties' ? 1 : 0);
  let e: ErrorObject | undefined;
  for (const x of errors ?? []) if (!e || depth(x) > depth(e) || (depth(x) === depth(e) && x.keyword === 'anyOf')) e = x;
  if (!e) return new UsageError(`does not match ${schema}`, { file });
  const p = e.params as Record<string, unknown>;
  const at = e.instancePath || '/';
  switch (e.keyword) {
    case 'required': {
      const field = String(p['missingProperty']);
      const parent = deref(root, e.parentSchema);
      return new UsageError('missing field', { file, field: `${e.instancePath}/${field}` }, `${describeSchema(root, (parent['properties'] as Node | undefined)?.[field])}, per ${schema}`);
    }
    case 'additionalProperties': {
      const parent = deref(root, e.parentSchema);
      return new UsageError('unknown field', { file, field: `${e.instancePath}/${String(p['additionalProperty'])}` }, `${Object.keys((parent['properties'] as Node | undefined) ?? {}).join(', ')}, per ${schema}`);
    }
    case 'maxItems':
      return new UsageError('too many items', { file, field: at }, `${describeSchema(root, e.parentSchema)}, per ${schema}`);
    default:
      return new UsageError(`invalid value ${quote(e.data)}`, { file, field: at }, `${describeSchema(root, e.parentSchema)}, per ${schema}`);
  }
}

/** Checks a parsed document against the schema of its kind; throws one UsageError naming `file`, the field and what is accepted. */
export function checkDocument(kind: DocumentKind, file: string, doc: unknown): void {
  const c = compiledFor(kind);
  if (!c.validate(doc)) throw documentError(kind, file, c.root, c.validate.errors);
}
