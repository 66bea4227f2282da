/**
 * Codec cycle costs on an x86 core, shared by the x86 profiles.
 * Per-byte figures: lzbench 2.4 [R] (peers-and-numbers.md §B), converted
 * with cycles/B = 3200 MHz / (MB/s). Fixed per-call cycles [I]: the zram 4 KiB
 * random-read table (lz4 mean 1708 ns on x86 [R]) minus 4096 x the lzbench
 * per-byte cost leaves about 1000-1500 cycles of per-page overhead at 3 GHz;
 * 1000 is used for every codec.
 */

import { lzbenchCyclesPerByte as cpb, type CodecProfile } from './profile.js';

const FIXED = 1000;
const src = 'lzbench 2.4 silesia on EPYC 9555P 3.2 GHz [R], per-page fixed cost from the zram 4K table [I]';

function codec(compMBs: number, decompMBs: number, note = ''): CodecProfile {
  return {
    compress: { fixedCycles: FIXED, cyclesPerByte: cpb(compMBs) },
    decompress: { fixedCycles: FIXED, cyclesPerByte: cpb(decompMBs) },
    source: note ? `${src}; ${note}` : src,
  };
}

export const X86_CODECS: Readonly<Record<string, CodecProfile>> = {
  lz4: codec(550, 3832, 'lz4 1.10'),
  lz4hc: codec(31.9, 3703, 'lz4hc -9'),
  lzo: codec(500, 561, 'lzo1x -1'),
  'lzo-rle': codec(500, 561, 'lzo1x -1 figures [I]'),
  zstd: codec(411, 1351, 'zstd -1'),
  deflate: codec(26.8, 314, 'zlib -6 (the kernel crypto deflate default level)'),
};

/** ARM cores need more cycles per byte [I]: the zram 4 KiB read test gives lz4
 * 9421 ns on a Cortex-A72 at 1.5 GHz (14.1 k cycles) vs 1708 ns on x86 at ~3 GHz
 * (5.1 k cycles) [R: news.cgast.org/news/31091], a factor of about 2.75. */
export const ARM_CYCLE_FACTOR = 2.75;

export function scaleCodecs(codecs: Readonly<Record<string, CodecProfile>>, f: number, note: string): Record<string, CodecProfile> {
  const out: Record<string, CodecProfile> = {};
  for (const [k, c] of Object.entries(codecs)) {
    out[k] = {
      compress: { fixedCycles: c.compress.fixedCycles * f, cyclesPerByte: c.compress.cyclesPerByte * f },
      decompress: { fixedCycles: c.decompress.fixedCycles * f, cyclesPerByte: c.decompress.cyclesPerByte * f },
      source: `${c.source}; x${f} ${note}`,
    };
  }
  return out;
}
