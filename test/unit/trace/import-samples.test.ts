/**
 * The importers on the real CloudPhysics sample (shared/traces, from
 * libCacheSim's data/; licence: see NOTICE): the same trace in four formats.
 */

import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FileEvent } from '../../../src/trace/events.js';
import type { ImportedTraceSource } from '../../../src/trace/formats/import/open.js';
import { openImported } from './helpers.js';
import { openTrace } from '../../../src/trace/reader.js';

const TRACES = path.resolve(__dirname, '../../../../shared/traces');
const TXT = path.join(TRACES, 'cloudPhysicsIO.txt');
const CSV = path.join(TRACES, 'cloudPhysicsIO.csv');
const ORACLE = path.join(TRACES, 'cloudPhysicsIO.oracleGeneral.bin');
const VSCSI = path.join(TRACES, 'cloudPhysicsIO.vscsi');

const N = 113_872;

interface Req {
  id: number;
  size: number;
  time: number;
  write: boolean;
  line: number;
}

function requests(src: ImportedTraceSource): Req[] {
  const out: Req[] = [];
  for (const r of src.requests()) out.push({ id: r.id, size: r.size, time: r.time, write: r.write, line: r.line });
  return out;
}

function count(src: { eventsSync(): Iterable<{ event: unknown }> }): { events: number; writes: number } {
  let events = 0;
  let writes = 0;
  for (const { event } of src.eventsSync()) {
    events++;
    if ((event as FileEvent).write) writes++;
  }
  return { events, writes };
}

describe('the CloudPhysics sample in four formats', () => {
  const txt = requests(openImported(TXT, 'txt'));
  const csv = requests(openImported(CSV, 'csv'));
  const oracle = requests(openImported(ORACLE, 'oracleGeneral'));
  const vscsi = requests(openImported(VSCSI, 'vscsi'));

  it('each format yields 113,872 requests (txt has no newline after its last line)', () => {
    expect(txt.length).toBe(N);
    expect(csv.length).toBe(N);
    expect(oracle.length).toBe(N);
    expect(vscsi.length).toBe(N);
    expect(txt[N - 1]!.line).toBe(N);
    expect(csv[0]!.line).toBe(2); // after the header line
    expect(csv[N - 1]!.line).toBe(N + 1);
  });

  it('txt, csv, oracleGeneral and vscsi give the same sequence of ids (the lbns)', () => {
    const ids = (a: Req[]): number[] => a.map((r) => r.id);
    expect(ids(txt).slice(0, 1000)).toEqual(ids(csv).slice(0, 1000));
    expect(ids(oracle).slice(0, 1000)).toEqual(ids(csv).slice(0, 1000));
    expect(ids(txt)).toEqual(ids(csv));
    expect(ids(oracle)).toEqual(ids(csv));
    expect(ids(vscsi)).toEqual(ids(csv));
    expect(txt.slice(0, 4).map((r) => r.id)).toEqual([42932745, 42932746, 42932747, 40409911]);
    expect(new Set(ids(csv)).size).toBe(48_974);
  });

  it('csv and vscsi are the same trace: size and operation per request, csv time = vscsi time in whole seconds', () => {
    for (let i = 0; i < N; i++) {
      const c = csv[i]!;
      const v = vscsi[i]!;
      if (c.size !== v.size || c.write !== v.write || c.time !== Math.floor(v.time / 1e6) * 1e6) {
        throw new Error(`request ${i} differs: csv ${JSON.stringify(c)} vscsi ${JSON.stringify(v)}`);
      }
    }
    expect(csv.filter((r) => r.write).length).toBe(66_898);
    expect(csv.reduce((s, r) => s + r.size, 0)).toBe(4_205_978_112);
    expect(csv[3]).toMatchObject({ id: 40409911, size: 6656, time: 5633898e6, write: true });
  });

  it("oracleGeneral gives each request its id's first size (not the request's own): 13,671 differ from the csv", () => {
    const first = new Map<number, number>();
    for (const r of csv) if (!first.has(r.id)) first.set(r.id, r.size);
    let differ = 0;
    for (let i = 0; i < N; i++) {
      expect.soft(oracle[i]!.size).toBe(first.get(oracle[i]!.id));
      if (oracle[i]!.size !== csv[i]!.size) differ++;
    }
    expect(differ).toBe(13_671);
    expect(oracle.reduce((s, r) => s + r.size, 0)).toBe(4_368_040_448); // libCacheSim's trace total
    expect(oracle.every((r) => !r.write)).toBe(true);
    expect(oracle[0]!.time).toBe(csv[0]!.time);
  });

  it('events: one page per request for the object formats, every page overlapped for the block formats', () => {
    expect(count(openImported(TXT, 'txt'))).toEqual({ events: N, writes: 0 });
    expect(count(openImported(ORACLE, 'oracleGeneral'))).toEqual({ events: N, writes: 0 });
    expect(count(openImported(CSV, 'csv'))).toEqual({ events: 1_141_869, writes: 656_169 });
    expect(count(openImported(VSCSI, 'vscsi'))).toEqual({ events: 1_141_869, writes: 656_169 });
    expect(count(openImported(ORACLE, 'oracleGeneral', { addressing: 'block' }))).toEqual({ events: 1_182_153, writes: 0 });
  });

  it('the pages of a block request: 6656 bytes at sector 40409911 are pages 5051238..5051240', () => {
    const evs: FileEvent[] = [];
    for (const { event, loc } of openImported(CSV, 'csv').eventsSync()) {
      if (loc.line === 5) evs.push(event as FileEvent);
      if (loc.line > 5) break;
    }
    const p = (e: FileEvent): number => e.inode * 2 ** 20 + e.index;
    expect(evs.map(p)).toEqual([5051238, 5051239, 5051240]);
    expect(evs[0]).toEqual({ op: 'file', fs: 1, inode: 4, index: 5051238 - 4 * 2 ** 20, write: true });
  });

  it('the same files open through openTrace by extension, and the async stream matches', async () => {
    expect(openTrace(VSCSI).header.config.description).toContain('cloudPhysicsIO.vscsi (vscsi; block addressing');
    expect(openTrace(ORACLE).header).toEqual({
      format: 'tmemsim-trace',
      version: 1,
      config: {
        description: 'imported from cloudPhysicsIO.oracleGeneral.bin (oracleGeneral; object addressing, 1 page per object; 4096-byte pages)',
        ram_mb: 64,
        mounts: [{ fs: 1 }],
        // The backend option's default; the run's report says so in a note.
        backend: 'zcache',
      },
      content: { default: 'text' },
    });
    expect((openTrace(ORACLE) as { notes?: string[] }).notes).toEqual([
      `${ORACLE} names no backend: imported traces run with zcache by default (it serves frontswap and cleancache); choose with --backend NAME or --format-opt backend=NAME, none for none`,
    ]);
    let n = 0;
    let last = -1;
    for await (const { event, loc } of openTrace(TXT, { format: 'txt' }).events()) {
      n++;
      last = loc.index;
      if (n === 1) expect(event).toEqual({ op: 'file', fs: 1, inode: 40, index: 42932745 - 40 * 2 ** 20 });
    }
    expect(n).toBe(N);
    expect(last).toBe(N - 1);
  });
});
