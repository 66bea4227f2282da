/**
 * Backend module parameters: validate and coerce a ParamMap (from a trace's
 * `insmod`/`param` event or from `-p key=value` on the command line) against
 * a backend's ParamSpec list. Shared by every backend.
 *
 * Values coming from the command line are strings, so booleans accept
 * true/false, 1/0, y/n, yes/no, on/off (any case; the kernel's strtobool
 * takes y/Y/1 and n/N/0) and integers accept decimal strings. Every error is
 * a UsageError naming the parameter and what would be accepted.
 */

import { UsageError, acceptedList } from '../errors.js';

/** A module parameter value, as given in a trace (`insmod`, `param`, config.params) or on the command line. */
export type ParamValue = string | number | boolean;
/** Module parameters by name. */
export type ParamMap = Record<string, ParamValue>;

type ParamType = 'bool' | 'int' | 'string';

export interface ParamSpec {
  name: string;
  type: ParamType;
  default: ParamValue;
  /** For strings: the accepted values, if closed. Validated against registries otherwise. */
  choices?: readonly string[];
  min?: number;
  max?: number;
  /** Whether a `param` event may change it while loaded. */
  runtime: boolean;
  doc: string;
  /**
   * The backend's eras (its era parameter's values) whose kernel has this parameter; absent:
   * every era (as CounterSpec.eras for counters). Elsewhere reports leave it out
   * (paramsOfEra) and only its default is accepted (checkEraParam).
   */
  eras?: readonly string[];
}

const BOOL_ACCEPTED = 'true, false, 1, 0, y, n';

const TRUE_WORDS: ReadonlySet<string> = new Set(['true', '1', 'y', 'yes', 'on']);
const FALSE_WORDS: ReadonlySet<string> = new Set(['false', '0', 'n', 'no', 'off']);

/** The spec named `name`, or a UsageError listing the accepted names. */
export function paramSpec(backend: string, specs: readonly ParamSpec[], name: string): ParamSpec {
  for (const s of specs) if (s.name === name) return s;
  throw new UsageError(
    `unknown parameter '${name}' for backend ${backend}`,
    { field: name },
    acceptedList(specs.map((s) => s.name)),
  );
}

function intRange(spec: ParamSpec): string {
  const lo = spec.min !== undefined ? String(spec.min) : '';
  const hi = spec.max !== undefined ? String(spec.max) : '';
  if (lo === '' && hi === '') return 'an integer';
  return `an integer in ${lo}..${hi}`;
}

/** Coerce one value to the spec's type, or throw a UsageError. */
export function coerceParam(backend: string, spec: ParamSpec, value: ParamValue): ParamValue {
  const where = { field: spec.name };
  switch (spec.type) {
    case 'bool': {
      if (typeof value === 'boolean') return value;
      if (typeof value === 'number') {
        if (value === 1) return true;
        if (value === 0) return false;
      } else {
        const w = value.trim().toLowerCase();
        if (TRUE_WORDS.has(w)) return true;
        if (FALSE_WORDS.has(w)) return false;
      }
      throw new UsageError(
        `parameter '${spec.name}' of backend ${backend} must be a boolean, got '${String(value)}'`,
        where,
        BOOL_ACCEPTED,
      );
    }
    case 'int': {
      let n: number = Number.NaN;
      if (typeof value === 'number') n = value;
      else if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) n = Number(value);
      const ok =
        Number.isSafeInteger(n) &&
        (spec.min === undefined || n >= spec.min) &&
        (spec.max === undefined || n <= spec.max);
      if (!ok) {
        throw new UsageError(
          `parameter '${spec.name}' of backend ${backend} must be ${intRange(spec)}, got '${String(value)}'`,
          where,
          spec.min !== undefined || spec.max !== undefined ? `${spec.min ?? ''}..${spec.max ?? ''}` : 'an integer',
        );
      }
      return n;
    }
    case 'string': {
      if (typeof value === 'boolean') {
        throw new UsageError(
          `parameter '${spec.name}' of backend ${backend} must be a string, got '${String(value)}'`,
          where,
          spec.choices ? acceptedList(spec.choices) : 'a name',
        );
      }
      const s = String(value);
      if (spec.choices && !spec.choices.includes(s)) {
        throw new UsageError(
          `parameter '${spec.name}' of backend ${backend} does not accept '${s}'`,
          where,
          acceptedList(spec.choices),
        );
      }
      return s;
    }
  }
}

/**
 * The full parameter map of a backend at load time: every spec's default,
 * overridden by `given` (validated and coerced). Keys follow the spec order.
 */
export function resolveParams(backend: string, specs: readonly ParamSpec[], given?: ParamMap): ParamMap {
  if (given) for (const k of Object.keys(given)) paramSpec(backend, specs, k);
  const out: ParamMap = {};
  for (const s of specs) {
    const v = given !== undefined && Object.prototype.hasOwnProperty.call(given, s.name) ? given[s.name] : undefined;
    out[s.name] = v === undefined ? s.default : coerceParam(backend, s, v);
  }
  return out;
}

/** The parameters `era`'s kernel has (ParamSpec.eras), with their values: what reports list. */
export function paramsOfEra(specs: readonly ParamSpec[], params: ParamMap, era: string): ParamMap {
  const lacked = new Set(specs.filter((s) => s.eras !== undefined && !s.eras.includes(era)).map((s) => s.name));
  return Object.fromEntries(Object.entries(params).filter(([k]) => !lacked.has(k)));
}

/**
 * A parameter `era`'s kernel lacks (ParamSpec.eras) keeps its default: another value could not
 * take effect, a UsageError naming the eras that have it.
 */
export function checkEraParam(backend: string, spec: ParamSpec, value: ParamValue, era: string): void {
  if (spec.eras === undefined || spec.eras.includes(era) || value === spec.default) return;
  throw new UsageError(
    `parameter '${spec.name}' of backend ${backend} does not exist in era ${era} (its eras: ${spec.eras.join(', ')})`,
    { field: spec.name },
    `its default, ${String(spec.default)}, or one of those eras`,
  );
}

/**
 * Validate a runtime change (the `param` event): the name must be known and
 * the parameter changeable while loaded. Returns the coerced value.
 */
export function checkRuntimeParam(
  backend: string,
  specs: readonly ParamSpec[],
  name: string,
  value: ParamValue,
): ParamValue {
  const spec = paramSpec(backend, specs, name);
  if (!spec.runtime) {
    const runtime = specs.filter((s) => s.runtime).map((s) => s.name);
    throw new UsageError(
      `parameter '${name}' of backend ${backend} is a load-time parameter and cannot be changed at runtime`,
      { field: name },
      runtime.length > 0 ? acceptedList(runtime) : 'none at runtime',
    );
  }
  return coerceParam(backend, spec, value);
}
