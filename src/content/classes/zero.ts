/** The `zero` content class: an all-zero page. */

import { Cls } from '../page.js';
import type { ContentClass } from './common.js';

function fillZero(_seed: number, dst: Uint8Array): void {
  dst.fill(0);
}

export const zeroClass: ContentClass = {
  name: 'zero', code: Cls.Zero, description: 'all-zero page', runSeedIndependent: true, fill: fillZero,
};
