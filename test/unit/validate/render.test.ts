import { describe, expect, it } from 'vitest';
import type { Row } from '../../../src/validate/compare.js';
import { renderValidationCsv as renderCsv, renderValidationTable as renderTable } from '../../../src/report/validation.js';
import type { ValidationResult } from '../../../src/validate/validate.js';

const row = (over: Partial<Row>): Row => ({
  case: 'c', phase: 'write', counter: 'pswpout', kernel_min: 1000, kernel_max: 1200, tmemsim: 1100,
  tolerance: 60, error: 0, error_pct: 0, status: 'ok', ...over,
});

// One counter tmemsim has no figure for (no mark of that phase in its pass): n/a, never 0.
const missing = row({ counter: 'written_back_pages', tmemsim: null, status: 'OUT' });
const result: ValidationResult = {
  cases: [{
    case: 'c',
    description: 'a case whose description is long enough that it cannot fit on one line of a narrow terminal, so it wraps',
    kernel: '6.1.0-test (linux-image 6.1.0-1)',
    runs: 2,
    rows: [row({}), missing],
    shown: [
      { case: 'c', phase: 'write', counter: 'pageoutrun', kernel_min: 59, kernel_max: 88, tmemsim: 199 },
      { case: 'c', phase: 'write', counter: 'allocstall', kernel_min: 38, kernel_max: 54, tmemsim: null },
    ],
  }],
  rows: [row({}), missing],
  ok: 1,
  out: 1,
};

describe('validate output', () => {
  it('CSV: a counter tmemsim has no figure for is empty cells (tmemsim, error, error %), not n/a or 0', () => {
    const lines = renderCsv(result).trim().split('\n');
    expect(lines[1]).toBe('c,write,pswpout,1000,1200,1100,0,0,60,ok');
    expect(lines[2]).toBe('c,write,written_back_pages,1000,1200,,,,60,OUT');
    // The shown counters follow, not judged: no error, no tolerance.
    expect(lines[3]).toBe('c,write,pageoutrun,59,88,199,,,,not judged');
    expect(lines[4]).toBe('c,write,allocstall,38,54,,,,,not judged');
    expect(lines).toHaveLength(5);
  });

  it('table: n/a for it, and every line within the width', () => {
    const wide = renderTable(result, 100);
    expect(wide).toMatch(/│ written_back_pages\s+│\s+1,000–1,200 │\s+n\/a │\s+n\/a │\s+±60 │ OUT/);
    expect(wide).toContain('reclaim, shown and not judged');
    expect(wide).toMatch(/│ write\s+│ pageoutrun\s+│\s+59–88 │\s+199 │/);
    expect(wide).toMatch(/│ write\s+│ allocstall\s+│\s+38–54 │\s+n\/a │/);
    // 60 columns: the prose wraps and the table splits, phase, counter and verdict repeated in each part.
    const narrow = renderTable(result, 60);
    expect(narrow).toMatch(/│ written_back_pages\s+│ OUT │\s+1,000–1,200 │\n/);
    expect(narrow).toMatch(/│ written_back_pages\s+│ OUT │\s+n\/a │\s+n\/a │\n/);
    expect(narrow).toMatch(/│ written_back_pages\s+│ OUT │\s+±60 │\n/);
    expect(narrow).toContain('\n  fit on one line of a narrow terminal, so it wraps\n');
    for (const [t, width] of [[wide, 100], [narrow, 60]] as const) expect(t.split('\n').filter((l) => [...l].length > width)).toEqual([]);
  });
});
