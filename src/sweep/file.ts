/**
 * Sweep files: a JSON grid validated against schema/sweep-v1.schema.json
 * with ajv. A bad file is one line naming the file, the field and what is
 * accepted. Workload paths are relative to the sweep file.
 */

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { newAjv } from '../ajv.js';
import { UsageError, readJsonFile } from '../errors.js';
import type { SweepGrid } from './grid.js';
import { packageUrl } from '../package-files.js';

const SCHEMA_URL = packageUrl('schema/sweep-v1.schema.json');

let validate: ValidateFunction<SweepGrid> | undefined;

function validator(): ValidateFunction<SweepGrid> {
  if (!validate) {
    const ajv = newAjv({ allErrors: false, strict: true });
    validate = ajv.compile<SweepGrid>(JSON.parse(readFileSync(SCHEMA_URL, 'utf8')));
  }
  return validate;
}

function describe(errors: ErrorObject[]): { field: string; what: string; accepted?: string } {
  const e = errors[0]!;
  const field = e.instancePath === '' ? '(top level)' : e.instancePath.slice(1).replace(/\//g, '.');
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return { field: String(p.additionalProperty), what: 'unknown field', accepted: Object.keys(((validator().schema as { properties: object }).properties)).join(', ') };
    case 'required':
      return { field: String(p.missingProperty), what: 'missing required field' };
    case 'type': {
      // A union of types is an anyOf of { type } (draft-07 without ajv's allowUnionTypes): one error per type.
      const types = errors.filter((x) => x.keyword === 'type' && x.instancePath === e.instancePath).map((x) => String(x.params['type']));
      return { field, what: `must be ${types.length > 1 ? `${types.slice(0, -1).join(', ')} or ${types[types.length - 1]}` : types[0]}` };
    }
    default:
      return { field, what: e.message ?? e.keyword };
  }
}

/** Check a parsed grid (from a file or from code). */
export function checkGrid(obj: unknown, file?: string): SweepGrid {
  const v = validator();
  if (v(obj)) return obj;
  const d = describe(v.errors!);
  throw new UsageError(d.what, { file, field: d.field }, d.accepted);
}

export function readSweepFile(file: string): SweepGrid {
  const obj = readJsonFile(file, 'a sweep file (schema/sweep-v1.schema.json)');
  const grid = checkGrid(obj, file);
  const dir = path.dirname(file);
  return { ...grid, workloads: grid.workloads.map((w) => (path.isAbsolute(w) ? w : path.join(dir, w))) };
}
