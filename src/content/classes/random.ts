/** The `random` content class: incompressible random bytes. */

import { Cls } from '../page.js';
import { Rng } from '../rng.js';
import { put32, type ContentClass } from './common.js';

const rng = new Rng(0);

function fillRandom(seed: number, dst: Uint8Array): void {
  rng.reseed(seed);
  const n = dst.length;
  let p = 0;
  if ((dst.byteOffset & 3) === 0) {
    const w = new Int32Array(dst.buffer, dst.byteOffset, n >>> 2);
    for (let i = 0; i < w.length; i++) w[i] = rng.bits();
    p = w.length * 4;
  }
  for (; p + 4 <= n; p += 4) put32(dst, p, rng.bits());
  for (let v = rng.bits(); p < n; p++, v >>>= 8) dst[p] = v;
}

export const randomClass: ContentClass = {
  name: 'random', code: Cls.Random, description: 'incompressible random bytes', runSeedIndependent: false, fill: fillRandom,
};
