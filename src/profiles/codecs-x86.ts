/**
 * The CPU cycle costs the built-in profiles derive rather than state: codec
 * cycles on an x86 core, shared by the x86 profiles, and the ARM cores' as
 * factors on them; memcpy cycles likewise. profiles/builtin/*.json take them
 * with { "$ref": "codecs-x86#/CORE/codecs" } and ".../copy" (CORES below).
 *
 * Codec cycle costs on an x86 core.
 * Per-byte figures: lzbench 2.4 [R] (peers-and-numbers.md §B; each compressor's
 * rates are in its own file, CompressorFactory.rates), converted
 * with cycles/B = 3200 MHz / (MB/s). Fixed per-call cycles [I]: the zram 4 KiB
 * random-read table (lz4 mean 1708 ns on x86 [R]) minus 4096 x the lzbench
 * per-byte cost leaves about 1000-1500 cycles of per-page overhead at 3 GHz;
 * 1000 is used for every codec.
 */

import { COMPRESSORS } from '../compressors/registry.js';
import { lzbenchCyclesPerByte as cpb, type CodecProfile, type Range, type Sourced } from './profile.js';

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
const ARM_CYCLE_FACTOR = 2.75;

/**
 * The range of the ARM factor [I]: no published lzbench (or other per-codec) figure
 * for a Cortex-A53/A55 or A72/A76 core was found in the searched corpora (lzbench
 * results, codec READMEs, papers); the one ARM anchor is the Pi 4 zram read above. An
 * out-of-order ARM core can run lz4 at 1.2x the x86 cycles per byte or as badly as 4x
 * (in-order cores and small caches), so the range is wide.
 */
const ARM_FACTOR_RANGE = { lo: 1.2, hi: 4.0 };

/** An in-order Cortex-A53 needs about 1.8x the cycles of an out-of-order A72 on codec loops [I]. */
const A53_OVER_A72 = 1.8;

function scaleCodecs(codecs: Readonly<Record<string, CodecProfile>>, f: number, note: string, range?: Range): Record<string, CodecProfile> {
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

/** memcpy cycles per byte from lzbench's memcpy rate, with its x0.5-x2 spread (a 4 KiB page in the kernel against a large buffer). */
function copyCost(cyclesPerByte: number, source: string): Sourced<number> {
  return {
    value: cyclesPerByte,
    source,
    range: { lo: cyclesPerByte * 0.5, hi: cyclesPerByte * 2, source: '[I] memcpy of one 4 KiB page in the kernel against lzbench\'s large-buffer memcpy rate: x0.5-x2' },
  };
}

/** memcpy cycles per byte on x86: lzbench's memcpy rate. */
const X86_COPY_CPB = 3200 / 24075;

/** A core's codec and memcpy cycles. */
interface CoreCosts {
  codecs: Readonly<Record<string, CodecProfile>>;
  copy: Sourced<number>;
}

/**
 * The cores the built-in profiles run tmem work on, by the name their $ref
 * uses: x86; a big Cortex-A72-class core (the ARM factor on x86); a LITTLE
 * Cortex-A53 (the ARM factor times the A53/A72 factor).
 */
export const CORES: Readonly<Record<string, CoreCosts>> = {
  x86: { codecs: X86_CODECS, copy: copyCost(X86_COPY_CPB, 'lzbench 2.4 memcpy 24075 MB/s at 3.2 GHz [R]') },
  'arm-a72': {
    codecs: scaleCodecs(X86_CODECS, ARM_CYCLE_FACTOR, 'ARM cycles factor [I]', {
      lo: ARM_FACTOR_RANGE.lo / ARM_CYCLE_FACTOR,
      hi: ARM_FACTOR_RANGE.hi / ARM_CYCLE_FACTOR,
      source: '[I] an ARM factor of 1.2-4.0 on the x86 cycles (no published A72/A76 per-codec figure found; codecs-x86.ts)',
    }),
    copy: copyCost(X86_COPY_CPB * ARM_CYCLE_FACTOR, 'lzbench memcpy [R] x ARM factor [I]'),
  },
  'arm-a53': {
    codecs: scaleCodecs(X86_CODECS, ARM_CYCLE_FACTOR * A53_OVER_A72, 'ARM factor x A53/A72 factor [I]', {
      lo: (ARM_FACTOR_RANGE.lo * 1.3) / (ARM_CYCLE_FACTOR * A53_OVER_A72),
      hi: (ARM_FACTOR_RANGE.hi * 2.5) / (ARM_CYCLE_FACTOR * A53_OVER_A72),
      source: '[I] ARM factor 1.2-4.0 times an A53/A72 factor of 1.3-2.5 (no published A53/A55 per-codec figure found; codecs-x86.ts)',
    }),
    copy: copyCost(X86_COPY_CPB * ARM_CYCLE_FACTOR * A53_OVER_A72, 'lzbench memcpy [R] x ARM and A53 factors [I]'),
  },
};
