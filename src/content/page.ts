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

// duplicates: alike in shape only to sim/oracle.ts's Loc and mm/reclaim/reclaim.ts's Evicted (const enums): nothing in
// common.
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
  /** The kernel validation workload's page mix (classes/vmix.ts); bytes independent of the run seed. */
  Vmix = 8,
}

/** Names of the generated classes, as written in traces. */
export const CLASS_NAMES: Readonly<Record<string, number>> = {
  zero: Cls.Zero,
  fill: Cls.Fill,
  text: Cls.Text,
  code: Cls.Code,
  random: Cls.Random,
  heap: Cls.Heap,
  vmix: Cls.Vmix,
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


/**
 * A page handed to a frontend or backend. `bytes` may be a scratch buffer
 * owned by the caller, or a read-only array shared with other pages of the
 * same bytes: a backend reads it (to copy or compress it) during the call,
 * never writes it and never keeps a reference.
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

/** What a LazyPage makes its bytes with (a ContentSource). */
interface PageBytesSource {
  fill(desc: number, dst: Uint8Array): void;
  sharedBytes(desc: number): Uint8Array | null;
}

/**
 * A page whose bytes are made from its descriptor when first read: the
 * machine's scratch page. Stamping a page costs nothing until a consumer
 * (a compressor on a cache miss, a zero-page scan, a copy when verifying)
 * reads `bytes`; an uncompressed backend in fast mode never does. Bytes
 * that exist already (zero and same-filled pages, inline pages) are
 * handed out as they are, without a copy.
 */
export class LazyPage implements Page {
  desc = -1;
  tag = 0;
  private readonly buf = new Uint8Array(PAGE_SIZE);
  /** The bytes of desc once made (buf or a shared array), else null. */
  private made: Uint8Array | null = null;

  constructor(private readonly source: PageBytesSource) {}

  /** The page now holds `desc` (bytes made on first read), stamped `tag`. */
  set(desc: number, tag: number): void {
    this.desc = desc;
    this.tag = tag;
    this.made = null;
  }

  get bytes(): Uint8Array {
    let b = this.made;
    if (b === null) {
      b = this.source.sharedBytes(this.desc);
      if (b === null) this.source.fill(this.desc, (b = this.buf));
      this.made = b;
    }
    return b;
  }
}
