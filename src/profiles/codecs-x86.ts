/**
 * Codec cycle costs on an x86 core, shared by the x86 profiles.
 * Per-byte figures: lzbench 2.4 [R] (peers-and-numbers.md §B; each compressor's
 * rates are in its own file, CompressorFactory.rates), converted
 * with cycles/B = 3200 MHz / (MB/s). Fixed per-call cycles [I]: the zram 4 KiB
 * random-read table (lz4 mean 1708 ns on x86 [R]) minus 4096 x the lzbench
 * per-byte cost leaves about 1000-1500 cycles of per-page overhead at 3 GHz;
 * 1000 is used for every codec.
 */

import { COMPRESSORS } from '../compressors/registry.js';
import { lzbenchCyclesPerByte as cpb, type CodecProfile, type Range } from './profile.js';

const FIXED = 1000;
const src = 'lzbench 2.4 silesia on EPYC 9555P 3.2 GHz [R], per-page fixed cost from the zram 4K table [I]';

function codec(compMBs: number, decompMBs: number, note = ''): CodecProfile {
  return {
    compress: { fixedCycles: FIXED, cyclesPerByte: cpb(compMBs) },
    decompress: { fixedCycles: FIXED, cyclesPerByte: cpb(decompMBs) },
    source: note ? `${src}; ${note}` : src,
    range: X86_RANGE,
  };
}

/** x86 codec figures: silesia whole-file rates applied to 4 KiB pages. */
const X86_RANGE: Range = {
  lo: 0.7,
  hi: 1.5,
  source: '[I] x0.7-x1.5: a 4 KiB page compresses at a different rate per byte than the whole silesia file (more per-call setup, less to match against), and the rates are one host\'s',
};

/**
 * Every registered compressor, priced from the lzbench rates in its own file
 * (CompressorFactory.rates): adding a compressor prices it in every profile.
 */
export const X86_CODECS: Readonly<Record<string, CodecProfile>> = Object.fromEntries(
  [...COMPRESSORS.values()].map((f) => [f.name, codec(f.rates.compressMBs, f.rates.decompressMBs, f.rates.note)]),
);

/** ARM cores need more cycles per byte [I]: the zram 4 KiB read test gives lz4
 * 9421 ns on a Cortex-A72 at 1.5 GHz (14.1 k cycles) vs 1708 ns on x86 at ~3 GHz
 * (5.1 k cycles) [R: news.cgast.org/news/31091], a factor of about 2.75. */
export const ARM_CYCLE_FACTOR = 2.75;

/**
 * The range of the ARM factor [I]: no published lzbench (or other per-codec) figure
 * for a Cortex-A53/A55 or A72/A76 core was found in the searched corpora (lzbench
 * results, codec READMEs, papers); the one ARM anchor is the Pi 4 zram read above. An
 * out-of-order ARM core can run lz4 at 1.2x the x86 cycles per byte or as badly as 4x
 * (in-order cores and small caches), so the range is wide.
 */
export const ARM_FACTOR_RANGE = { lo: 1.2, hi: 4.0 };

export function scaleCodecs(codecs: Readonly<Record<string, CodecProfile>>, f: number, note: string, range?: Range): Record<string, CodecProfile> {
  const out: Record<string, CodecProfile> = {};
  for (const [k, c] of Object.entries(codecs)) {
    out[k] = {
      compress: { fixedCycles: c.compress.fixedCycles * f, cyclesPerByte: c.compress.cyclesPerByte * f },
      decompress: { fixedCycles: c.decompress.fixedCycles * f, cyclesPerByte: c.decompress.cyclesPerByte * f },
      source: `${c.source}; x${f} ${note}`,
      ...(range ? { range } : c.range ? { range: c.range } : {}),
    };
  }
  return out;
}
