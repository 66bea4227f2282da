/**
 * Headless SVG rendering: a Vega-Lite spec is compiled to Vega and rendered
 * by a Vega View with no renderer attached (view.toSVG() needs no canvas or
 * browser). Fonts are measured by Vega's estimator, so the SVG is the same on
 * every host.
 */


import * as path from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { ensureDir, writeOutputFile } from '../report/output-file.js';

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
export function slug(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '');
}

export { ensureDir };

export async function writeSvg(dir: string, name: string, spec: TopLevelSpec): Promise<string> {
  const file = path.join(dir, `${slug(name)}.svg`);
  writeOutputFile(file, await renderSvg(spec), '--plot');
  return file;
}
