/** The uncertainty block of a run in the table report (src/cost/uncertainty.ts computes it). */

import type { Interval, Uncertainty } from '../cost/uncertainty.js';
import { fmt, mj, ms, signed } from './numbers.js';

/** A figure and its interval: "400.083 [124.725 .. 1,089.540]". */
const iv = (x: Interval, f: (v: number) => string = mj): string => `${f(x.point)} [${f(x.lo)} .. ${f(x.hi)}]`;

/**
 * The energy saving (na.ts SIGN_CONVENTION: baseline − backend) with its interval,
 * every end signed as the report signs a saving:
 * "saving -14.100 [-327.223 .. +395.539] mJ (the sign is NOT settled by the ranges)".
 */
function savingLine(u: Uncertainty): string {
  const s = u.saving_uj;
  return `saving ${iv(s, signed(mj))} mJ (${s.lo < 0 && s.hi > 0 ? 'the sign is NOT settled by the ranges' : 'sign settled over the ranges'})`;
}

export function uncertaintyLines(u: Uncertainty, top = 8): string[] {
  const m = u.method;
  const out = [
    `  uncertainty over the profile's ranges (${m.constants} constants; ${m.exact ? `every one of ${m.corners} corners` : `${m.corners} seeded corners, not every one`} + ${m.samples} seeded points, seed ${m.seed}):`,
    `    energy: ${savingLine(u)}`,
    `      saving % of the baseline: ${iv(u.saving_pct, signed((v) => fmt(v, 1)))}`,
    `      backend  total ${iv(u.backend.energy_uj)} mJ: CPU ${iv(u.backend.cpu_uj)}, storage ${iv(u.backend.storage_uj)}, DRAM ${iv(u.backend.dram_uj)}, network ${iv(u.backend.network_uj)}; CPU time ${iv(u.backend.cpu_ns, ms)} ms`,
    `      baseline total ${iv(u.baseline.energy_uj)} mJ: CPU ${iv(u.baseline.cpu_uj)}, storage ${iv(u.baseline.storage_uj)}, DRAM ${iv(u.baseline.dram_uj)}, network ${iv(u.baseline.network_uj)}; CPU time ${iv(u.baseline.cpu_ns, ms)} ms`,
    `    constants that can flip the sign alone: ${u.sign_flipping.length > 0 ? u.sign_flipping.join(', ') : u.sign_uncertain ? 'none alone (only in combination)' : 'none'}`,
    `    tornado (saving in mJ with each constant at the low / high end of its range, the others at their values):`,
  ];
  for (const b of u.tornado.slice(0, top)) {
    out.push(`      ${b.constant.padEnd(36)} ${String(b.lo).padStart(10)} .. ${String(b.hi).padEnd(10)} ${signed(mj)(b.saving_at_lo_uj).padStart(10)} / ${signed(mj)(b.saving_at_hi_uj).padEnd(10)} swing ${mj(b.swing_uj)}${b.flips_sign ? '  FLIPS THE SIGN' : ''}`);
  }
  if (u.tornado.length > top) out.push(`      (${u.tornado.length - top} more in the JSON report)`);
  return out;
}
