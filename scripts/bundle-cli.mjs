#!/usr/bin/env node
// Bundles the CLI for `npm run build` (after tsc): dist/cli/main.js and the ~180 modules it
// imports become dist/bin/main.js, with the modules only some commands import (the plots, behind
// a dynamic import) split into chunks beside it. Node then loads a few files instead of one per
// module: a command's start-up is about 120 ms shorter (docs/scale.md, "Start-up"). bin/tmemsim.js
// runs the bundle; the library (dist/index.js) and the worker threads' scripts stay unbundled, and
// packages stay in node_modules (--packages=external). The code finds the package's files through
// src/package-files.ts, which does not depend on where a module sits.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const esbuild = createRequire(import.meta.url)('esbuild');
const root = fileURLToPath(new URL('..', import.meta.url));
esbuild.buildSync({
  absWorkingDir: root,
  entryPoints: ['dist/cli/main.js'],
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
