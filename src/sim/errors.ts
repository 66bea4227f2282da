/**
 * Error kinds. A UsageError is bad input (a trace, a flag, a profile): the CLI
 * prints its one-line message and exits 2. An InvariantError is a failure of
 * the simulator's own checks: exit 1. Anything else is an internal bug.
 */

import { readFileSync } from 'node:fs';

export interface Where {
  file?: string;
  line?: number;
  /** 0-based event index. */
  event?: number;
  field?: string;
}

/** Bad input: one line naming what, where, and what is accepted. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    readonly what: string,
    readonly where: Where = {},
    readonly accepted?: string,
  ) {
    super(formatUsage(what, where, accepted));
  }
}

export function formatWhere(w: Where): string {
  const parts: string[] = [];
  if (w.file !== undefined) parts.push(w.line !== undefined ? `${w.file}:${w.line}` : w.file);
  else if (w.line !== undefined) parts.push(`line ${w.line}`);
  if (w.event !== undefined) parts.push(`event #${w.event}`);
  if (w.field !== undefined) parts.push(`field '${w.field}'`);
  return parts.join(', ');
}

function formatUsage(what: string, where: Where, accepted?: string): string {
  const w = formatWhere(where);
  let s = w ? `${w}: ${what}` : what;
  if (accepted) s += ` (accepted: ${accepted})`;
  return s;
}

/** The simulator's own invariants failed (stale or lost data, broken accounting). */
export class InvariantError extends Error {
  override readonly name = 'InvariantError';
}

/** Lists the keys of a registry as the "accepted" part of an error. */
export function acceptedList(names: Iterable<string>): string {
  return [...names].join(', ');
}

/**
 * The JSON document in `file`, or a UsageError naming the file: "cannot
 * read: ENOENT" or "not JSON: ..." (with `accepted`, what the file should be).
 */
export function readJsonFile(file: string, accepted?: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file }, accepted);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`not JSON: ${(e as Error).message}`, { file }, accepted);
  }
}
