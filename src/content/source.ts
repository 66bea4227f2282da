/**
 * The content source of one run: turns a trace's `data` field into a content
 * descriptor (desc = seed * 16 + class, see page.ts), and a descriptor back
 * into page bytes and their hash.
 *
 * Bytes are a pure function of (desc, run seed, corpus): generated classes
 * (text, code, random, heap) seed their generator with mixSeed(runSeed,
 * descSeed), so another run seed gives other bytes; zero, fill, corpus and
 * inline pages do not depend on the run seed. Zero and fill descriptors are
 * canonical (one desc per distinct page), so caches keyed by desc share them.
 */

import { CLASS_NAMES, Cls, MAX_SEED, PAGE_SIZE, makeDesc, descClass, descSeed, type Page } from './page.js';
import { CONTENT_CLASSES } from './classes/registry.js';
import type { Corpus } from './corpus.js';
import { hashPage } from './hash.js';
import { Rng, mixSeed } from './rng.js';
import { InvariantError, UsageError, acceptedList, type Where } from '../errors.js';
import type { DataSpec } from '../trace/events.js';

export interface ContentSourceOptions {
  /** The run seed (a non-negative safe integer). */
  seed: number;
  /** The corpus named in the trace header, if any. */
  corpus?: Corpus | null;
  /** Class of events without `data`: a class name or { name: weight }; default 'heap'. */
  defaultMix?: string | Record<string, number>;
  /** Bound on the desc -> hash cache (default 65536 entries). */
  hashCacheEntries?: number;
}

const DATA_FORMS = 'a class name, {class, seed}, {fill: 0..255}, {corpus: index}, {b64: "..."}';
const CLASS_LIST = acceptedList(Object.keys(CLASS_NAMES));
const B64 = /^[A-Za-z0-9+/]*={0,2}$/;

type Filler = (seed: number, dst: Uint8Array) => void;

/** Largest weight of a class in a default content mix (docs/trace-format.md, schema/trace-v1.schema.json). */
export const MAX_CLASS_WEIGHT = 1_000_000;

export class ContentSource {
  readonly seed: number;
  private readonly corpus: Corpus | null;
  /** Default mix: class codes and cumulative weights. */
  private readonly mixCodes: number[] = [];
  private readonly mixCum: number[] = [];
  private readonly rng = new Rng(0);
  /** Interned inline pages, by table index and by their b64 text. */
  private readonly inline: Uint8Array[] = [];
  private readonly inlineIndex = new Map<string, number>();
  /** Page fillers by class code. */
  private readonly fillers: (Filler | undefined)[] = [];
  private readonly hashes = new Map<number, number>();
  /** Walks the hash cache's keys in insertion order, oldest first (see remember). */
  private oldestHash: Iterator<number> = this.hashes.keys();
  private readonly hashLimit: number;
  private readonly scratch = new Uint8Array(PAGE_SIZE);
  /** The same-filled pages by byte (sharedBytes). */
  private readonly filled: (Uint8Array | undefined)[] = [];

  constructor(opts: ContentSourceOptions) {
    if (!Number.isSafeInteger(opts.seed) || opts.seed < 0) {
      throw new UsageError(`seed ${opts.seed} is not a non-negative integer`, { field: 'seed' }, `0..${Number.MAX_SAFE_INTEGER}`);
    }
    this.seed = opts.seed;
    this.corpus = opts.corpus ?? null;
    this.hashLimit = Math.max(1, opts.hashCacheEntries ?? 65536);
    this.setMix(opts.defaultMix ?? 'heap');

    const runSeed = this.seed;
    for (const c of Object.values(CONTENT_CLASSES)) {
      const gen = c.fill;
      this.fillers[c.code] = c.runSeedIndependent ? gen : (seed, dst) => gen(mixSeed(runSeed, seed), dst);
    }
    this.fillers[Cls.Corpus] = (index, dst) => {
      if (this.corpus === null) throw new InvariantError(`corpus page ${index} requested but no corpus is open`);
      this.corpus.fill(index, dst);
    };
    this.fillers[Cls.Inline] = (index, dst) => {
      const page = this.inline[index];
      if (page === undefined) throw new InvariantError(`inline page ${index} was never interned`);
      dst.set(page);
    };
  }

  /**
   * The descriptor of an event's `data` (undefined: the default mix).
   * Throws UsageError with where { field: 'data' }; the simulator's dispatch
   * adds the event's location (sim/simulate.ts).
   */
  resolve(spec: DataSpec | undefined, eventIndex: number): number {
    const own = eventIndex + 1; // the event's own seed: distinct events, distinct pages
    if (spec === undefined) return this.canonical(this.pickDefault(eventIndex), own);
    if (typeof spec === 'string') return this.canonical(classCode(spec), own);
    if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw badData(spec);
    if ('class' in spec) {
      const code = classCode(spec.class);
      if (spec.seed === undefined) return this.canonical(code, own);
      if (!Number.isInteger(spec.seed) || spec.seed < 0 || spec.seed > MAX_SEED) {
        throw new UsageError(`content seed ${String(spec.seed)} is out of range`, { field: 'data' }, `an integer 0..${MAX_SEED}`);
      }
      return this.canonical(code, spec.seed);
    }
    if ('fill' in spec) {
      const b = spec.fill;
      if (!Number.isInteger(b) || b < 0 || b > 255) {
        throw new UsageError(`fill byte ${String(b)} is out of range`, { field: 'data' }, '0..255');
      }
      return makeDesc(Cls.Fill, b);
    }
    if ('corpus' in spec) {
      if (this.corpus === null) {
        throw new UsageError(`data names corpus page ${String(spec.corpus)} but the trace has no corpus`,
          { field: 'data' }, 'a "content": { "corpus": "file" } section in the trace header');
      }
      this.corpus.check(spec.corpus);
      return makeDesc(Cls.Corpus, spec.corpus);
    }
    if ('b64' in spec) return makeDesc(Cls.Inline, this.intern(spec.b64));
    throw badData(spec);
  }

  /** Writes the bytes of `desc` to dst (one page). */
  fill(desc: number, dst: Uint8Array): void {
    const f = this.fillers[descClass(desc)];
    if (f === undefined || !(desc >= 0)) throw new InvariantError(`invalid content descriptor ${desc}`);
    f(descSeed(desc), dst);
  }

  /**
   * The bytes of `desc` without making them, when they already exist: the
   * zero and same-filled pages (one each, made once), an inline page. Null
   * for the generated classes and corpus pages (copied from the corpus's
   * chunk cache, whose buffers are reused). The
   * array is shared: read it, never write it.
   */
  sharedBytes(desc: number): Uint8Array | null {
    const cls = descClass(desc);
    if (cls === Cls.Zero || cls === Cls.Fill) {
      const b = cls === Cls.Zero ? 0 : descSeed(desc) & 0xff;
      let page = this.filled[b];
      if (page === undefined) {
        page = new Uint8Array(PAGE_SIZE);
        this.fill(desc, page);
        this.filled[b] = page;
      }
      return page;
    }
    if (cls === Cls.Inline) return this.inline[descSeed(desc)] ?? null;
    return null;
  }

  /** hashPage() of the bytes of `desc`, cached (bounded, oldest evicted first). */
  hash(desc: number): number {
    const cached = this.hashes.get(desc);
    if (cached !== undefined) return cached;
    this.fill(desc, this.scratch);
    return this.remember(desc, hashPage(this.scratch));
  }

  /** hash(page.desc), hashing page.bytes (the bytes of its desc) rather than making them again. */
  hashOfPage(page: Page): number {
    const cached = this.hashes.get(page.desc);
    if (cached !== undefined) return cached;
    return this.remember(page.desc, hashPage(page.bytes));
  }

  private remember(desc: number, h: number): number {
    if (this.hashes.size >= this.hashLimit) {
      // The oldest entry: a live iterator over the keys moves past the
      // deleted ones once, where keys().next() would rescan them every time.
      let oldest = this.oldestHash.next();
      if (oldest.done === true) oldest = (this.oldestHash = this.hashes.keys()).next();
      this.hashes.delete(oldest.value!);
    }
    this.hashes.set(desc, h);
    return h;
  }

  /** Whether the bytes of `desc` are a memset or a copy to make (zero, fill, corpus, inline), not generated. */
  cheapBytes(desc: number): boolean {
    const cls = descClass(desc);
    return cls === Cls.Zero || cls === Cls.Fill || cls === Cls.Corpus || cls === Cls.Inline;
  }

  /** Whether `bytes` (one page) are the bytes of `desc`. */
  sameBytes(desc: number, bytes: Uint8Array): boolean {
    if (descClass(desc) === Cls.Corpus && this.corpus !== null) return this.corpus.equals(descSeed(desc), bytes);
    let want = this.sharedBytes(desc);
    if (want === null) this.fill(desc, (want = this.scratch));
    return Buffer.compare(want, bytes) === 0;
  }

  /** A short name for a descriptor in messages, e.g. "text#42", "fill#0xff", "corpus#7". */
  label(desc: number): string {
    const cls = descClass(desc);
    const seed = descSeed(desc);
    const name = CLASS_BY_CODE[cls] ?? `class${cls}`;
    return cls === Cls.Fill ? `fill#0x${seed.toString(16)}` : `${name}#${seed}`;
  }

  /** A generated class's desc, canonical for zero (seed 0) and fill (seed = the byte). */
  private canonical(code: number, seed: number): number {
    if (code === Cls.Zero) return makeDesc(Cls.Zero, 0);
    if (code === Cls.Fill) return makeDesc(Cls.Fill, seed % 256);
    return makeDesc(code, seed);
  }

  private pickDefault(eventIndex: number): number {
    const codes = this.mixCodes;
    if (codes.length === 1) return codes[0]!;
    this.rng.reseed(mixSeed(this.seed, eventIndex));
    const cum = this.mixCum;
    const u = this.rng.next() * cum[cum.length - 1]!;
    for (let i = 0; i < cum.length; i++) if (u < cum[i]!) return codes[i]!;
    return codes[codes.length - 1]!;
  }

  private setMix(mix: string | Record<string, number>): void {
    const where: Where = { field: 'content.default' };
    const entries: [string, unknown][] = typeof mix === 'string' ? [[mix, 1]] : Object.entries(mix);
    let total = 0;
    for (const [name, weight] of entries) {
      const code = Object.hasOwn(CLASS_NAMES, name) ? CLASS_NAMES[name] : undefined;
      if (code === undefined) throw new UsageError(`unknown content class '${name}'`, where, CLASS_LIST);
      if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0 || weight > MAX_CLASS_WEIGHT) {
        throw new UsageError(`weight of '${name}' must be a number 0..${MAX_CLASS_WEIGHT}, not ${String(weight)}`, where);
      }
      if (weight === 0) continue;
      total += weight;
      this.mixCodes.push(code);
      this.mixCum.push(total);
    }
    if (total === 0) throw new UsageError('the default content mix has no class with a positive weight', where, CLASS_LIST);
  }

  private intern(b64: unknown): number {
    if (typeof b64 !== 'string' || !B64.test(b64) || b64.length % 4 === 1) {
      throw new UsageError('inline data is not valid base64', { field: 'data' }, 'standard base64 (A-Z a-z 0-9 + /, = padding)');
    }
    const known = this.inlineIndex.get(b64);
    if (known !== undefined) return known;
    const bytes = Buffer.from(b64, 'base64');
    if (bytes.length > PAGE_SIZE) {
      throw new UsageError(`inline data is ${bytes.length} bytes, longer than a page`, { field: 'data' }, `at most ${PAGE_SIZE} bytes`);
    }
    const page = new Uint8Array(PAGE_SIZE);
    page.set(bytes);
    const index = this.inline.length;
    if (index > MAX_SEED) throw new UsageError('too many distinct inline pages', { field: 'data' });
    this.inline.push(page);
    this.inlineIndex.set(b64, index);
    return index;
  }
}

const CLASS_BY_CODE: Record<number, string> = {
  ...Object.fromEntries(Object.entries(CLASS_NAMES).map(([n, c]) => [c, n])),
  [Cls.Corpus]: 'corpus',
  [Cls.Inline]: 'inline',
};

function classCode(name: unknown): number {
  const code = typeof name === 'string' && Object.hasOwn(CLASS_NAMES, name) ? CLASS_NAMES[name] : undefined;
  if (code === undefined) throw new UsageError(`unknown content class ${JSON.stringify(name)}`, { field: 'data' }, CLASS_LIST);
  return code;
}

function badData(spec: unknown): UsageError {
  let text: string;
  try {
    text = JSON.stringify(spec) ?? String(spec);
  } catch {
    text = String(spec);
  }
  if (text.length > 60) text = `${text.slice(0, 57)}...`;
  return new UsageError(`unrecognised data ${text}`, { field: 'data' }, DATA_FORMS);
}
