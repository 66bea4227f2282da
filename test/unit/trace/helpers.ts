/**
 * Test helpers for the trace readers: temp files, and writers of the two
 * text forms (a JSON document and its JSONL twin, one event per line).
 */

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocatedEvent, TraceEvent, TraceHeader } from '../../../src/trace/events.js';
import type { SyncTraceSource } from '../../../src/trace/reader.js';

export const HEADER: TraceHeader = {
  format: 'tmemsim-trace',
  version: 1,
  config: { ram_pages: 1024, swap: [{ type: 0, slots: 4096 }], mounts: [{ fs: 1 }] },
};

/** A fresh temp directory; call the returned cleanup in afterAll. */
export function tempDir(): { dir: string; file(name: string, text: string): string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'tmemsim-trace-'));
  return {
    dir,
    file(name: string, text: string): string {
      const p = join(dir, name);
      writeFileSync(p, text);
      return p;
    },
    cleanup(): void {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** JSONL: header on line 1, event i on line i + 2. */
export function toJsonl(header: unknown, events: readonly unknown[], eol = '\n'): string {
  return [JSON.stringify(header), ...events.map((e) => JSON.stringify(e))].join(eol) + eol;
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
