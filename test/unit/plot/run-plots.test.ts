/**
 * run --plot's charts of a lifecycle trace unloaded with rmmod strategy
 * zombie, from a real simulation: the series samples each lifecycle change at
 * its own time, the zombie drain is drawn, and the time axes carry the
 * insmod/rmmod rules and labels.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulate, type RunResult } from '../../../src/index.js';
import { writeRunPlots } from '../../../src/plot/run.js';
import { MUTED, OKABE_ITO } from '../../../src/plot/style.js';
import { ROOT } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/files.js';
import { pixelsOf, toPng } from '../../helpers/png.js';

const tmp = tempDir('tmemsim-zombie-');
afterAll(() => tmp.cleanup());
let r: RunResult;
let dir: string;
let files: string[];

beforeAll(async () => {
  r = await simulate({ trace: path.join(ROOT, 'workloads/lifecycle.json'), profiles: ['mobile'], fast: true, series: 200, rmmodStrategies: ['zombie'] });
  dir = tmp.dir;
  files = await writeRunPlots(r, dir);
}, 300_000);

describe('zombie drain and lifecycle events', () => {
  it('samples the series at the rmmod and at the end of the drain; zombie pages only fall in between', () => {
    const run = r.runs[0]!;
    const s = run.series!.backend;
    const rm = run.backend.lifecycle.find((e) => e.op === 'rmmod')!;
    expect(rm.strategy).toBe('zombie');
    expect(rm.drained_ns).not.toBeNull();
    // sorted by event, no duplicates
    for (let i = 1; i < s.event.length; i++) expect(s.event[i]!).toBeGreaterThan(s.event[i - 1]!);
    const at = s.event.indexOf(rm.event + 1);
    expect(at).toBeGreaterThan(0);
    expect(s.stored_pages[at]).toBe(0);
    const held = s.zombie_pages[at]!;
    // every page the zombie held is accounted for, or was invalidated while it waited
    expect(held).toBeGreaterThanOrEqual(rm.pages_to_ram + rm.pages_to_disk + rm.pages_dropped);
    expect(held).toBeGreaterThan(0);
    const end = s.t_ns.indexOf(rm.drained_ns!);
    expect(end).toBeGreaterThan(at);
    expect(s.zombie_pages[end]).toBe(0);
    for (let i = at + 1; i <= end; i++) expect(s.zombie_pages[i]!).toBeLessThanOrEqual(s.zombie_pages[i - 1]!);
    expect(s.zombie_pages.slice(0, at).every((z) => z === 0)).toBe(true);
  });

  it('draws the drain zoomed in, and marks insmod, rmmod and the drained zombie on the time axes', () => {
    const names = files.map((f) => path.basename(f)).sort();
    expect(names).toEqual(['energy-lifecycle-mobile-zombie.svg', 'hit-ratio-lifecycle-mobile-zombie.svg', 'pool-lifecycle-mobile-zombie.svg', 'zombie-lifecycle-mobile-zombie.svg']);
    const read = (f: string): string => fs.readFileSync(path.join(dir, f), 'utf8');
    const zombie = read('zombie-lifecycle-mobile-zombie.svg');
    expect(zombie).toContain('zcache zombie pages (unloaded, draining)');
    expect(zombie).toMatch(/drained in \d+\.\d ms of simulated time/);
    for (const f of ['pool-lifecycle-mobile-zombie.svg', 'hit-ratio-lifecycle-mobile-zombie.svg']) {
      const svg = read(f);
      for (const l of ['rmmod zcache (zombie)', 'zcache zombie drained', 'insmod zcache']) expect(svg).toContain(`>${l}</text>`);
      expect(svg.match(/aria-roledescription="rule mark"/g)?.length ?? 0).toBe(3);
      const png = toPng(svg);
      expect(pixelsOf(png, MUTED, 12)).toBeGreaterThan(200); // the dotted rules
    }
    const png = toPng(zombie);
    expect(pixelsOf(png, OKABE_ITO[0])).toBeGreaterThan(500); // the zombie line
    expect(pixelsOf(png, MUTED, 12)).toBeGreaterThan(100);
    expect(read('pool-lifecycle-mobile-zombie.svg')).toContain('zcache zombie pages (unloaded, draining)');
  });
});
