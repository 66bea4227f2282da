/**
 * Temp directories and trace text for tests: one place instead of a copy per
 * file. Call a tempDir's cleanup() in afterAll.
 */

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDir {
  dir: string;
  /** Writes `content` to dir/name and returns the path. */
  file(name: string, content: string | Uint8Array): string;
  /** A path in the directory (nothing written). */
  path(...names: string[]): string;
  cleanup(): void;
}

/** A fresh temp directory; call the returned cleanup in afterAll. */
export function tempDir(prefix = 'tmemsim-test-'): TempDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    file(name: string, content: string | Uint8Array): string {
      const p = join(dir, name);
      writeFileSync(p, content);
      return p;
    },
    path(...names: string[]): string {
      return join(dir, ...names);
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

/** A tmemsim trace header around `config`. */
export function traceHeader(config: object): { format: 'tmemsim-trace'; version: 1; config: object } {
  return { format: 'tmemsim-trace', version: 1, config };
}
