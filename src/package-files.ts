/**
 * Where the package's own files are (schema/, profiles/, docs/, validation/, dist/): the one place
 * that knows the layout. The root is found from this module's own location, upwards to the
 * package.json named tmemsim, so every file resolves the same whether the code runs from src/
 * (the tests), from dist/ (the library, an installed package) or from the CLI's bundle
 * (dist/bin/, scripts/bundle-cli.mjs), where no module sits at the depth its source had.
 */

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

function findRoot(from: string): string {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name === 'tmemsim') return dir;
    if (dirname(dir) === dir) throw new Error(`tmemsim's package.json is not in any folder above ${from}`);
  }
}

/** The package's root folder. */
const PACKAGE_DIR = findRoot(fileURLToPath(import.meta.url));

/** A file or folder of the package by its path from the root, e.g. 'schema/trace-v1.schema.json'. */
export function packagePath(rel: string): string {
  return join(PACKAGE_DIR, rel);
}

/** packagePath as a file: URL (a folder's keeps its trailing slash). */
export function packageUrl(rel: string): URL {
  return pathToFileURL(packagePath(rel));
}
