#!/usr/bin/env node
// Bundles the CLI for `npm run build` (after tsc): dist/cli/main.js and the ~180 modules it
// imports become dist/bin/main.js, and the worker threads' scripts (a run's passes, a sweep's
// configurations, validate's cases) dist/bin/pass-worker.js, sweep-worker.js and validate-worker.js, with what they share and
// what only some commands import (the plots, behind a dynamic import) split into chunks beside
// them. Node then loads a few files instead of one per module: a command's start-up is about
// 120 ms shorter, a worker's about 60 ms (docs/scale.md, "Start-up"). bin/tmemsim.js runs the
// CLI's bundle and src/threads.ts workerScript names the workers' (the library, dist/index.js,
// stays unbundled and starts the same workers); packages stay in node_modules
// (--packages=external). The code finds the package's files through src/package-files.ts, which
// does not depend on where a module sits.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The bundles, dist/bin/<name>.js, and the modules they are made from (scripts/check-package.mjs reads the names). */
export const ENTRIES = { main: 'dist/cli/main.js', 'pass-worker': 'dist/sim/pass-worker.js', 'sweep-worker': 'dist/sweep/worker.js', 'validate-worker': 'dist/validate/worker.js' };

const root = fileURLToPath(new URL('..', import.meta.url));
// Run as a script (npm run build), not when imported for ENTRIES.
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) bundle();

function bundle() {
  createRequire(import.meta.url)('esbuild').buildSync({
    absWorkingDir: root,
    entryPoints: ENTRIES,
    outdir: 'dist/bin',
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
}
