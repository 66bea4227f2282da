/**
 * Notices (src/errors.ts): the library writes to no stream. A deprecated
 * zswap era is one notice per thread, given to the sink: the CLI's writes one
 * line to stderr, the default raises a Node process warning.
 */

import { describe, expect, it, vi } from 'vitest';
import { tmemsim } from '../../helpers/cli.js';

describe('notices', () => {
  it('the default sink is process.emitWarning, once per thread', async () => {
    vi.resetModules();
    const { zswapEraOf } = await import('../../../src/backends/zswap.js');
    const warned: string[] = [];
    const listener = (w: Error): void => void warned.push(w.message);
    process.on('warning', listener);
    const writes = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(zswapEraOf('6.x')).toBe('6.1');
      expect(zswapEraOf('6.x')).toBe('6.1');
      expect(zswapEraOf('6.1')).toBe('6.1');
      await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
    } finally {
      process.off('warning', listener);
      writes.mockRestore();
    }
    expect(warned).toEqual(["zswap era '6.x' is deprecated and means '6.1' (mm/zswap.c of 6.1.y); use era=6.1, or era=6.6 for 6.5–6.7"]);
  });

  it('a set sink gets them instead, and setNoticeSink returns the one it replaces', async () => {
    vi.resetModules();
    const errors = await import('../../../src/errors.js');
    const { zswapEraOf } = await import('../../../src/backends/zswap.js');
    const got: string[] = [];
    const sink = (m: string): void => void got.push(m);
    const previous = errors.setNoticeSink(sink);
    try {
      zswapEraOf('6.x');
      zswapEraOf('6.x');
    } finally {
      expect(errors.setNoticeSink(previous)).toBe(sink);
    }
    expect(got).toHaveLength(1);
    expect(got[0]).toContain("zswap era '6.x' is deprecated");
  });

  it('the CLI prints a notice as one tmemsim: line on stderr, and the report is unchanged', async () => {
    const r = await tmemsim('run', 'workloads/gen-database.jsonl', '--backend', 'zswap', '-p', 'era=6.x', '--fast', '--profile', 'ssd', '-q');
    expect(r.code).toBe(0);
    // The statically imported modules (through main) have not given this notice yet.
    expect(r.err.split('\n').filter((l) => l.includes('deprecated'))).toEqual([
      "tmemsim: zswap era '6.x' is deprecated and means '6.1' (mm/zswap.c of 6.1.y); use era=6.1, or era=6.6 for 6.5–6.7",
    ]);
    const plain = await tmemsim('run', 'workloads/gen-database.jsonl', '--backend', 'zswap', '-p', 'era=6.1', '--fast', '--profile', 'ssd', '-q');
    expect(r.out.replace(/era=6\.x/g, 'era=6.1')).toBe(plain.out);
  });
});
