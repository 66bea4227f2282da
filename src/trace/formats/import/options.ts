/**
 * Format options of the trace importers (`--format-opt key=value`).
 *
 * Options arrive as strings from the command line, or as strings, numbers
 * and booleans from library callers. Each importer declares the options it
 * takes (OptionSpec); OptionReader checks a set against them: an unknown key
 * is an error that lists the accepted ones, and every value is checked when
 * it is read. One `--format-opt` may carry a comma-separated list, as
 * libCacheSim's `-t` does ("time-col=2,obj-id-col=5,delimiter=,").
 */

import { UsageError } from '../../../errors.js';

/** Format options as given: key → value. */
export type FormatOptions = Readonly<Record<string, string | number | boolean>>;

export interface OptionSpec {
  readonly name: string;
  /** Other spellings accepted for it (libCacheSim's, for example). */
  readonly aliases?: readonly string[];
  /** What values it takes, for help and errors: "an integer 1..256". */
  readonly values: string;
  /** The default, as shown in help. */
  readonly default: string;
  readonly doc: string;
}

/**
 * Splits one `--format-opt` value into key=value pairs. A comma starts a new
 * pair only when a `key=` follows it, so `delimiter=,` and `delimiter=,,header=true`
 * keep their comma.
 */
export function splitOptionList(text: string): [string, string][] {
  const out: [string, string][] = [];
  for (const part of text.split(/,(?=\s*[A-Za-z][\w-]*=)/)) {
    const p = part.trim();
    if (p === '') continue;
    const eq = p.indexOf('=');
    if (eq <= 0) {
      throw new UsageError(`'${p}' is not key=value`, { field: '--format-opt' }, 'key=value, or a comma-separated list of them, e.g. --format-opt page-size=4096');
    }
    out.push([p.slice(0, eq).trim(), p.slice(eq + 1)]);
  }
  return out;
}

/** commander's collector for a repeatable `--format-opt key=value[,key=value...]`. */
export function collectFormatOption(v: string, prev: Record<string, string> = {}): Record<string, string> {
  const next = { ...prev };
  for (const [k, val] of splitOptionList(v)) next[k] = val;
  return next;
}

/** Reads typed values out of a FormatOptions set, for one input format. */
export class OptionReader {
  private readonly values = new Map<string, string>();
  private readonly byName = new Map<string, OptionSpec>();

  constructor(
    readonly format: string,
    readonly specs: readonly OptionSpec[],
    given: FormatOptions | undefined,
  ) {
    const canonical = new Map<string, string>();
    for (const s of specs) {
      this.byName.set(s.name, s);
      canonical.set(s.name, s.name);
      for (const a of s.aliases ?? []) canonical.set(a, s.name);
    }
    for (const [k, v] of Object.entries(given ?? {})) {
      const name = canonical.get(k) ?? canonical.get(k.toLowerCase().replace(/_/g, '-'));
      if (name === undefined) {
        throw new UsageError(`unknown option '${k}' for input format ${format}`, { field: '--format-opt' }, specs.map((s) => s.name).join(', '));
      }
      if (this.values.has(name)) {
        throw new UsageError(`option '${name}' is given twice for input format ${format}`, { field: '--format-opt' });
      }
      this.values.set(name, typeof v === 'string' ? v : String(v));
    }
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  /** The raw string, or undefined when not given. */
  raw(name: string): string | undefined {
    this.spec(name);
    return this.values.get(name);
  }

  int(name: string, def: number, min: number, max: number): number {
    const v = this.raw(name);
    if (v === undefined) return def;
    const t = v.trim();
    if (!/^\d+$/.test(t)) this.bad(name, `'${v}' is not an integer`, `an integer ${min}..${max}`);
    const n = Number(t);
    if (n < min || n > max) this.bad(name, `${t} is out of range`, `an integer ${min}..${max}`);
    return n;
  }

  /** An integer that is a power of two, min..max. */
  pow2(name: string, def: number, min: number, max: number): number {
    const n = this.int(name, def, min, max);
    if ((n & (n - 1)) !== 0) this.bad(name, `${n} is not a power of two`, `a power of two ${min}..${max}`);
    return n;
  }

  bool(name: string, def: boolean): boolean {
    const v = this.raw(name);
    if (v === undefined) return def;
    const t = v.trim().toLowerCase();
    if (t === 'true' || t === '1' || t === 'yes') return true;
    if (t === 'false' || t === '0' || t === 'no') return false;
    return this.bad(name, `'${v}' is not a boolean`, 'true, false');
  }

  choice<T extends string>(name: string, def: T, choices: readonly T[]): T {
    const v = this.raw(name);
    if (v === undefined) return def;
    const t = v.trim().toLowerCase();
    const c = choices.find((x) => x.toLowerCase() === t);
    if (c === undefined) this.bad(name, `unknown value '${v}'`, choices.join(', '));
    return c;
  }

  string(name: string, def: string): string {
    return this.raw(name) ?? def;
  }

  /** Throws the one-line error for a bad value of option `name`. */
  bad(name: string, what: string, accepted?: string): never {
    throw new UsageError(`input format ${this.format}: ${what}`, { field: name }, accepted);
  }

  private spec(name: string): OptionSpec {
    const s = this.byName.get(name);
    if (!s) throw new Error(`internal: option '${name}' is not declared for ${this.format}`);
    return s;
  }
}

/**
 * A content option: one content class ("text") or a weighted mix of classes
 * ("text:3+zero:1"); `example` is the mix the error message suggests.
 */
export function parseContentMix(v: string, o: OptionReader, example: string): string | Record<string, number> {
  const t = v.trim();
  if (!t.includes(':') && !t.includes('+')) return t;
  const mix: Record<string, number> = {};
  for (const part of t.split('+')) {
    const m = /^\s*([\w-]+)\s*:\s*(\d+(?:\.\d+)?)\s*$/.exec(part);
    if (!m) return o.bad('content', `'${part}' is not class:weight`, `a content class, or a mix like ${example}`);
    mix[m[1]!] = Number(m[2]);
  }
  return mix;
}
