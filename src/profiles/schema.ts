/**
 * The profile schema (schema/profile.schema.json) compiled once, and its
 * errors as one UsageError naming the file, the JSON pointer of the bad field
 * and what is accepted: what profile files (file.ts) and the built-in profiles
 * (builtin.ts) are checked with.
 */

import { readFileSync } from 'node:fs';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { newAjv } from '../ajv.js';
import { compressorNames } from '../compressors/registry.js';
import { UsageError, quote } from '../errors.js';
import type { Profile } from './profile.js';
import { packageUrl } from '../package-files.js';

const PROFILE_SCHEMA_URL = packageUrl('schema/profile.schema.json');

let validator: ValidateFunction | undefined;
let schemaRoot: Record<string, unknown> | undefined;

/** The schema, compiled on first use, with the compressor registry's names as the codec keys. */
export function profileValidator(): ValidateFunction {
  if (validator) return validator;
  schemaRoot = JSON.parse(readFileSync(PROFILE_SCHEMA_URL, 'utf8')) as Record<string, unknown>;
  // The codec names are the compressor registry's: the schema file does not repeat the list.
  const codecs = (schemaRoot['properties'] as Record<string, Record<string, unknown>>)['codecs']!;
  codecs['propertyNames'] = { enum: compressorNames() };
  // validateSchema off: test/package/schema.test.ts checks the schema itself; inlineRefs off: each $defs entry is
  // compiled once, not at each of its uses. Both cut the compile, which a profile file pays (and npm test's check of
  // the built-ins; a run loads them unchecked: registry.ts, and loads no ajv at all: test/package/lazy-load.test.ts).
  const ajv = newAjv({ allErrors: false, strict: true, strictRequired: false, logger: false, verbose: true, validateSchema: false, inlineRefs: false });
  validator = ajv.compile(schemaRoot);
  return validator;
}

interface Bounds {
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
}

/** A schema bound as an error line spells it: 1000, 1e9 (10,000 and up in exponent form, as the schema files write them). */
export function boundText(x: number): string {
  return Math.abs(x) >= 1e4 ? x.toExponential().replace('e+', 'e') : String(x);
}

/** A number's bounds as the schema gives them: `a number > 0 and <= 1e4`. */
export function boundsOf(b: Bounds): string {
  const parts: string[] = [];
  if (b.exclusiveMinimum !== undefined) parts.push(`> ${boundText(b.exclusiveMinimum)}`);
  if (b.minimum !== undefined) parts.push(`>= ${boundText(b.minimum)}`);
  if (b.maximum !== undefined) parts.push(`<= ${boundText(b.maximum)}`);
  return `a number ${parts.join(' and ')}`;
}

/** What the error at `e` accepts, read off the schema node ajv reports. */
function accepted(e: ErrorObject): string | undefined {
  const p = e.params as Record<string, unknown>;
  const node = e.parentSchema as { properties?: Record<string, unknown>; enum?: unknown[] } | undefined;
  switch (e.keyword) {
    case 'additionalProperties':
      return node?.properties ? Object.keys(node.properties).join(', ') : undefined;
    case 'propertyNames':
    case 'enum':
      return (p['allowedValues'] as unknown[] | undefined)?.map(String).join(', ') ?? node?.enum?.map(String).join(', ');
    case 'const':
      return JSON.stringify(p['allowedValue']);
    case 'type':
      return `a ${String(p['type'])}`;
    case 'multipleOf':
      return boundsOf(e.parentSchema as Bounds).replace(/^a number/, 'a whole number');
    case 'exclusiveMinimum':
    case 'minimum':
    case 'maximum':
      return boundsOf(e.parentSchema as Bounds);
    case 'required':
      return undefined;
    case 'pattern':
      return `a name matching ${String(p['pattern'])}`;
    default:
      return e.message;
  }
}

export function schemaError(file: string, errors: ErrorObject[] | null | undefined): UsageError {
  // An if/then failure reports the 'then' branch's error first; the keyword 'if' itself adds nothing.
  const e = (errors ?? []).find((x) => x.keyword !== 'if') ?? errors?.[0];
  if (!e) return new UsageError('profile file does not match schema/profile.schema.json', { file });
  const p = e.params as Record<string, unknown>;
  let pointer = e.instancePath || '/';
  let what: string;
  switch (e.keyword) {
    case 'required':
      pointer = `${e.instancePath}/${String(p['missingProperty'])}`;
      // Required by the 'then' branch: what a file without 'extends' must give, at the top level or inside cpu, storage, blockIo, network.
      what = e.schemaPath.startsWith('#/then/')
        ? `missing field (a profile without 'extends' must give every constant)`
        : 'missing field';
      break;
    case 'additionalProperties':
      pointer = `${e.instancePath}/${String(p['additionalProperty'])}`;
      what = 'unknown field';
      break;
    case 'propertyNames':
      pointer = `${e.instancePath}/${String(p['propertyName'])}`;
      what = 'unknown compressor';
      break;
    default:
      if (e.propertyName !== undefined) {
        pointer = `${e.instancePath}/${e.propertyName}`;
        what = `unknown name '${e.propertyName}'`;
      } else what = `invalid value ${quote(e.data)}`; // e.data: the value at instancePath (ajv's verbose mode)
  }
  return new UsageError(what, { file, field: pointer }, accepted(e));
}

/** tmemCluster names the cluster whose figures cpu, codecs and copy hold: it must be one of clusters. */
export function checkTmemCluster(p: Profile, file: string): void {
  if (p.tmemCluster === undefined) return;
  const have = Object.keys(p.clusters ?? {});
  if (!have.includes(p.tmemCluster)) {
    throw new UsageError(`tmemCluster ${quote(p.tmemCluster)} is not one of the profile's clusters`, { file, field: '/tmemCluster' },
      have.length > 0 ? have.join(', ') : 'a key of clusters (give clusters, or leave tmemCluster out for a one-cluster CPU)');
  }
}
