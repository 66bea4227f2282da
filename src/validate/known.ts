/**
 * The ratchet for CI: validation/known-deviations.json lists the
 * (case, phase, counter) that are out of tolerance today. A check fails on an
 * out-of-tolerance counter the list does not have, and on a listed one that
 * now passes (or no longer exists), so the list only shrinks as the model
 * improves: `tmemsim validate --update-known` rewrites it.
 */

import * as fs from 'node:fs';
import { UsageError, readJsonFile } from '../errors.js';
import { rowKey, type Row } from './compare.js';

interface KnownFile {
  note: string;
  /** "case/phase/counter", sorted. */
  deviations: string[];
}

const KNOWN_NOTE =
  'Out-of-tolerance (case/phase/counter) of `tmemsim validate` today. CI fails on any other out-of-tolerance counter and on a listed one that now passes: when the model fixes one, run the npm script that checks this file (`validate` for the references, `validate:recordings` for the other recordings, `validate:6.12` for the 6.12.95 recording, each with its own list) with `-- --update-known` and commit the shorter list.';

export function readKnown(file: string): Set<string> {
  if (!fs.existsSync(file)) return new Set();
  const doc = readJsonFile(file) as Partial<KnownFile> | null;
  if (!doc || !Array.isArray(doc.deviations) || !doc.deviations.every((d) => typeof d === 'string')) {
    throw new UsageError('not a known-deviations file', { file, field: 'deviations' }, '{ "note": "...", "deviations": ["case/phase/counter", ...] }');
  }
  return new Set(doc.deviations);
}

export function knownText(rows: Row[]): string {
  const deviations = rows.filter((r) => r.status !== 'ok').map(rowKey).sort();
  return JSON.stringify({ note: KNOWN_NOTE, deviations } satisfies KnownFile, null, 2) + '\n';
}

interface Ratchet {
  /** Out of tolerance and not listed. */
  fresh: string[];
  /** Listed, but within tolerance now (or no longer compared). */
  fixed: string[];
}

/** Checks rows against the known list; only cases present in rows are judged (a --case run leaves others alone). */
export function ratchet(rows: Row[], known: Set<string>): Ratchet {
  const cases = new Set(rows.map((r) => r.case));
  const out = new Set(rows.filter((r) => r.status !== 'ok').map(rowKey));
  const fresh = [...out].filter((k) => !known.has(k)).sort();
  const fixed = [...known].filter((k) => cases.has(k.split('/')[0]!) && !out.has(k)).sort();
  return { fresh, fixed };
}
