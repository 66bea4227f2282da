/**
 * Test helpers for the trace readers: temp files, and writers of the two
 * text forms (a JSON document and its JSONL twin, one event per line).
 */

import fc from 'fast-check';
import { LIMITS, type FileEvent, type LocatedEvent, type TraceEvent, type TraceHeader } from '../../../src/trace/events.js';
import type { FormatOptions } from '../../../src/trace/formats/import/options.js';
import { IMPORT_FORMATS, ImportedTraceSource } from '../../../src/trace/formats/import/open.js';
import type { SyncTraceSource } from '../../../src/trace/reader.js';

export const HEADER: TraceHeader = {
  format: 'tmemsim-trace',
  version: 1,
  config: { ram_pages: 1024, swap: [{ type: 0, slots: 4096 }], mounts: [{ fs: 1 }] },
};

export { tempDir, toJsonl } from '../../helpers/files.js';

/** An oracleGeneral file's bytes: records [time s, id, size], next-access time -1. */
export function oracle(records: readonly (readonly [number, bigint, number])[]): Buffer {
  const b = Buffer.alloc(24 * records.length);
  records.forEach(([t, id, size], i) => {
    b.writeUInt32LE(t, i * 24);
    b.writeBigUInt64LE(id, i * 24 + 4);
    b.writeUInt32LE(size, i * 24 + 12);
    b.writeBigInt64LE(-1n, i * 24 + 16);
  });
  return b;
}

/** A JSON document with the same line layout as toJsonl: event i on line i + 2. */
export function toJsonDoc(header: unknown, events: readonly unknown[]): string {
  const h = JSON.stringify(header).slice(0, -1);
  if (events.length === 0) return `${h},"events":[\n]}\n`;
  return `${h},"events":[\n${events.map((e) => JSON.stringify(e)).join(',\n')}\n]}\n`;
}

/** Events with copies of their (reused) locations. */
export function collectSync(src: SyncTraceSource): { event: TraceEvent; line: number; index: number }[] {
  const out: { event: TraceEvent; line: number; index: number }[] = [];
  for (const e of src.eventsSync()) out.push(copy(e));
  return out;
}

export async function collectAsync(src: SyncTraceSource): Promise<{ event: TraceEvent; line: number; index: number }[]> {
  const out: { event: TraceEvent; line: number; index: number }[] = [];
  for await (const e of src.events()) out.push(copy(e));
  return out;
}

function copy(e: LocatedEvent): { event: TraceEvent; line: number; index: number } {
  return { event: e.event, line: e.loc.line, index: e.loc.index };
}

/** The message of what fn throws (fails the test if it does not throw). */
export function thrown(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

/** Iterates a source to the end, returning the error message it throws. */
export function drainError(src: () => SyncTraceSource): string {
  return thrown(() => {
    for (const _ of src().eventsSync()) void _;
  });
}

// ---- random trace events -----------------------------------------------------

const int = (min: number, max: number) => fc.integer({ min, max });
const name = fc.string({ unit: 'binary', minLength: 1, maxLength: 12 });
// Times: small deltas forwards and backwards, huge integers, fractions.
const t = fc.oneof(int(0, 2000), int(0, LIMITS.maxT), fc.double({ min: 0, max: LIMITS.maxT, noNaN: true, noDefaultInfinity: true }).map((x) => x || 0));
const swapType = int(0, 31);
const offset = int(0, LIMITS.maxSlots - 1);
const fs = int(0, 63);
const inode = int(0, 2 ** 27 - 1);
const index = int(0, 2 ** 20 - 1);
const paramValue = fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.boolean(), int(-1e9, 1e9), fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => x || 0));
const className = fc.constantFrom('zero', 'fill', 'text', 'code', 'random', 'heap', 'vmix');
const data = fc.oneof(
  className,
  fc.record({ class: className, seed: int(0, 2 ** 48 - 1) }, { requiredKeys: ['class'] }),
  fc.record({ fill: int(0, 255) }),
  fc.record({ corpus: int(0, 2 ** 32 - 1) }),
  fc.record({ b64: fc.base64String({ maxLength: 64 }) }),
);

function kind(op: string, req: Record<string, fc.Arbitrary<unknown>>, opt: Record<string, fc.Arbitrary<unknown>> = {}): fc.Arbitrary<TraceEvent> {
  const model: Record<string, fc.Arbitrary<unknown>> = { op: fc.constant(op), t, ...req, ...opt };
  return fc.record(model, { requiredKeys: ['op', ...Object.keys(req)] }) as unknown as fc.Arbitrary<TraceEvent>;
}

/**
 * Every event kind of trace format v1, with every optional field: the
 * events the round-trip properties of every reader and writer draw.
 */
export const traceEvent: fc.Arbitrary<TraceEvent> = fc.oneof(
  kind('swapon', { type: swapType, slots: int(1, LIMITS.maxSlots) }),
  kind('swapoff', { type: swapType }),
  kind('mount', { fs }, { uuid: name }),
  kind('umount', { fs }),
  kind('insmod', { backend: name }, { params: fc.dictionary(name, paramValue, { maxKeys: 3 }) }),
  kind('rmmod', {}, { strategy: name, rate: fc.double({ min: 1e-3, max: 1e9, noNaN: true }) }),
  kind('param', { name, value: paramValue }),
  kind('node_down', { node: int(0, 7) }),
  kind('node_up', { node: int(0, 7) }),
  kind('frontswap_store', { type: swapType, offset }, { data }),
  kind('frontswap_load', { type: swapType, offset }),
  kind('frontswap_invalidate_page', { type: swapType, offset }),
  kind('frontswap_invalidate_area', { type: swapType }),
  kind('cleancache_put', { fs, inode, index }, { data }),
  kind('cleancache_get', { fs, inode, index }),
  kind('cleancache_invalidate_page', { fs, inode, index }),
  kind('cleancache_invalidate_inode', { fs, inode }),
  kind('cleancache_invalidate_fs', { fs }),
  kind('anon', { page: int(0, 2 ** 32 - 1) }, { pid: int(0, 2 ** 21 - 1), write: fc.boolean(), data }),
  kind('file', { fs, inode, index }, { write: fc.boolean(), data }),
  kind('mark', { name }),
);

/** An imported trace's file pages as inode * 2^20 + index (the page number an importer mapped). */
export function importedPages(file: string, format: string, opts?: FormatOptions): { page: number; event: FileEvent }[] {
  const out: { page: number; event: FileEvent }[] = [];
  for (const { event } of openImported(file, format, opts).eventsSync()) {
    const e = event as FileEvent;
    out.push({ page: e.inode * 2 ** 20 + e.index, event: e });
  }
  return out;
}

/**
 * `path` as an imported trace of `format` (csv, txt, oracleGeneral, vscsi, pageref), typed as the importer's source
 * so a test can read its requests(); the library opens it through openTrace and the format registry.
 */
export function openImported(path: string, format: string, options?: FormatOptions): ImportedTraceSource {
  const f = IMPORT_FORMATS.get(format);
  if (f === undefined) throw new Error(`no import format '${format}'`);
  return new ImportedTraceSource(path, f, options);
}
