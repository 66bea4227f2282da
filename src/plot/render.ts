/**
 * Headless SVG rendering: a Vega-Lite spec is compiled to Vega and rendered
 * by a Vega View with no renderer attached (view.toSVG() needs no canvas or
 * browser). Fonts are measured by Vega's estimator, so the SVG is the same on
 * every host.
 */


import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { writeOutputFile } from '../report/output-file.js';
import { UsageError, quote } from '../errors.js';

/**
 * vega and vega-lite (about 20 MB of modules) are imported here, the first
 * time a chart is rendered (`--plot`, or the library's plot functions), never
 * at start-up: a run without plots does not load them.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [{ View, parse }, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** A file-name-safe form of a label. */
function slug(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '');
}

/**
 * Makes the plot directory, one level at a time from the nearest existing
 * ancestor (a recursive mkdir on a file system that refuses directories, such
 * as /proc, never ends). A path that is not and cannot become a directory is
 * refused with one line.
 */
export function ensureDir(dir: string): void {
  const fail = (why: string): never => {
    throw new UsageError(`cannot create plot directory ${quote(dir)}: ${why}`, { field: '--plot' }, 'a directory, or a new name in one');
  };
  const missing: string[] = [];
  let p = path.resolve(dir);
  for (;;) {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(p);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') fail(code ?? String(e));
    }
    if (st) {
      if (!st.isDirectory()) fail(missing.length === 0 ? 'it is not a directory' : `${quote(p)} is not a directory`);
      break;
    }
    const up = path.dirname(p);
    if (up === p) fail('no such file system');
    missing.push(p);
    p = up;
  }
  for (const m of missing.reverse()) {
    try {
      fs.mkdirSync(m);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST' || !fs.statSync(m).isDirectory()) fail(code ?? String(e));
    }
  }
}

export async function writeSvg(dir: string, name: string, spec: TopLevelSpec): Promise<string> {
  const file = path.join(dir, `${slug(name)}.svg`);
  writeOutputFile(file, await renderSvg(spec), '--plot');
  return file;
}
