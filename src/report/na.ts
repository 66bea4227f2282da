/**
 * The report's n/a rules and its sign convention, in one place.
 *
 * A figure that does not apply is `null` in JSON, an empty cell in CSV and
 * "n/a" in tables; it is never printed as 0 ("n/a" is not 0). It does not
 * apply when:
 *   - a ratio's denominator is 0: a hit ratio with no lookups, a compression
 *     ratio with nothing compressed (the baseline, a backend that stores
 *     pages uncompressed such as xen-tmem without tmem_compress), a pool
 *     density with no pool pages;
 *   - a tmem hit ratio is asked of a pass in which no backend serving that
 *     frontend was ever loaded (the baseline; cleancache under zswap):
 *     there was nothing to look up;
 *   - a latency quantile or a per-operation mean is over no operations, or
 *     is of a tmem operation (a cleancache put) in a pass without a backend serving it;
 *   - a saving is asked of two figures one of which is n/a, or a percentage
 *     saving of a baseline figure that is 0.
 *
 * Sign convention: a saving is baseline − backend. Positive: the backend
 * uses less (saves); negative: it uses more (costs). Every delta field is
 * named for that direction (`*_saved_*`, `*_avoided`), the table's
 * "saving" column and the lines under it use the same sign.
 */

/** A figure that may not apply. */
export type Na = number | null;

/** The sign convention as the reports state it. */
export const SIGN_CONVENTION = 'saving = baseline − backend: positive, the backend uses less';

/** num / den, or n/a when nothing was counted (den 0). */
export function ratioOrNa(num: number, den: number): Na {
  return den === 0 ? null : num / den;
}

/** A ratio about tmem (hits per lookup): n/a in a pass without a backend too. */
export function tmemRatioOrNa(hadBackend: boolean, hits: number, lookups: number): Na {
  return hadBackend ? ratioOrNa(hits, lookups) : null;
}

/** Mean of `sum` over `n` operations, n/a with none. */
export function meanOrNa(sum: number, n: number): Na {
  return n === 0 ? null : sum / n;
}

/** baseline − backend; n/a when either is n/a (or absent). */
export function savingOf(base: Na | undefined, backend: Na | undefined): Na {
  return base === null || base === undefined || backend === null || backend === undefined ? null : base - backend;
}

/** The saving as a percentage of the baseline figure; n/a when that is 0 or n/a. */
export function savingPctOf(base: Na | undefined, backend: Na | undefined): Na {
  const s = savingOf(base, backend);
  return s === null || base === 0 ? null : (100 * s) / (base as number);
}

/** How tables print a figure that does not apply. */
export const NA_TEXT = 'n/a';

/** `show(x)`, or "n/a". */
export function showNa(x: Na | undefined, show: (x: number) => string): string {
  return x === null || x === undefined ? NA_TEXT : show(x);
}
