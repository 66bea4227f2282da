/**
 * Pages on the data path, and content descriptors.
 *
 * A content descriptor ("desc") is one non-negative double that names a
 * page's bytes deterministically: desc = seed * 16 + cls. The bytes of a
 * desc are a pure function of (desc, run seed, corpus), so a page's identity
 * can be kept in a number and its bytes made again when needed, and a
 * compression result can be cached by desc.
 */

export const PAGE_SIZE = 4096;
export const PAGE_SHIFT = 12;

/** Content class codes (the low 4 bits of a descriptor). */
export const enum Cls {
  Zero = 0,
  Fill = 1,
  Text = 2,
  Code = 3,
  Random = 4,
  Heap = 5,
  Corpus = 6,
  Inline = 7,
}

/** Names of the generated classes, as written in traces. */
export const CLASS_NAMES: Readonly<Record<string, number>> = {
  zero: Cls.Zero,
  fill: Cls.Fill,
  text: Cls.Text,
  code: Cls.Code,
  random: Cls.Random,
  heap: Cls.Heap,
};

/** The largest seed that fits a descriptor exactly (2^48 - 1). */
export const MAX_SEED = 2 ** 48 - 1;

export function makeDesc(cls: number, seed: number): number {
  return seed * 16 + cls;
}
export function descClass(desc: number): number {
  return desc % 16;
}
export function descSeed(desc: number): number {
  return Math.floor(desc / 16);
}

/** The zero page. */
export const ZERO_DESC = 0;

/**
 * A page handed to a frontend or backend. `bytes` may be a scratch buffer
 * owned by the caller: a backend must copy or compress it during the call
 * and never keep a reference.
 */
export interface Page {
  bytes: Uint8Array;
  /** Content descriptor of `bytes` (a cache key), or -1 when unknown. */
  desc: number;
  /**
   * The oracle's version stamp. Opaque to backends: they store it beside the
   * data and hand it back on a load or get, exactly as given.
   */
  tag: number;
}

/** Where a load or get writes: the backend fills bytes and sets tag. */
export interface PageOut {
  bytes: Uint8Array;
  tag: number;
  /**
   * False when the backend returned the page without decompressing it
   * (fast mode: the oracle then checks the tag only).
   */
  filled: boolean;
}

export function newPage(): Page {
  return { bytes: new Uint8Array(PAGE_SIZE), desc: -1, tag: 0 };
}
export function newPageOut(): PageOut {
  return { bytes: new Uint8Array(PAGE_SIZE), tag: 0, filled: false };
}
