/**
 * User profile files (schema/profile.schema.json): a JSON document with the
 * shape of a Profile, validated with ajv, optionally `extends` a built-in
 * profile whose constants it overrides (objects merge key by key; a
 * { value, source } pair is replaced whole). Errors are one UsageError naming
 * the file, the JSON pointer of the bad field and what is accepted.
 *
 * `--profile X` is a file when X names an existing file or ends in .json,
 * else a registered profile name.
 */

import { existsSync, readFileSync, statSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { compressorNames } from '../compressors/registry.js';
import { UsageError, quote, readJsonFile } from '../errors.js';
import type { Profile } from './profile.js';
import { getProfile, profileNames } from './registry.js';

const PROFILE_SCHEMA_URL = new URL('../../schema/profile.schema.json', import.meta.url);
export const PROFILE_FORMAT = 'tmemsim-profile';

/** Calibration facts a file may carry (written by tmemsim calibrate). */
interface Calibration {
  method: string;
  date: string;
  host_cpu: string;
  node: string;
  [k: string]: unknown;
}

/** A profile loaded from a file: a Profile plus where it came from. */
export interface FileProfile extends Profile {
  file: string;
  extends?: string;
  calibration?: Calibration;
}

let validator: ValidateFunction | undefined;
let schemaRoot: Record<string, unknown> | undefined;

function compile(): ValidateFunction {
  if (validator) return validator;
  schemaRoot = JSON.parse(readFileSync(PROFILE_SCHEMA_URL, 'utf8')) as Record<string, unknown>;
  // The codec names are the compressor registry's: the schema file does not repeat the list.
  const codecs = (schemaRoot['properties'] as Record<string, Record<string, unknown>>)['codecs']!;
  codecs['propertyNames'] = { enum: compressorNames() };
  const ajv = new Ajv({ allErrors: false, strict: true, strictRequired: false, logger: false, verbose: true });
  validator = ajv.compile(schemaRoot);
  return validator;
}

/** True when `arg` of --profile means a file rather than a built-in name. */
export function isProfilePath(arg: string): boolean {
  if (arg.endsWith('.json')) return true;
  try {
    return existsSync(arg) && statSync(arg).isFile();
  } catch {
    return false;
  }
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

function schemaError(file: string, errors: ErrorObject[] | null | undefined): UsageError {
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

function isPlain(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep merge for profiles: objects merge key by key, except a { value, source } pair (or a codec) which replaces whole. */
function merge(base: unknown, over: unknown): unknown {
  if (!isPlain(base) || !isPlain(over)) return over === undefined ? base : over;
  if ('value' in over || 'compress' in over) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = merge(base[k], v);
  return out;
}

/** Checks a parsed profile document; returns the complete Profile. `file` names it in errors. */
export function profileFromDocument(doc: unknown, file: string): FileProfile {
  const v = compile();
  if (!v(doc)) throw schemaError(file, v.errors);
  const d = doc as Record<string, unknown> & { name: string; extends?: string };
  let base: Profile | undefined;
  if (d.extends !== undefined) {
    try {
      base = getProfile(d.extends);
    } catch {
      throw new UsageError(`unknown built-in profile '${d.extends}'`, { file, field: '/extends' }, profileNames().join(', '));
    }
  }
  const { format: _f, version: _v, $schema: _s, extends: ext, calibration, ...rest } = d;
  const merged = (base ? merge(stripProfile(base), rest) : rest) as Omit<Profile, 'aliases' | 'description'> & Partial<Profile>;
  const p: FileProfile = {
    ...(merged as Profile),
    name: d.name,
    aliases: (d['aliases'] as string[] | undefined) ?? [],
    description: (d['description'] as string | undefined) ?? (base ? `${base.description} (overridden by ${file})` : `profile file ${file}`),
    file,
  };
  if (ext !== undefined) p.extends = ext as string;
  if (calibration !== undefined) p.calibration = calibration as Calibration;
  // Complete after `extends` is resolved: the merged profile, as a document without
  // `extends`, must give every constant in its bounds (the built-ins do; this keeps it so).
  if (base && !v(profileDocument(p))) throw schemaError(file, v.errors);
  // tmemCluster names the cluster whose figures cpu, codecs and copy hold: it must be one of clusters.
  if (p.tmemCluster !== undefined) {
    const have = Object.keys(p.clusters ?? {});
    if (!have.includes(p.tmemCluster)) {
      throw new UsageError(`tmemCluster ${quote(p.tmemCluster)} is not one of the profile's clusters`, { file, field: '/tmemCluster' },
        have.length > 0 ? have.join(', ') : 'a key of clusters (give clusters, or leave tmemCluster out for a one-cluster CPU)');
    }
  }
  return p;
}

function stripProfile(p: Profile): Record<string, unknown> {
  return JSON.parse(JSON.stringify(p)) as Record<string, unknown>;
}

/** Reads, parses and validates a profile file. */
export function loadProfileFile(file: string): FileProfile {
  if (!existsSync(file)) throw new UsageError('profile file not found', { file, field: '--profile' }, `an existing .json profile file (schema/profile.schema.json) or a built-in profile: ${profileNames().join(', ')}`);
  return profileFromDocument(readJsonFile(file, 'a JSON profile document (schema/profile.schema.json)'), file);
}

/** A built-in name or alias, or a profile file. */
export function resolveProfile(arg: string): Profile {
  return isProfilePath(arg) ? loadProfileFile(arg) : getProfile(arg);
}

/** A profile as a profile-file document (what `tmemsim profiles --show X --format json` prints): it validates and loads back. */
export function profileDocument(p: Profile): Record<string, unknown> {
  const { file: _file, extends: _ext, calibration, ...rest } = p as FileProfile;
  const doc: Record<string, unknown> = { format: PROFILE_FORMAT, version: 1, ...stripProfile(rest as Profile) };
  if (calibration) doc['calibration'] = calibration;
  return doc;
}
