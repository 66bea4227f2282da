/**
 * validate --kernel-runs: another recording's kernel runs judged against the
 * references by validate's rules. Each committed run lies inside its own
 * references' range, so judged against them every counter is within; a run
 * changed past the tolerance is out in exactly that counter, phase and run.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultReferenceDir } from '../../../src/validate/reference.js';
import { reproducibility } from '../../../src/validate/validate.js';
import { UsageError } from '../../../src/errors.js';

const REFS = defaultReferenceDir();

describe('reproducibility (validate --kernel-runs)', () => {
  it('the references judged against themselves: every run of every case within tolerance', () => {
    const r = reproducibility(REFS, REFS);
    expect(r.runs.length).toBeGreaterThanOrEqual(3 * 11);
    expect(r.counters).toBeGreaterThan(1000);
    expect(r.ok).toBe(r.counters);
    expect(r.out).toEqual([]);
  });

  it('a run changed past the tolerance is out in that counter, phase and run only', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tmemsim-repro-'));
    try {
      const ref = JSON.parse(fs.readFileSync(path.join(REFS, 'swapin-seq.json'), 'utf8'));
      const last = ref.runs[1].marks.at(-1);
      const start = ref.runs[1].marks[0];
      const phase = last.name;
      // 20 % more pages read from swap in run 2's last phase than it recorded (the runs agree within a few %).
      last.vmstat.pswpin = start.vmstat.pswpin + Math.round((last.vmstat.pswpin - start.vmstat.pswpin) * 1.2);
      fs.writeFileSync(path.join(dir, 'swapin-seq.json'), JSON.stringify(ref));
      const r = reproducibility(REFS, dir);
      expect(r.runs.map((x) => `${x.case}/${x.run}`)).toEqual(ref.runs.map((_: unknown, i: number) => `swapin-seq/${i + 1}`));
      expect(r.out).toEqual([{ case: 'swapin-seq', phase, counter: 'pswpin', runs: [2] }]);
      expect(r.ok).toBe(r.counters - 1);
      const bad = r.runs[1]!.rows[0]!;
      expect(bad.status).toBe('OUT');
      expect(bad.tmemsim! - bad.kernel_max).toBeGreaterThan(bad.tolerance);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a recording with no case among the references is a usage error', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tmemsim-repro-'));
    try {
      const ref = JSON.parse(fs.readFileSync(path.join(REFS, 'swapin-seq.json'), 'utf8'));
      ref.case = 'not-a-case';
      fs.writeFileSync(path.join(dir, 'not-a-case.json'), JSON.stringify(ref));
      expect(() => reproducibility(REFS, dir)).toThrow(UsageError);
      expect(() => reproducibility(REFS, dir)).toThrow(/no case of .* is among the references/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
