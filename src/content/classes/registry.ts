/**
 * Page-content generators: one function per content class, each a pure
 * function of a 32-bit seed that fills a page with bytes that look, to a
 * compressor, like a kind of memory a kernel swaps or caches.
 *
 * Target lz4 ratios (4 KiB page / compressed size) and where they come from
 * (/work/shared/reference/peers-and-numbers.md, section B):
 *   - mixed anonymous memory: zram with lz4 on 1.1 GiB of real memory, 2.58;
 *     fio 4 KiB random reads through zram, 2.63. Heap (most of what is
 *     swapped, by our reading) aims at 2.5-4, around and above that mix;
 *     text, which compresses worse in 4 KiB blocks than in whole files, at
 *     2-2.6;
 *   - IAMHCHCH/zswap-benchmark "expected" ratios, lz4 ~1.8x and deflate
 *     ~2.2x: code aims at 1.6-2 (executables are the least compressible
 *     common page content);
 *   - lzbench on silesia.tar, lz4 47.6 % (2.1x) and zlib -6 32.2 % (3.1x) on
 *     whole files: deflate should beat lz4 clearly (here by 1.3-1.5x) on
 *     every compressible class.
 *
 * Measured on 1000 pages per class (seeds mixSeed(42, i), i = 1..1000) with
 * this project's compressors: lz4 = lz4-wasm-nodejs (lz4_flex block format,
 * 4-byte size prefix not counted), deflate = fflate raw deflate level 6 (when the table
 * was measured; since 2026-12-06 tmemsim's deflate is pako with the kernel's parameters, and
 * the deflate column was not measured again).
 * Mean of per-page ratios 4096 / size [min..max] (total bytes ratio):
 *
 *   class    lz4                       deflate
 *   text     2.23 [1.47..3.57] (2.09)  3.42 [2.32..5.62] (3.22)
 *   code     1.80 [1.52..2.46] (1.79)  2.35 [1.97..3.16] (2.34)
 *   heap     2.97 [1.56..10.2] (2.78)  4.56 [2.27..22.5] (4.24)
 *   random   4114 bytes (0.996)        4101 bytes (0.999)
 *   zero     27 bytes (152)            20 bytes (205)
 *
 * Text pages are 30 % prose (lz4 ~1.5), 40 % application logs (~2.8), 15 %
 * prose and logs mixed (~2.0) and 15 % CSV records (~2.3). Heap pages are
 * 7/8 malloc chunks of a few object types, 1/8 arrays (pointers, counters,
 * doubles).
 *
 * Cost on the 2-core EPYC VM this was tuned on (where lz4-wasm takes ~16 us
 * to compress a page and a trivial JS loop iteration ~1.6 ns): about 14 us
 * per text page, 18 us per code page, 10 us per heap page, 4 us per random
 * page.
 *
 * Each class lives in its own file beside this one (text.ts, code.ts, heap.ts,
 * zero.ts, fill.ts, random.ts, vmix.ts); adding one is its file, an entry
 * here and its code in page.ts Cls.
 */

import type { ContentClass } from './common.js';
import { codeClass } from './code.js';
import { fillClass } from './fill.js';
import { heapClass } from './heap.js';
import { randomClass } from './random.js';
import { textClass } from './text.js';
import { vmixClass } from './vmix.js';
import { zeroClass } from './zero.js';

/** Every content class by name, in the order lists show them. */
export const CONTENT_CLASSES: Readonly<Record<string, ContentClass>> = {
  zero: zeroClass,
  fill: fillClass,
  text: textClass,
  code: codeClass,
  random: randomClass,
  heap: heapClass,
  vmix: vmixClass,
};
