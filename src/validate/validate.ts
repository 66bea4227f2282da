/**
 * `tmemsim validate`: every recorded kernel case replayed through tmemsim,
 * compared counter by counter at every phase (docs/validation.md).
 */

import * as path from 'node:path';
import { compareCase, shownCase, type Row, type ShownRow } from './compare.js';
import { defaultGuestProfile, readReferences, type Reference } from './reference.js';
import { replay } from './replay.js';

interface CaseResult {
  case: string;
  description: string;
  kernel: string;
  runs: number;
  rows: Row[];
  /** Counters shown beside the judged ones, not judged (compare.ts SHOWN). */
  shown: ShownRow[];
}

export interface ValidationResult {
  cases: CaseResult[];
  rows: Row[];
  ok: number;
  out: number;
}

/**
 * Replays every reference of `dir` (or the named cases) and compares. `guestProfile`: the
 * profile file of the guest's CPU the replay prices its work with (a path or a profile name).
 * `reclaim`: a reclaim model other than tmemsim's default (src/mm/reclaim/registry.ts).
 */
export async function validate(dir: string, only: string[] = [], guestProfile = defaultGuestProfile(), reclaim?: string): Promise<ValidationResult> {
  const refs = readReferences(dir, only);
  const cases: CaseResult[] = [];
  for (const ref of refs) {
    cases.push(await validateCase(ref, path.join(dir, `${ref.case}.json`), guestProfile, reclaim));
  }
  const rows = cases.flatMap((c) => c.rows);
  const out = rows.filter((r) => r.status !== 'ok').length;
  return { cases, rows, ok: rows.length - out, out };
}

async function validateCase(ref: Reference, file: string, guestProfile: string, reclaim?: string): Promise<CaseResult> {
  const res = await replay(ref, file, guestProfile, reclaim);
  const pass = res.runs[0]!.backend;
  const rows = compareCase(ref, pass);
  return { case: ref.case, description: ref.description, kernel: `${ref.kernel.uname_r} (${ref.kernel.package} ${ref.kernel.version})`, runs: ref.runs.length, rows, shown: shownCase(ref, pass) };
}
