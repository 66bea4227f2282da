/**
 * ajv, loaded on first use. Most runs compile no schema: the trace schema's parts come precompiled
 * from the build (trace/validate.ts), profiles, sweep files and reports are checked only on the
 * paths that read them, and loading ajv took about 45 ms of every command's start-up
 * (docs/scale.md, "Start-up").
 */

import { createRequire } from 'node:module';
import type { Ajv, Options } from 'ajv';

export function newAjv(options: Options): Ajv {
  const { Ajv: AjvClass } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
  return new AjvClass(options);
}
