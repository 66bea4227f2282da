/** The `fill` content class: a same-filled page, every byte the seed's low byte. */

import { Cls } from '../page.js';
import type { ContentClass } from './common.js';

function fillSame(seed: number, dst: Uint8Array): void {
  dst.fill(seed & 0xff);
}

export const fillClass: ContentClass = {
  name: 'fill', code: Cls.Fill, description: 'same-filled page (byte = seed & 0xff)', runSeedIndependent: true, fill: fillSame,
};
