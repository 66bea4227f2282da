/** Parsing helpers for command-line values: each bad value is a UsageError naming the flag. */

import { Option, type Command } from 'commander';
import { UsageError } from '../errors.js';
import type { ParamMap } from '../backends/params.js';

export function parseIntFlag(flag: string, v: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^-?\d+$/.test(v.trim())) throw new UsageError(`'${v}' is not an integer`, { field: flag }, `${min}..${max}`);
  const n = Number(v);
  if (n < min || n > max) throw new UsageError(`${n} is out of range`, { field: flag }, `${min}..${max}`);
  return n;
}

/** What --tick-phase accepts (run: one value; validate: a list). */
export const TICK_PHASE_ACCEPTED = 'milliseconds from 0 up to but not including 4 (one tick at HZ 250), e.g. 0, 1.5';

/** One --tick-phase value: ms in [0, 4), returned in ns. */
export function parseTickPhase(flag: string, v: string): number {
  const t = v.trim();
  const ms = Number(t);
  if (t === '' || !/^[0-9.]+$/.test(t) || !Number.isFinite(ms) || ms < 0 || ms >= 4) throw new UsageError(`'${v}' is not a tick phase`, { field: flag }, TICK_PHASE_ACCEPTED);
  return Math.round(ms * 1e6);
}

/** parseIntFlag of an optional flag: undefined when it was not given. */
export function optionalIntFlag(flag: string, v: string | undefined, min = 0): number | undefined {
  return v === undefined ? undefined : parseIntFlag(flag, v, min);
}

/** A commander collector of repeatable `key=value` values of `flag` (`example` shows one). */
export function keyValueCollector(flag: string, example: string): (v: string, prev?: Record<string, string>) => Record<string, string> {
  return (v, prev = {}) => {
    const eq = v.indexOf('=');
    if (eq <= 0) throw new UsageError(`'${v}' is not key=value`, { field: flag }, `key=value, e.g. ${example}`);
    return { ...prev, [v.slice(0, eq).trim()]: v.slice(eq + 1) };
  };
}

/** `-p key=value`, repeatable. */
export const collectParam: (v: string, prev?: ParamMap) => ParamMap = keyValueCollector('-p', '-p max_pool_percent=20') as (v: string, prev?: ParamMap) => ParamMap;

export function splitList(v: string): string[] {
  return v.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

/**
 * Accept `--alias` as another spelling of `--canonical` on `cmd` (e.g. `run
 * --profiles` for `--profile`, `sweep --profile` for `--profiles`): a hidden
 * option whose value moves to the canonical one before the action runs.
 * Giving both is an error.
 */
export function aliasOption(cmd: Command, alias: string, canonical: string, arg = '<value>'): Command {
  const key = (flag: string): string => flag.replace(/^--/, '').replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
  cmd.addOption(new Option(`${alias} ${arg}`).hideHelp());
  cmd.hook('preAction', (_parent, action) => {
    if (action !== cmd) return;
    const a = cmd.getOptionValue(key(alias)) as unknown;
    if (a === undefined) return;
    if (cmd.getOptionValueSource(key(canonical)) === 'cli') throw new UsageError(`${alias} and ${canonical} are the same option: give one`, { field: canonical });
    cmd.setOptionValueWithSource(key(canonical), a, 'cli');
  });
  return cmd;
}
