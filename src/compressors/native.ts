/**
 * Optional codec packages, loaded only when their codec is chosen.
 *
 * `lz4hc` and `lzo` come from Node addons (node-lz4, node-lzo) that node-gyp
 * builds at install time from bundled C sources: python3, make and a C++
 * compiler are needed. They are optionalDependencies, so an install without a
 * compiler (or with --ignore-scripts) succeeds without them, and nothing here
 * is required until a compressor that needs one is created: `tmemsim
 * --version`, the default lz4 and every other codec never touch them. A codec
 * whose package is missing (or did not build: "invalid ELF header", "Could
 * not locate the bindings file") is bad input for this install: one line
 * naming the codec, the package and how to install it (a UsageError, exit 2).
 */

import { createRequire } from 'node:module';
import { UsageError, type Where } from '../errors.js';

/** The npm package behind each optional native codec. */
export const NATIVE_CODEC_PACKAGES: Readonly<Record<string, string>> = { lz4hc: 'lz4', lzo: 'lzo' };

/** Loaded packages, or the first line of why a package would not load. */
const loaded = new Map<string, { mod: unknown } | { error: string }>();

function tryLoad(pkg: string): { mod: unknown } | { error: string } {
  let r = loaded.get(pkg);
  if (r === undefined) {
    try {
      r = { mod: createRequire(import.meta.url)(pkg) as unknown };
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      r = { error: msg.split('\n')[0]!.trim() };
    }
    loaded.set(pkg, r);
  }
  return r;
}

/** The one-line error for a codec whose package will not load (at `where`). */
function nativeMissingError(codec: string, pkg: string, why: string, where: Where = {}): UsageError {
  return new UsageError(
    `compressor '${codec}' needs the optional native package '${pkg}', which is not installed or did not build (${why}); ` +
      `install it with \`npm install ${pkg}\` (builds with node-gyp: python3, make and a C++ compiler) or choose another compressor`,
    where,
  );
}

/** The package of a native codec, loaded now; a UsageError if it will not load. */
export function loadNativeCodec<T>(codec: string): T {
  const pkg = NATIVE_CODEC_PACKAGES[codec];
  if (pkg === undefined) throw new Error(`${codec} is not a native codec`);
  const r = tryLoad(pkg);
  if ('error' in r) throw nativeMissingError(codec, pkg, r.error);
  return r.mod as T;
}

/** Why a native codec's package does not load (the error, at `where`), or null if it loads (or needs none). */
export function nativeCodecProblem(codec: string, where: Where = {}): UsageError | null {
  const pkg = NATIVE_CODEC_PACKAGES[codec];
  if (pkg === undefined) return null;
  const r = tryLoad(pkg);
  return 'error' in r ? nativeMissingError(codec, pkg, r.error, where) : null;
}
