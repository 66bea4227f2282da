/**
 * The shipped JSON Schemas read by any validator: a default `new Ajv()`
 * (draft-07, strict mode) compiles each one without a warning, and the
 * shipped documents validate against them; ajv-cli (spawned: it is the
 * command a user runs) compiles them and validates the shipped files.
 */

import { readFileSync, readdirSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { runNode } from '../helpers/spawn.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const SCHEMAS = readdirSync(`${ROOT}schema`).filter((f) => f.endsWith('.json')).sort();
const json = (f: string): object => JSON.parse(readFileSync(`${ROOT}${f}`, 'utf8')) as object;
const AJV_CLI = `${ROOT}node_modules/ajv-cli/dist/index.js`;

describe('shipped JSON Schemas', () => {
  it('are the six documented ones', () => {
    expect(SCHEMAS).toEqual(['baseline.schema.json', 'profile.schema.json', 'report.schema.json', 'sweep-result.schema.json', 'sweep-v1.schema.json', 'trace-v1.schema.json']);
  });

  it.each(SCHEMAS)('%s compiles in a default new Ajv() with no strict-mode warning', (f) => {
    const logged: unknown[] = [];
    const log = (...m: unknown[]): void => void logged.push(m);
    expect(() => new Ajv().compile(json(`schema/${f}`))).not.toThrow();
    // The same defaults, only the logger captured: strict mode logs what it merely tolerates.
    new Ajv({ logger: { log, warn: log, error: log } }).compile(json(`schema/${f}`));
    expect(logged).toEqual([]);
  });

  it('a default new Ajv() accepts the shipped documents and rejects a broken one', () => {
    const ajv = new Ajv();
    const trace = ajv.compile(json('schema/trace-v1.schema.json'));
    for (const w of readdirSync(`${ROOT}workloads`).filter((x) => x.endsWith('.json'))) {
      expect(trace(json(`workloads/${w}`)), `${w}: ${JSON.stringify(trace.errors?.[0])}`).toBe(true);
    }
    const doc = json('workloads/xen-selfshrink.json') as { events: Record<string, unknown>[] };
    doc.events[3] = { ...doc.events[3], op: 'frontswap_stor' };
    expect(trace(doc)).toBe(false);
    const profile = ajv.compile(json('schema/profile.schema.json'));
    for (const p of readdirSync(`${ROOT}profiles`).filter((x) => x.endsWith('.json'))) expect(profile(json(`profiles/${p}`)), p).toBe(true);
    expect(profile({ ...json('profiles/example-rpi4.json'), format: 'nope' })).toBe(false);
    const sweep = ajv.compile(json('schema/sweep-v1.schema.json'));
    expect(sweep({ workloads: ['workloads/file-scan.json'], compressors: ['lz4', 'zstd'], params: { max_pool_percent: 20, era: '6.x', frontswap: true } })).toBe(true);
    expect(sweep({ workloads: ['workloads/file-scan.json'], params: { max_pool_percent: [20] } })).toBe(false);
  });

  it('ajv-cli compiles each schema and validates a shipped workload (and rejects a profile as a trace)', async () => {
    const r = await runNode([AJV_CLI, 'compile', '-s', 'schema/*.json'], ROOT);
    for (const f of SCHEMAS) expect(r.err + r.out).toContain(`schema schema/${f} is valid`);
    expect(r.code).toBe(0);
    const t = await runNode([AJV_CLI, 'validate', '-s', 'schema/trace-v1.schema.json', '-d', 'workloads/xen-selfshrink.json'], ROOT);
    expect(t.code).toBe(0);
    const bad = await runNode([AJV_CLI, 'validate', '-s', 'schema/trace-v1.schema.json', '-d', 'profiles/example-rpi4.json'], ROOT);
    expect(bad.code).not.toBe(0);
  });
});
