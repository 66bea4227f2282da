/**
 * The progress line (src/cli/progress.ts) against a clock the test drives:
 * its width, and an ETA from the smoothed rate that falls as a steady run
 * advances and is not swung by one slow interval.
 */

import { describe, expect, it } from 'vitest';
import { LineProgress, SmoothedRate, formatEta } from '../../../src/cli/progress.js';

function drive(width: number, speeds: number[]): { lines: string[]; etas: number[] } {
  let t = 0;
  const out: string[] = [];
  const size = 1_000_000;
  const p = new LineProgress({ write: (s: string) => out.push(s) }, { tty: false, width, now: () => t, size });
  p.begin('trace.json', 2);
  let bytes = 0;
  let pass = 1;
  p.pass(1, 'ssd baseline');
  for (const v of speeds) {
    t += 1000;
    bytes += v;
    if (bytes > size && pass === 1) {
      bytes -= size;
      pass = 2;
      p.pass(2, 'ssd backend');
    }
    p.tick(Math.round(bytes / 10), Math.min(bytes, size));
  }
  p.end();
  // Off a pipe (tty false) every write is one line and its newline.
  for (const s of out) expect(s).toMatch(/^[^\n]*\n$/);
  const lines = out.map((s) => s.slice(0, -1));
  const etas = lines.map((l) => /ETA (\d+):(\d\d)$/.exec(l)).filter((m) => m !== null).map((m) => Number(m![1]) * 60 + Number(m![2]));
  return { lines, etas };
}

describe('the progress line', () => {
  it('fits the width, narrow or wide', () => {
    for (const width of [60, 80, 100, 200]) {
      const { lines } = drive(width, Array(30).fill(60_000));
      expect(lines.length).toBeGreaterThan(10);
      for (const l of lines) expect([...l].length).toBeLessThan(Math.max(width, 40));
      if (width >= 80) expect(lines[0]).toMatch(/^pass 1\/2 ssd baseline \|[█░]+\| \d+% \| [\d,]+ events \| [\d,]+ events\/s \| ETA /);
    }
  });

  it('at a steady rate, the ETA only falls, and matches the bytes left over the rate', () => {
    const { etas } = drive(100, Array(30).fill(60_000));
    expect(etas.length).toBeGreaterThan(10);
    for (let i = 1; i < etas.length; i++) expect(etas[i]!).toBeLessThanOrEqual(etas[i - 1]!);
    // After 10 s at 60,000 B/s of 2,000,000 B: 1,400,000 B left = 23.3 s.
    expect(etas[9]).toBe(23);
  });

  it('one slow second moves the ETA less than the raw rate would', () => {
    const speeds = [...Array(10).fill(60_000), 6_000, ...Array(5).fill(60_000)];
    const { etas } = drive(100, speeds);
    // Raw: 1,346,000 B left at 6,000 B/s = 224 s. Smoothed (τ = 5 s): about 33 s.
    expect(etas[10]!).toBeLessThan(60);
    expect(etas[10]!).toBeGreaterThan(etas[9]!);
  });

  it('smooths by elapsed time, not by the number of samples', () => {
    const a = new SmoothedRate(1000);
    const b = new SmoothedRate(1000);
    a.reset(0, 0);
    b.reset(0, 0);
    a.sample(1000, 100); // 100/s
    b.sample(1000, 100);
    a.sample(2000, 1100); // 1000/s for 1 s
    for (let i = 1; i <= 10; i++) b.sample(1000 + i * 100, 100 + i * 100); // the same, in 10 samples
    expect(b.value!).toBeCloseTo(a.value!, 6);
    expect(formatEta(3725)).toBe('1:02:05');
    expect(formatEta(65)).toBe('1:05');
  });
});
