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

import { existsSync, statSync } from 'node:fs';
import { UsageError, readJsonFile } from '../errors.js';
import type { Profile } from './profile.js';
import { getProfile, profileNames } from './registry.js';
import { checkTmemCluster, profileValidator, schemaError } from './schema.js';

export { boundText, boundsOf } from './schema.js';

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

/** True when `arg` of --profile means a file rather than a built-in name. */
export function isProfilePath(arg: string): boolean {
  if (arg.endsWith('.json')) return true;
  try {
    return existsSync(arg) && statSync(arg).isFile();
  } catch {
    return false;
  }
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
  const v = profileValidator();
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
  checkTmemCluster(p, file);
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
