/**
 * compare and merge check the documents they read back (run reports, sweep
 * results, baselines) against schema/report, sweep-result and
 * baseline before using a field (issue 16: 61 of 3,896 field-level
 * mutations of a report gave a TypeError). Here: the schemas agree with the
 * code's formats and metric keys; the tool's own outputs validate; every
 * field of each document deleted, or set to a string, an object, null,
 * Infinity (1e999 in the JSON) or a negative count, ends in figures or one
 * UsageError naming the file, the field's JSON pointer and what is accepted
 * — never another error; the fuzz suite's findings replayed through the CLI.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { BASELINE_FORMAT, bless, compareEntries, entriesOf } from '../../../src/analysis/compare.js';
import { DOCUMENT_SCHEMAS, checkDocument } from '../../../src/analysis/documents.js';
import { METRIC_KEYS } from '../../../src/analysis/metrics.js';
import { UsageError } from '../../../src/errors.js';
import { REPORT_FORMAT } from '../../../src/report/model.js';
import { SWEEP_FORMATS } from '../../../src/sweep/format.js';
import { SWEEP_FORMAT, mergeSweeps } from '../../../src/sweep/sweep.js';
import { expectOneLineError, tmemsimIn } from '../../helpers/cli.js';
import { tempDir, toJsonl } from '../../helpers/files.js';
import type { TraceEvent, TraceHeader } from '../../../src/trace/events.js';

const ROOT = path.resolve(__dirname, '../../..');
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const schemaOf = (f: string): Record<string, any> => JSON.parse(fs.readFileSync(path.join(ROOT, 'schema', f), 'utf8')) as Record<string, any>;

const tmp = tempDir('tmemsim-documents-');
const docs: { report?: Json; sweep?: Json; shard1?: Json; shard2?: Json; baseline?: Json } = {};

const HEADER: TraceHeader = { format: 'tmemsim-trace', version: 1, config: { ram_pages: 64, backend: 'zcache', swap: [{ type: 0, slots: 256 }], mounts: [{ fs: 1 }] } };
const EVENTS: TraceEvent[] = [
  ...Array.from({ length: 96 }, (_, i): TraceEvent => ({ op: 'anon', pid: 1, page: i, write: true, data: i % 2 === 0 ? 'text' : 'heap' })),
  ...Array.from({ length: 96 }, (_, i): TraceEvent => ({ op: 'anon', pid: 1, page: i })),
  { op: 'file', fs: 1, inode: 3, index: 0 },
];

beforeAll(async () => {
  const trace = tmp.file('t.jsonl', toJsonl(HEADER, EVENTS));
  const run = await tmemsimIn(tmp.dir, ['run', trace, '--profile', 'ssd', '--fast', '--format', 'json']);
  expect(run.code).toBe(0);
  docs.report = JSON.parse(run.out) as Json;
  const sweep = ['sweep', trace, '--profiles', 'ssd', '--compressors', 'lz4,zstd', '--jobs', '1', '--fast', '--format', 'json'];
  for (const [k, extra] of [['sweep', []], ['shard1', ['--shard', '1/2']], ['shard2', ['--shard', '2/2']]] as const) {
    const r = await tmemsimIn(tmp.dir, [...sweep, ...extra]);
    expect(r.code).toBe(0);
    docs[k] = JSON.parse(r.out) as Json;
  }
  docs.baseline = JSON.parse(JSON.stringify(bless(entriesOf('s.json', docs.sweep), null, [...METRIC_KEYS]))) as Json;
}, 300_000);

afterAll(() => tmp.cleanup());

/** Every (container, key) of a document, with its JSON pointer. */
function slots(doc: Json, at = ''): { pointer: string; parent: Json[] | { [k: string]: Json }; key: string | number }[] {
  const out: { pointer: string; parent: Json[] | { [k: string]: Json }; key: string | number }[] = [];
  if (Array.isArray(doc)) doc.forEach((v, i) => out.push({ pointer: `${at}/${i}`, parent: doc, key: i }, ...slots(v, `${at}/${i}`)));
  else if (doc && typeof doc === 'object') for (const [k, v] of Object.entries(doc)) out.push({ pointer: `${at}/${k}`, parent: doc, key: k }, ...slots(v, `${at}/${k}`));
  return out;
}

const MUTATIONS: [string, (parent: Json[] | { [k: string]: Json }, key: string | number) => void][] = [
  ['deleted', (p, k) => (Array.isArray(p) ? p.splice(k as number, 1) : delete p[k as string])],
  ['a string', (p, k) => ((p as Record<string, Json>)[k] = 'x')],
  ['an object', (p, k) => ((p as Record<string, Json>)[k] = {})],
  ['null', (p, k) => ((p as Record<string, Json>)[k] = null)],
  ['Infinity', (p, k) => ((p as Record<string, Json>)[k] = Infinity)],
  ['-1', (p, k) => ((p as Record<string, Json>)[k] = -1)],
];

/** Runs `use` on every field-level mutation of `doc` (bounded per kind); each must return or throw one one-line UsageError naming `file`. */
function everyMutation(doc: Json, use: (d: unknown) => void, sample = 1, files: readonly (string | undefined)[] = ['m.json']): { cases: number; refused: number } {
  let cases = 0;
  let refused = 0;
  const all = slots(doc);
  for (let i = 0; i < all.length; i += sample) {
    for (const [name, mutate] of MUTATIONS) {
      const d = JSON.parse(JSON.stringify(doc)) as Json;
      const s = slots(d)[i]!;
      mutate(s.parent, s.key);
      cases++;
      try {
        use(d);
      } catch (e) {
        if (!(e instanceof UsageError)) throw new Error(`${s.pointer} ${name}: ${String(e)}`);
        expect(e.message, `${s.pointer} ${name}`).not.toMatch(/\n/);
        expect(files, `${s.pointer} ${name}: ${e.message}`).toContain(e.where.file);
        refused++;
      }
    }
  }
  return { cases, refused };
}

describe('report, sweep-result and baseline schemas', () => {
  it('agree with the code: formats, and every metric key of METRIC_KEYS', () => {
    const sweep = schemaOf(DOCUMENT_SCHEMAS.sweep);
    const baseline = schemaOf(DOCUMENT_SCHEMAS.baseline);
    const report = schemaOf(DOCUMENT_SCHEMAS.report);
    expect(sweep['properties'].sweep_format.const).toBe(SWEEP_FORMAT);
    expect(baseline['properties'].baseline_format.const).toBe(BASELINE_FORMAT);
    expect(report['properties'].report_format.enum).toContain(REPORT_FORMAT);
    expect(Object.keys(sweep['$defs'].metrics.properties)).toEqual([...METRIC_KEYS]);
    expect(sweep['$defs'].metrics.required).toEqual([...METRIC_KEYS]);
    expect(Object.keys(baseline['$defs'].metrics.properties)).toEqual([...METRIC_KEYS]);
    for (const f of Object.values(DOCUMENT_SCHEMAS)) expect(() => new Ajv().compile(schemaOf(f))).not.toThrow();
  });

  it("the tool's own run report, sweep results (whole and sharded) and baseline validate", () => {
    checkDocument('report', 'r.json', docs.report);
    checkDocument('sweep', 's.json', docs.sweep);
    checkDocument('sweep', 's1.json', docs.shard1);
    checkDocument('sweep', 's2.json', docs.shard2);
    checkDocument('baseline', 'b.json', docs.baseline);
    // The shipped baseline too.
    checkDocument('baseline', 'results/baseline.json', JSON.parse(fs.readFileSync(path.join(ROOT, 'results/baseline.json'), 'utf8')));
  });

  it('a bad field is one line naming the file, the JSON pointer and what is accepted', () => {
    const msg = (kind: 'report' | 'sweep' | 'baseline', d: unknown): string => {
      try {
        checkDocument(kind, 'm.json', d);
      } catch (e) {
        return (e as Error).message;
      }
      return 'accepted';
    };
    const r = JSON.parse(JSON.stringify(docs.report)) as any;
    delete r.runs[0].backend.energy.total_uj;
    expect(msg('report', r)).toBe("m.json, field '/runs/0/backend/energy/total_uj': missing field (accepted: a finite number, per schema/report.schema.json)");
    const s = JSON.parse(JSON.stringify(docs.sweep)) as any;
    s.rows[1].metrics.energy_uj = 'x';
    expect(msg('sweep', s)).toBe("m.json, field '/rows/1/metrics/energy_uj': invalid value \"x\" (accepted: a finite number or null, per schema/sweep-result.schema.json)");
    s.rows[1].metrics.energy_uj = Infinity; // what JSON.parse makes of 1e999
    expect(msg('sweep', s)).toBe("m.json, field '/rows/1/metrics/energy_uj': invalid value Infinity (accepted: a finite number or null, per schema/sweep-result.schema.json)");
    const b = JSON.parse(JSON.stringify(docs.baseline)) as any;
    b.entries[0].metrics.ratio = 1;
    expect(msg('baseline', b)).toMatch(/^m\.json, field '\/entries\/0\/metrics\/ratio': unknown field \(accepted: compression_ratio, .*, per schema\/baseline\.schema\.json\)$/);
    // Fuzz seed 17 #4023: a 5,000-character id took compare's table a minute to lay out; ids are bounded.
    const long = JSON.parse(JSON.stringify(docs.baseline)) as any;
    long.entries[0].id = 'z'.repeat(5000);
    expect(msg('baseline', long)).toMatch(/field '\/entries\/0\/id': invalid value "z+… \(accepted: a non-empty string of at most 512 characters, per /);
    const sh = JSON.parse(JSON.stringify(docs.shard1)) as any;
    sh.shard.count = 1e15;
    expect(msg('sweep', sh)).toMatch(/field '\/shard\/count': invalid value 1000000000000000 \(accepted: an integer >= 1 and <= 1e5, per /);
  });

  it('every field of a run report deleted or retyped: compare gives figures or one UsageError, never a TypeError', () => {
    const base = entriesOf('s.json', docs.sweep);
    const { cases, refused } = everyMutation(docs.report!, (d) => {
      const e = entriesOf('m.json', d);
      for (const m of e.values()) for (const v of Object.values(m)) expect(v === null || Number.isFinite(v)).toBe(true);
      try {
        compareEntries(e, base, {}, { runReport: true });
      } catch (err) {
        // A run of no configuration in the baseline (its id changed) is refused without a file to name.
        if (!(err instanceof UsageError) || !/no configuration of the run report/.test(err.message)) throw err;
      }
    });
    expect(cases).toBeGreaterThan(1000);
    expect(refused).toBeGreaterThan(100);
  });

  it('every field of a sweep result and a baseline deleted or retyped: compare gives figures or one UsageError', () => {
    const base = entriesOf('b.json', docs.baseline);
    for (const doc of [docs.sweep!, docs.baseline!]) {
      const { cases } = everyMutation(doc, (d) => {
        compareEntries(entriesOf('m.json', d), base);
        compareEntries(base, entriesOf('m.json', d));
      });
      expect(cases).toBeGreaterThan(500);
    }
  });

  it('every field of a shard deleted or retyped: merge (and its table, CSV and JSON) gives a result or one UsageError', () => {
    const { cases } = everyMutation(docs.shard1!, (d) => {
      const merged = mergeSweeps([{ file: 'm.json', doc: d }, { file: 's2.json', doc: docs.shard2 }]);
      for (const render of Object.values(SWEEP_FORMATS)) expect(render(merged).length).toBeGreaterThan(0);
    }, 1, ['m.json', 's2.json', undefined]); // a shard of another grid is blamed on the second file; shards missing, on none
    expect(cases).toBeGreaterThan(500);
  });

  it('the fuzz findings (seed 16: a baseline pass of 0, a latency of a string) and a 1e999 figure: exit 2, one line, through the CLI', async () => {
    const report = docs.report as any;
    const cases: [string, (r: any) => void, string][] = [
      ['baseline-zero', (r) => (r.runs[0].baseline = 0), "field '/runs/0/baseline': invalid value 0 (accepted: an object with "],
      ['latency-string', (r) => (r.runs[0].baseline.latency = 'zzz'), "field '/runs/0/baseline/latency': invalid value \"zzz\" (accepted: an object with swap_in, page_cache_miss"],
      ['no-swap-in', (r) => delete r.runs[0].backend.latency.swap_in, "field '/runs/0/backend/latency/swap_in': missing field"],
      ['no-ratios', (r) => (r.runs[0].backend.ratios = 'x'), "field '/runs/0/backend/ratios': invalid value \"x\""],
    ];
    const good = tmp.file('good.json', JSON.stringify(report));
    for (const [name, mutate, expected] of cases) {
      const d = JSON.parse(JSON.stringify(report));
      mutate(d);
      const f = tmp.file(`${name}.json`, JSON.stringify(d));
      expect(expectOneLineError(await tmemsimIn(tmp.dir, ['compare', good, f]))).toContain(`${f}, ${expected}`);
      expect(expectOneLineError(await tmemsimIn(tmp.dir, ['compare', f, good]))).toContain(`${f}, ${expected}`);
    }
    const inf = tmp.file('inf.json', JSON.stringify(docs.sweep).replace(/"energy_uj":[-0-9.e]+/, '"energy_uj":1e999'));
    expect(expectOneLineError(await tmemsimIn(tmp.dir, ['merge', inf]))).toMatch(/field '\/rows\/0\/metrics\/energy_uj': invalid value Infinity/);
    expect(expectOneLineError(await tmemsimIn(tmp.dir, ['compare', inf, good]))).toMatch(/field '\/rows\/0\/metrics\/energy_uj': invalid value Infinity/);
  });
});
