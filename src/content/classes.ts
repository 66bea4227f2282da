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
 * 4-byte size prefix not counted), deflate = fflate raw deflate level 6.
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
 * Generators write into a scratch buffer longer than the page (tokens may run
 * past the end without bound checks; a page starts at a random offset into
 * the generated stream, as a page boundary falls anywhere in a file) and copy
 * dst.length bytes out. Random draws use Rng.bits() (an int32) with masks and
 * shifts, never `%` on a possibly-unsigned value, which V8 runs as a slow
 * floating-point modulo.
 */

import { Cls } from './page.js';
import { Rng } from './rng.js';
import { fillVmix } from './vmix.js';

export interface ContentClass {
  readonly name: string;
  /** The class code (Cls) in the low 4 bits of a descriptor. */
  readonly code: number;
  readonly description: string;
  /**
   * Whether the class's bytes are a function of the descriptor's seed alone
   * (zero, fill, vmix). Otherwise the content source seeds fill() with
   * mixSeed(run seed, seed), so another run seed gives other bytes.
   */
  readonly runSeedIndependent: boolean;
  /** Writes dst.length bytes determined by seed32 (an unsigned 32-bit integer). */
  fill(seed32: number, dst: Uint8Array): void;
}

const rng = new Rng(0);
const SLACK = 1024;
let scratch = new Uint8Array(8192 + SLACK);
/** A DataView of scratch, for unaligned 32-bit stores. */
let view = new DataView(scratch.buffer);

function scratchFor(n: number): Uint8Array {
  if (scratch.length < n + SLACK) {
    scratch = new Uint8Array(n + SLACK);
    view = new DataView(scratch.buffer);
  }
  return scratch;
}

/** A uniform integer in [0, n) from the top 16 bits of r (n <= 32768). */
function below(r: number, n: number): number {
  return ((r >>> 16) * n) >>> 16;
}

function ascii(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0x7f;
  return out;
}

/** Writes v (0..10^w-1, below 2^31) in exactly w digits, zero-padded. */
function putFixed(b: Uint8Array, p: number, v: number, w: number): number {
  for (let i = w - 1; i >= 0; i--, v = (v / 10) | 0) b[p + i] = 48 + (v - ((v / 10) | 0) * 10);
  return p + w;
}

const HEX = ascii('0123456789abcdef');
function putHex(b: Uint8Array, p: number, v: number, w: number): number {
  for (let i = w - 1; i >= 0; i--, v >>>= 4) b[p + i] = HEX[v & 15]!;
  return p + w;
}

function putBytes(b: Uint8Array, p: number, s: Uint8Array): number {
  for (let i = 0; i < s.length; i++) b[p + i] = s[i]!;
  return p + s.length;
}

function put32(b: Uint8Array, p: number, v: number): void {
  b[p] = v;
  b[p + 1] = v >>> 8;
  b[p + 2] = v >>> 16;
  b[p + 3] = v >>> 24;
}

/**
 * A list of byte strings with a Zipf-like sampler (rank r weighs 1/(r+2)^e).
 * Words are stored in fixed-size slots of 32-bit chunks so that put() writes
 * them with two unaligned 32-bit stores instead of a byte loop whose varying
 * trip count the CPU mispredicts (that loop made text generation 2.5x slower).
 * The bytes put() writes past the word are overwritten by the next write.
 */
class Lexicon {
  readonly len: Uint8Array;
  readonly size: number;
  /** 32-bit chunks of each word, `stride` per word, little-endian, space-padded. */
  private readonly chunks: Int32Array;
  private readonly stride: number;
  /** 4096 slots mapping a 12-bit random value to a word index. */
  private readonly table = new Uint16Array(4096);

  constructor(words: string | readonly string[], exponent = 1) {
    const list = typeof words === 'string' ? words.trim().split(/\s+/) : [...words];
    this.size = list.length;
    this.len = new Uint8Array(list.length);
    const maxLen = Math.max(8, ...list.map((w) => w.length));
    this.stride = Math.ceil(maxLen / 4);
    const bytes = new Uint8Array(this.stride * 4 * list.length).fill(32);
    const weights = list.map((_, i) => 1 / Math.pow(i + 2, exponent));
    const total = weights.reduce((x, w) => x + w, 0);
    let acc = 0;
    let slot = 0;
    for (let i = 0; i < list.length; i++) {
      const w = list[i]!;
      this.len[i] = w.length;
      for (let k = 0; k < w.length; k++) bytes[i * this.stride * 4 + k] = w.charCodeAt(k) & 0x7f;
      acc += weights[i]! / total;
      const end = i === list.length - 1 ? 4096 : Math.round(acc * 4096);
      for (; slot < end; slot++) this.table[slot] = i;
    }
    const dv = new DataView(bytes.buffer);
    this.chunks = new Int32Array(bytes.length / 4);
    for (let i = 0; i < this.chunks.length; i++) this.chunks[i] = dv.getInt32(i * 4, true);
  }

  /** A Zipf-distributed word index from the top 12 bits of r. */
  pick(r: number): number {
    return this.table[r >>> 20]!;
  }

  /** Writes word i at p; returns p + its length. */
  put(dv: DataView, p: number, i: number): number {
    const o = i * this.stride;
    const c = this.chunks;
    dv.setInt32(p, c[o]!, true);
    dv.setInt32(p + 4, c[o + 1]!, true);
    const n = this.len[i]!;
    for (let k = 2; k * 4 < n; k++) dv.setInt32(p + k * 4, c[o + k]!, true);
    return p + n;
  }
}

// ---- text -------------------------------------------------------------------

/** Prose vocabulary: frequent words and phrases first (Zipf rank = position). */
const PROSE_WORDS = `
the of and to a in is that for it as was with be by on not he this are or his
from at which but have an they you were her she there been one all we their has
would when if so no will can more out up about into them than some what only
other time its also could two these may then do first any my now such like our
over man me even most made after new must through back years where much your way
well down should because each just those people how too little state good very
make world still own see men work long get here between both life being under
never day same another know while last might us great old year off come since
against go came right used take three system memory page data file process
kernel swap cache pool value number server request user error update without
again place around however home small found part thought general during line
order high public change every group given across large point always within
second least perhaps early enough local young often program report question
different following information government company development present possible
important whole problem interest service increase available result level
position community example support compressed backend storage device network
address session buffer thread queue
`;
const PROSE = new Lexicon(PROSE_WORDS, 0.9);
/** Multi-word phrases text repeats (bigrams and idioms), mixed into prose. */
const PHRASES = ['of the', 'in the', 'to the', 'and the', 'on the', 'for the', 'it is',
  'there is a', 'as well as', 'for example,', 'such as', 'at the same time', 'one of the',
  'in order to', 'the number of', 'is used to', 'that the', 'from the', 'with the', 'can be',
  'it was', 'by the', 'the system', 'in this case', 'this is', 'will be', 'has been', 'at least'];

/**
 * Prose fragments: 2048 runs of 1-4 words and phrases (at most 24 bytes),
 * built once from a fixed seed. A sentence strings fragments together, so
 * one random draw writes about 12 bytes (word by word was twice as slow).
 */
const FRAGMENTS = (() => {
  const g = new Rng(0x7e47);
  const words = PROSE_WORDS.trim().split(/\s+/);
  // Zipf-like word choice: index = floor(n * u^2.2) favours the first (frequent) words.
  const word = (): string => words[Math.floor(words.length * Math.pow(g.next(), 2.2))]!;
  const out: string[] = [];
  while (out.length < 2048) {
    const k = 1 + g.int(4);
    let f = '';
    for (let i = 0; i < k; i++) {
      const w = g.int(6) === 0 ? PHRASES[g.int(PHRASES.length)]! : word();
      if (f.length + w.length + 1 > 24) break;
      f = f ? `${f} ${w}` : w;
    }
    if (f) out.push(f);
  }
  return new Lexicon(out, 0.6);
})();

const LEVELS = new Lexicon(['INFO ', 'DEBUG', 'WARN ', 'ERROR', 'TRACE'], 2.2);
const COMPONENTS = new Lexicon(['kswapd0', 'zswap', 'frontswap', 'worker-3', 'worker-7',
  'http-nio-8080-exec-2', 'db.pool', 'scheduler', 'sshd[1123]', 'systemd[1]', 'nginx', 'cron[842]',
  'app.cache', 'gc', 'auth', 'api.v2.users', 'storage.blob', 'metrics']);
/**
 * Log message templates: %w a word, %d a number, %h a hex id, %i an IPv4
 * address, %p a URL path, %k key=value. Split at init into literal pieces.
 */
const LOG_TEMPLATE_TEXT = [
  'GET %p HTTP/1.1 200 %d ms', 'POST %p HTTP/1.1 201 %d ms', 'GET %p HTTP/1.1 404 %d ms',
  'connection from %i port %d accepted', 'closing connection %h after %d requests',
  'cache miss for key %w:%d', 'cache hit ratio %d.%d percent over %d lookups',
  'processed %d records in %d ms', 'worker %d finished job %h (%w) in %d ms',
  'retrying %w request to %i (attempt %d of 5)', 'session %h expired for user %w',
  'slow query on table %w took %d ms: %k %k', 'queue %w depth %d, lag %d ms',
  'reclaimed %d pages, %d anon, %d file, scanned %d', 'allocation of %d bytes failed, %w %w',
  'loaded configuration from %p (%d entries)', 'user %w logged in from %i',
  'checkpoint %d complete: wrote %d buffers (%d.%d percent)', 'received signal %d, %w the %w',
  'heartbeat from %i ok, %d ms',
];
/** Each template as [piece, kind, piece, kind, ..., piece]: pieces index LOG_PIECES, kinds are char codes. */
const LOG_TEMPLATES: Int32Array[] = [];
const LOG_PIECES = (() => {
  const pieces: string[] = [];
  for (const t of LOG_TEMPLATE_TEXT) {
    const parts = t.split(/%(.)/);
    const ops: number[] = [];
    for (let i = 0; i < parts.length; i++) {
      if (i % 2 === 0) {
        ops.push(pieces.length);
        pieces.push(parts[i]!);
      } else {
        ops.push(parts[i]!.charCodeAt(0));
      }
    }
    LOG_TEMPLATES.push(Int32Array.from(ops));
  }
  return new Lexicon(pieces);
})();
const PATH_PARTS = new Lexicon(`/api /v1 /v2 /users /items /orders /static /img /css /js /assets
  /search /login /account /settings /health /metrics /admin /data /export /report /index /status`);
const IP_PREFIX = new Lexicon(['10.0.', '192.168.', '172.16.', '10.1.']);
const CSV_NAMES = new Lexicon(`alice bob carol dave erin frank grace heidi ivan judy mallory oscar
  peggy trent victor walter berlin paris london tokyo new-york madrid oslo rome`);
const CSV_TAILS = new Lexicon(['EUR,completed', 'EUR,completed', 'USD,completed', 'EUR,pending',
  'EUR,refunded', 'GBP,completed', 'EUR,failed', 'USD,pending'], 1.5);

/** Decimal digits of a non-negative integer below 2^31; returns the new position. */
function putUint(b: Uint8Array, p: number, v: number): number {
  if (v < 10) {
    b[p] = 48 + v;
    return p + 1;
  }
  const n = v < 100 ? 2 : v < 1000 ? 3 : v < 10000 ? 4 : v < 100000 ? 5 : v < 1e6 ? 6 : v < 1e7 ? 7 : v < 1e8 ? 8 : v < 1e9 ? 9 : 10;
  return putFixed(b, p, v, n);
}

/** Text-page generation state. */
interface TextState {
  /** Wall clock, ms since midnight. */
  ms: number;
  /** "YYYY-MM-DD " and the current "HH:MM:SS" as 32-bit chunks (LE). */
  date: Int32Array;
  /** The second `date[3..4]` holds. */
  sec: number;
  /** The page's few log components and templates (indices), picked per page. */
  comps: Uint8Array;
  tmpls: Uint8Array;
  /** Recurring hex ids of log lines. */
  ids: Int32Array;
  /** Next CSV record id. */
  id: number;
  /** Current column, and the hard-wrap column (0: one line per paragraph). */
  col: number;
  wrap: number;
}

/** A sentence of 2-9 fragments (about 4-25 words), capitalised, with commas and a few numbers. */
function sentence(b: Uint8Array, dv: DataView, p: number, st: TextState): number {
  const words = 2 + (rng.bits() & 7);
  const first = p;
  let lineStart = p - st.col;
  for (let i = 0; i < words; i++) {
    const r = rng.bits();
    if (i > 0) {
      // A space, or a newline when hard-wrapping past the wrap column.
      if (st.wrap > 0 && p - lineStart >= st.wrap) {
        b[p++] = 10;
        lineStart = p;
      } else {
        b[p++] = 32;
      }
    }
    if ((r & 31) === 0) p = putUint(b, p, (r >>> 6) & ((r & 64) !== 0 ? 127 : 8191));
    else p = FRAGMENTS.put(dv, p, FRAGMENTS.pick(r));
    if (i < words - 1 && ((r >>> 8) & 7) === 0) b[p++] = 44; // ','
  }
  if (b[first]! >= 97) b[first] = b[first]! - 32;
  const e = rng.bits() & 31;
  b[p++] = e === 0 ? 63 : e === 1 ? 33 : 46; // '?', '!', '.'
  st.col = p - lineStart;
  return p;
}

/** Writes "YYYY-MM-DD HH:MM:SS.mmm " (24 bytes). */
function timestamp(b: Uint8Array, dv: DataView, p: number, st: TextState): number {
  const d = st.date;
  dv.setInt32(p, d[0]!, true);
  dv.setInt32(p + 4, d[1]!, true);
  dv.setInt32(p + 8, d[2]!, true); // "DD " and a byte the next store overwrites
  p += 11;
  const ms = st.ms;
  const s = (ms / 1000) | 0;
  if (s !== st.sec) {
    // "HH:MM:SS" changes once a second: format it then.
    const m = (s / 60) | 0;
    st.sec = s;
    putFixed(b, p, ((m / 60) | 0) % 24, 2);
    b[p + 2] = 58;
    putFixed(b, p + 3, m % 60, 2);
    b[p + 5] = 58;
    putFixed(b, p + 6, s % 60, 2);
    d[3] = dv.getInt32(p, true);
    d[4] = dv.getInt32(p + 4, true);
  } else {
    dv.setInt32(p, d[3]!, true);
    dv.setInt32(p + 4, d[4]!, true);
  }
  p += 8;
  b[p++] = 46;
  p = putFixed(b, p, ms - s * 1000, 3);
  b[p++] = 32;
  return p;
}

function logLine(b: Uint8Array, dv: DataView, p: number, st: TextState): number {
  const r = rng.bits();
  st.ms += (r >>> 20) & 255;
  p = timestamp(b, dv, p, st);
  p = LEVELS.put(dv, p, LEVELS.pick(r << 12));
  b[p++] = 32;
  b[p++] = 91; // '['
  p = COMPONENTS.put(dv, p, st.comps[r & 3]!);
  b[p++] = 93; // ']'
  b[p++] = 32;
  const t = LOG_TEMPLATES[st.tmpls[(r >>> 2) & 7]!]!;
  p = LOG_PIECES.put(dv, p, t[0]!);
  for (let i = 1; i < t.length; i += 2) {
    const v = rng.bits();
    switch (t[i]) {
      case 100: // %d
        p = putUint(b, p, (v & 7) === 0 ? (v >>> 3) & 0xffff : (v >>> 3) & 0x3f);
        break;
      case 119: // %w
        p = PROSE.put(dv, p, PROSE.pick(v));
        break;
      case 104: // %h: mostly one of the page's recurring ids (sessions, jobs)
        p = putHex(b, p, (v & 3) !== 0 ? st.ids[(v >>> 2) & 3]! : v, 8);
        break;
      case 105: // %i
        p = IP_PREFIX.put(dv, p, v & 3);
        p = putUint(b, p, (v >>> 8) & 3);
        b[p++] = 46;
        p = putUint(b, p, (v >>> 12) & 31);
        break;
      case 112: // %p
        p = PATH_PARTS.put(dv, p, PATH_PARTS.pick(v));
        p = PATH_PARTS.put(dv, p, PATH_PARTS.pick(v << 12));
        if ((v & 16) !== 0) {
          b[p++] = 47;
          p = putUint(b, p, (v >>> 5) & 0x3fff);
        }
        break;
      default: // %k
        p = PROSE.put(dv, p, PROSE.pick(v));
        b[p++] = 61;
        p = putUint(b, p, v & 1023);
    }
    p = LOG_PIECES.put(dv, p, t[i + 1]!);
  }
  b[p++] = 10;
  return p;
}

/** A CSV record: timestamp, id, two names, amount, currency and status. */
function csvLine(b: Uint8Array, dv: DataView, p: number, st: TextState): number {
  const r = rng.bits();
  st.ms += (r & 0xfff) * 7;
  p = timestamp(b, dv, p, st) - 1;
  b[p++] = 44;
  p = putUint(b, p, st.id++);
  b[p++] = 44;
  p = CSV_NAMES.put(dv, p, CSV_NAMES.pick(r));
  b[p++] = 44;
  p = CSV_NAMES.put(dv, p, CSV_NAMES.pick(r << 12));
  b[p++] = 44;
  p = putUint(b, p, (r >>> 12) & ((r & 0x1000) !== 0 ? 0x3ff : 0x3f));
  b[p++] = 46;
  p = (r & 0x2000) !== 0 ? putFixed(b, p, (r >>> 22) % 100, 2) : putFixed(b, p, 0, 2);
  b[p++] = 44;
  p = CSV_TAILS.put(dv, p, CSV_TAILS.pick(r << 8));
  b[p++] = 10;
  return p;
}

function fillText(seed: number, dst: Uint8Array): void {
  rng.reseed(seed);
  const n = dst.length;
  const r0 = rng.bits();
  const skip = r0 & 127;
  const end = n + skip;
  const b = scratchFor(end);
  const dv = view;
  const style = below(r0, 20); // 0-5 prose, 6-13 log, 14-16 mixed, 17-19 csv
  const r1 = rng.bits();
  const ymd = new Uint8Array(12).fill(32);
  putFixed(ymd, 0, 2015 + (r1 & 7), 4);
  ymd[4] = 45;
  putFixed(ymd, 5, 1 + below(r1, 12), 2);
  ymd[7] = 45;
  putFixed(ymd, 8, 1 + ((r1 >>> 4) & 15) + ((r1 >>> 8) & 7), 2);
  const ymdView = new DataView(ymd.buffer);
  const date = Int32Array.of(ymdView.getInt32(0, true), ymdView.getInt32(4, true), ymdView.getInt32(8, true), 0, 0);
  const comps = new Uint8Array(4);
  const tmpls = new Uint8Array(8);
  const r2 = rng.bits();
  // A page of a log file shows few sources and message kinds: 2 components
  // (3:1) and 4 templates (3:2:2:1).
  const c0 = below(r2, COMPONENTS.size);
  const c1 = below(r2 << 16, COMPONENTS.size);
  comps.set([c0, c0, c0, c1]);
  const t = [0, 0, 0, 0].map(() => below(rng.bits(), LOG_TEMPLATES.length));
  tmpls.set([t[0]!, t[0]!, t[0]!, t[1]!, t[1]!, t[2]!, t[2]!, t[3]!]);
  const ids = Int32Array.of(rng.bits(), rng.bits(), rng.bits(), rng.bits());
  const st: TextState = {
    ms: (rng.bits() >>> 6) % 86_000_000, date, sec: -1, comps, tmpls, ids,
    id: (rng.bits() >>> 12) + 1, col: 0, wrap: (r1 & 8) !== 0 ? 72 : 0,
  };
  let p = 0;
  while (p < end) {
    const r = rng.bits();
    if (style >= 17) {
      for (let l = 0; l < 8 && p < end; l++) p = csvLine(b, dv, p, st);
    } else if (style < 6 || (style >= 14 && (r & 1) === 0)) {
      // A paragraph: 1-4 sentences, then a blank line or a line break.
      const sentences = 1 + ((r >>> 1) & 3);
      st.col = 0;
      for (let s = 0; s < sentences && p < end; s++) {
        if (s > 0) {
          b[p++] = 32;
          st.col++;
        }
        p = sentence(b, dv, p, st);
      }
      b[p++] = 10;
      if ((r & 8) !== 0) b[p++] = 10;
    } else {
      const lines = 1 + ((r >>> 4) & 7);
      for (let l = 0; l < lines && p < end; l++) p = logLine(b, dv, p, st);
    }
  }
  dst.set(b.subarray(skip, end));
}

// ---- code (x86-64 .text) ----------------------------------------------------

/** Register numbers (rax rcx rdx rbx rsp rbp rsi rdi r8..r15), weighted like compiler output. */
const REG_TABLE = Uint8Array.from([
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7, 7, 7, 7, 7, 6, 6, 6, 6, 2, 2, 2, 2, 3, 3, 3, 3, 1, 1, 1,
  5, 12, 12, 13, 13, 14, 14, 15, 8, 9, 0, 7, 0, 3, 6, 2, 3, 0, 12, 13, 0, 7, 6, 3, 2, 0, 0, 3, 7, 6,
  1, 0, 14, 15,
]); // 64 entries
/** Common 8-byte-aligned struct field and stack displacements (disp8). */
const FIELD_DISP = Uint8Array.from([0x08, 0x10, 0x18, 0x20, 0x28, 0x30, 0x38, 0x40, 0x08, 0x10, 0x18, 0x10, 0x48, 0x50, 0x04, 0x0c]);
const STACK_DISP = Uint8Array.from([0xf8, 0xf0, 0xe8, 0xe0, 0xd8, 0xd0, 0xc8, 0xc0, 0xfc, 0xf4, 0xec, 0xe4, 0xf8, 0xf0, 0xe8, 0xfc]);
/** Jcc short opcodes (je, jne, jle, jg, jl, jge, jbe, ja). */
const JCC = Uint8Array.from([0x74, 0x74, 0x74, 0x75, 0x75, 0x75, 0x7e, 0x7f, 0x7c, 0x7d, 0x76, 0x77, 0x74, 0x75, 0x78, 0x74]);
/** GNU as multi-byte NOPs, by length 1..10. */
const NOPS = [
  [0x90], [0x66, 0x90], [0x0f, 0x1f, 0x00], [0x0f, 0x1f, 0x40, 0x00], [0x0f, 0x1f, 0x44, 0x00, 0x00],
  [0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00], [0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00],
  [0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00], [0x66, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
  [0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
].map((a) => Uint8Array.from(a));
const ENDBR64 = Uint8Array.from([0xf3, 0x0f, 0x1e, 0xfa]);
/** Callee-saved registers in push order. */
const SAVED_REGS = Uint8Array.from([15, 14, 13, 12, 5, 3]);
const ALU_RR = Uint8Array.from([0x01, 0x29, 0x21, 0x09, 0x31, 0x39, 0x01, 0x39]);

/** State of the code generator for one page. */
interface CodeState {
  /** Virtual address of b[0]. */
  base: number;
  /** Call targets (absolute addresses) this page's functions use. */
  callees: Float64Array;
  /** Data addresses (absolute) referenced RIP-relative. */
  globals: Float64Array;
  /** The current function's favourite registers (4), refreshed per function. */
  regs: Uint8Array;
  /** Callee-saved registers pushed by the current function, and whether it set up rbp. */
  pushed: number;
  frame: boolean;
}

/** REX prefix (W, reg, rm) when needed; returns the new position. */
function rex(b: Uint8Array, p: number, w: number, r: number, m: number): number {
  const x = (w << 3) | ((r & 8) >> 1) | ((m & 8) >> 3);
  if (x !== 0) b[p++] = 0x40 | x;
  return p;
}

/** ModRM for [base + disp8] (plus the SIB byte rsp/r12 need). */
function memDisp8(b: Uint8Array, p: number, r: number, base: number, disp: number): number {
  b[p++] = 0x40 | ((r & 7) << 3) | (base & 7);
  if ((base & 7) === 4) b[p++] = 0x24;
  b[p++] = disp;
  return p;
}

/** rel32 from the end of the instruction (p + 4) to an absolute address. */
function rel32(b: Uint8Array, p: number, st: CodeState, target: number): number {
  put32(b, p, target - (st.base + p + 4));
  return p + 4;
}

/**
 * One instruction whose bytes do not depend on its address, with operands
 * drawn mostly from the function's favourite registers (calls and
 * RIP-relative operands come from relInsn()).
 */
function insn(b: Uint8Array, p: number, st: CodeState): number {
  const r = rng.bits();
  const k = below(r, 100);
  const a = (r & 0x30) === 0x30 ? REG_TABLE[(r >>> 6) & 63]! : st.regs[r & 3]!;
  const c = st.regs[(r >>> 2) & 3]!;
  const w = (r >>> 12) & 1;
  if (k < 16) { // mov reg, [base+disp] / mov [base+disp], reg
    const stack = (r & 0x2000) !== 0 && st.frame;
    const base = stack ? 5 : c;
    p = rex(b, p, w | ((r >>> 14) & 1), a, base);
    b[p++] = k < 10 ? 0x8b : 0x89;
    return memDisp8(b, p, a, base, stack ? STACK_DISP[(r >>> 8) & 15]! : FIELD_DISP[(r >>> 8) & 15]!);
  }
  if (k < 42) { // mov reg, reg
    p = rex(b, p, (r >>> 13) & 1 | w, c, a);
    b[p++] = 0x89;
    b[p++] = 0xc0 | ((c & 7) << 3) | (a & 7);
    return p;
  }
  if (k < 52) { // test reg, reg ; jcc rel8
    p = rex(b, p, w, a, a);
    b[p++] = 0x85;
    b[p++] = 0xc0 | ((a & 7) << 3) | (a & 7);
    b[p++] = JCC[(r >>> 8) & 15]!;
    b[p++] = 4 + ((r >>> 6) & 0x3f);
    return p;
  }
  if (k < 58) { // cmp reg, imm8 ; jcc rel8 / rel32
    p = rex(b, p, w, 0, a);
    b[p++] = 0x83;
    b[p++] = 0xf8 | (a & 7);
    b[p++] = (r >>> 8) & 15;
    if ((r & 0x2000) !== 0) {
      b[p++] = JCC[(r >>> 4) & 15]!;
      b[p++] = (r >>> 24) & 0x7f;
    } else {
      b[p++] = 0x0f;
      b[p++] = 0x10 + JCC[(r >>> 4) & 15]!;
      put32(b, p, (r & 0x4000) !== 0 ? (r >>> 22) + 0x80 : -((r >>> 22) + 0x80));
      p += 4;
    }
    return p;
  }
  if (k < 63) { // mov r32, imm32 (small)
    p = rex(b, p, 0, 0, a);
    b[p++] = 0xb8 | (a & 7);
    put32(b, p, (r & 0x2000) !== 0 ? (r >>> 8) & 0x1f : (r >>> 6) & 0xfff);
    return p + 4;
  }
  if (k < 67) { // xor r32, r32
    p = rex(b, p, 0, a, a);
    b[p++] = 0x31;
    b[p++] = 0xc0 | ((a & 7) << 3) | (a & 7);
    return p;
  }
  if (k < 73) { // add/sub reg, imm8
    p = rex(b, p, 1, 0, a);
    b[p++] = 0x83;
    b[p++] = ((r & 0x2000) !== 0 ? 0xc0 : 0xe8) | (a & 7);
    b[p++] = (r & 0x4000) !== 0 ? 1 : 8 << ((r >>> 8) & 3);
    return p;
  }
  if (k < 79) { // alu reg, reg
    p = rex(b, p, w, c, a);
    b[p++] = ALU_RR[(r >>> 8) & 7]!;
    b[p++] = 0xc0 | ((c & 7) << 3) | (a & 7);
    return p;
  }
  if (k < 83) { // movzx r32, byte [base+disp]
    p = rex(b, p, 0, a, c);
    b[p++] = 0x0f;
    b[p++] = 0xb6;
    return memDisp8(b, p, a, c, (r >>> 8) & 0x1f);
  }
  if (k < 86) { // jmp rel8 / rel32
    if ((r & 0x2000) !== 0) {
      b[p++] = 0xeb;
      b[p++] = (r >>> 6) & 0x7f;
      return p;
    }
    b[p++] = 0xe9;
    put32(b, p, ((r >>> 6) & 0x3ff) - 0x200);
    return p + 4;
  }
  if (k < 89) { // shl/shr reg, imm8
    p = rex(b, p, 1, 0, a);
    b[p++] = 0xc1;
    b[p++] = ((r & 0x2000) !== 0 ? 0xe0 : 0xe8) | (a & 7);
    b[p++] = 1 + ((r >>> 8) & 3);
    return p;
  }
  if (k < 92) { // movsd xmm, [rbp-disp] / pxor xmm, xmm
    if ((r & 0x2000) !== 0) {
      b[p++] = 0xf2;
      b[p++] = 0x0f;
      b[p++] = (r & 0x4000) !== 0 ? 0x10 : 0x11;
      return memDisp8(b, p, (r >>> 8) & 3, 5, STACK_DISP[(r >>> 4) & 15]!);
    }
    b[p++] = 0x66;
    b[p++] = 0x0f;
    b[p++] = 0xef;
    b[p++] = 0xc0 | (((r >>> 8) & 3) * 9);
    return p;
  }
  if (k < 95) { // setcc al ; movzx eax, al
    b[p++] = 0x0f;
    b[p++] = 0x94 + ((r >>> 8) & 1);
    b[p++] = 0xc0;
    b[p++] = 0x0f;
    b[p++] = 0xb6;
    b[p++] = 0xc0;
    return p;
  }
  if (k < 98) { // cmovcc reg, reg
    p = rex(b, p, 1, a, c);
    b[p++] = 0x0f;
    b[p++] = 0x44 + ((r >>> 8) & 0xb);
    b[p++] = 0xc0 | ((a & 7) << 3) | (c & 7);
    return p;
  }
  // imul reg, reg, imm8
  p = rex(b, p, 1, a, c);
  b[p++] = 0x6b;
  b[p++] = 0xc0 | ((a & 7) << 3) | (c & 7);
  b[p++] = 3 + ((r >>> 8) & 0x3f);
  return p;
}

/** Prologue: endbr64, push rbp / mov rbp,rsp, callee-saved pushes, stack space. */
function prologue(b: Uint8Array, p: number, st: CodeState): number {
  const r = rng.bits();
  for (let i = 0; i < 4; i++) st.regs[i] = REG_TABLE[(r >>> (6 * i + 6)) & 63]!;
  if ((r & 3) !== 0) p = putBytes(b, p, ENDBR64);
  st.frame = (r & 4) !== 0;
  if (st.frame) {
    b[p++] = 0x55; // push rbp
    b[p++] = 0x48; b[p++] = 0x89; b[p++] = 0xe5; // mov rbp, rsp
  }
  st.pushed = below(r, 5);
  for (let i = 0; i < st.pushed; i++) {
    const g = SAVED_REGS[i]!;
    if (g >= 8) b[p++] = 0x41;
    b[p++] = 0x50 | (g & 7);
  }
  if ((r & 8) !== 0) {
    b[p++] = 0x48; b[p++] = 0x83; b[p++] = 0xec; b[p++] = 8 << ((r >>> 4) & 3);
  }
  return p;
}

function epilogue(b: Uint8Array, p: number, st: CodeState): number {
  const r = rng.bits();
  if ((r & 1) !== 0) {
    b[p++] = 0x48; b[p++] = 0x83; b[p++] = 0xc4; b[p++] = 8 << ((r >>> 4) & 3);
  }
  for (let i = st.pushed; i > 0; i--) {
    const g = SAVED_REGS[i - 1]!;
    if (g >= 8) b[p++] = 0x41;
    b[p++] = 0x58 | (g & 7);
  }
  if (st.frame) b[p++] = 0x5d; // pop rbp
  b[p++] = 0xc3; // ret
  return p;
}

/**
 * A pool of 8192 pre-encoded instructions (16-byte slots, at most 12 bytes
 * used), built once from a fixed seed by insn() in "functions" of 16 that
 * share favourite registers. A page draws most of its instructions from a
 * window of the pool and copies each with three 32-bit stores; encoding
 * every instruction afresh (a mispredicted branch chain per instruction) made
 * code pages about twice as slow to generate.
 */
const POOL_BITS = 13;
const POOL_SIZE = 1 << POOL_BITS;
const poolWords = new Int32Array(POOL_SIZE * 4);
const poolLen = new Uint8Array(POOL_SIZE);
(() => {
  rng.reseed(0xc0de);
  const b = new Uint8Array(32);
  const dv = new DataView(b.buffer);
  const st: CodeState = {
    base: 0, callees: new Float64Array(16), globals: new Float64Array(8),
    regs: new Uint8Array(4), pushed: 0, frame: false,
  };
  for (let i = 0; i < POOL_SIZE; i++) {
    if ((i & 15) === 0) {
      // A new "function": new favourite registers and frame choice.
      const r = rng.bits();
      for (let k = 0; k < 4; k++) st.regs[k] = REG_TABLE[(r >>> (6 * k + 6)) & 63]!;
      st.frame = (r & 4) !== 0;
    }
    b.fill(0);
    const n = insn(b, 0, st);
    if (n > 12) throw new Error('code pool: instruction longer than 12 bytes');
    poolLen[i] = n;
    for (let k = 0; k < 4; k++) poolWords[i * 4 + k] = dv.getInt32(k * 4, true);
  }
})();

/** An address-dependent instruction: call rel32 (3 in 5), or lea / mov reg, [rip+rel32]. */
function relInsn(b: Uint8Array, p: number, st: CodeState, r: number): number {
  if (below(r, 5) < 3) {
    b[p++] = 0xe8;
    return rel32(b, p, st, st.callees[(r >>> 6) & 15]!);
  }
  const a = st.regs[r & 3]!;
  b[p++] = (a & 8) !== 0 ? 0x4c : 0x48;
  b[p++] = (r & 0x2000) !== 0 ? 0x8d : 0x8b;
  b[p++] = 0x05 | ((a & 7) << 3);
  return rel32(b, p, st, st.globals[(r >>> 6) & 7]!);
}

/** Instruction start offsets of the current page (for idiom reuse). */
const starts = new Int32Array(8192);

/** Probability (of 256) that the next instructions repeat an idiom seen earlier on the page. */
const CODE_REPEAT = 50;
/** Size of the pool window one page draws from (smaller: more repeated instructions). */
const CODE_WINDOW = 2048;

function fillCode(seed: number, dst: Uint8Array): void {
  rng.reseed(seed);
  const n = dst.length;
  const r0 = rng.bits();
  const skip = r0 & 255;
  const end = n + skip;
  const b = scratchFor(end);
  const dv = view;
  const base = 0x401000 + ((r0 >>> 8) & 0x3ff) * 4096 - skip;
  const callees = new Float64Array(16);
  for (let i = 0; i < 16; i++) callees[i] = 0x401000 + ((rng.bits() >>> 9) & 0x3fffff);
  // Favour a few callees (memcpy, malloc, free, a logging helper).
  for (let i = 8; i < 16; i++) callees[i] = callees[i & 3]!;
  const globals = new Float64Array(8);
  for (let i = 0; i < 8; i++) globals[i] = 0xa00000 + ((rng.bits() >>> 11) & 0x1fffff);
  const st: CodeState = { base, callees, globals, regs: new Uint8Array(4), pushed: 0, frame: false };
  const window = rng.bits() & (POOL_SIZE - 1);
  let ns = 0;
  let p = 0;
  while (p < end) {
    if (ns > starts.length - 64) ns = 0; // a very long dst: restart the idiom history
    p = prologue(b, p, st);
    const body = 4 + (rng.bits() & 31);
    for (let i = 0; i < body && p < end; ) {
      const r = rng.bits();
      if (ns > 16 && (r & 255) < CODE_REPEAT) {
        // Repeat 2-5 instructions seen earlier on the page (compilers emit the same idioms).
        const cnt = 2 + ((r >>> 8) & 3);
        const from = below(r, ns - cnt); // from + cnt < ns: a span already written
        const s = starts[from]!;
        const len = starts[from + cnt]! - s;
        for (let j = 0; j < cnt; j++) starts[ns++] = p + starts[from + j]! - s;
        for (let k = 0; k < len; k += 4) dv.setInt32(p + k, dv.getInt32(s + k, true), true);
        p += len;
        i += cnt;
      } else if ((r & 0x700) === 0) {
        starts[ns++] = p;
        p = relInsn(b, p, st, r);
        i++;
      } else {
        starts[ns++] = p;
        const e = (window + below(r, CODE_WINDOW)) & (POOL_SIZE - 1);
        const o = e * 4;
        dv.setInt32(p, poolWords[o]!, true);
        dv.setInt32(p + 4, poolWords[o + 1]!, true);
        dv.setInt32(p + 8, poolWords[o + 2]!, true);
        p += poolLen[e]!;
        i++;
      }
    }
    starts[ns] = p;
    p = epilogue(b, p, st);
    // Pad to 16 bytes: multi-byte NOPs (gcc) or int3 (clang, some linkers).
    let pad = (16 - (p & 15)) & 15;
    if ((rng.bits() & 3) === 0) {
      for (; pad > 0; pad--) b[p++] = 0xcc;
    } else {
      while (pad > 0) {
        const k = pad < 10 ? pad : 10;
        p = putBytes(b, p, NOPS[k - 1]!);
        pad -= k;
      }
    }
  }
  dst.set(b.subarray(skip, end));
}

// ---- heap (anonymous process memory) ------------------------------------------

const IDENTS = new Lexicon(`name id type value next prev data size count key parent children
  list node buffer length flags state handle config user session request response header
  path file url host port timeout callback error result index offset mode status
  /usr/lib/x86_64-linux-gnu/libc.so.6 /etc/ld.so.cache en_US.UTF-8 LANG=C.UTF-8 HOME=/home/user
  application/json text/html Content-Type Content-Length keep-alive utf-8 true false null
  std::string std::vector<int> main worker localhost 127.0.0.1 GET POST`);

/** Field kinds of a struct template, one per 8-byte slot. */
const enum Field {
  Zero, HeapPtr, CodePtr, SmallInt, IntPair, Size, Str, Double, Flags, Hash,
}
/** Weighted field-kind table (32 entries). */
const FIELD_TABLE = Uint8Array.from([
  Field.Zero, Field.Zero, Field.Zero, Field.Zero, Field.Zero, Field.Zero, Field.Zero, Field.Zero, Field.Zero,
  Field.HeapPtr, Field.HeapPtr, Field.HeapPtr, Field.HeapPtr, Field.HeapPtr, Field.HeapPtr,
  Field.CodePtr, Field.CodePtr, Field.SmallInt, Field.SmallInt, Field.SmallInt, Field.SmallInt,
  Field.IntPair, Field.IntPair, Field.IntPair, Field.Size, Field.Size, Field.Str, Field.Str,
  Field.Double, Field.Flags, Field.Flags, Field.Hash,
]);
/**
 * Field kinds whose value differs between objects of one type: pointers and
 * hashes always, counters and sizes half of the time; the rest repeat the
 * type's prototype.
 */
const ALWAYS_VARIES = (1 << Field.HeapPtr) | (1 << Field.Hash);
const OFTEN_VARIES = (1 << Field.SmallInt) | (1 << Field.Size) | (1 << Field.IntPair);

interface HeapState {
  /** High 32 bits of heap pointers (0x000055xx or 0x00007fxx). */
  heapHi: number;
  /** Low 32 bits of this page's address (4 KiB aligned). */
  pageLo: number;
  /** High and low words of the program's code and data (vtables, function pointers). */
  codeHi: number;
  codeLo: number;
  /** The per-process tcache key (random since glibc 2.34). */
  keyLo: number;
  keyHi: number;
}

/** A heap pointer, 16-byte aligned: mostly near this page (neighbours), else within 1 MiB. */
function heapPtr(dv: DataView, p: number, st: HeapState, r: number): void {
  const d = (r & 0x40000) !== 0 ? ((r >>> 19) & 0x1ff) - 0x100 : ((r >>> 12) & 0xffff) - 0x8000;
  dv.setInt32(p, (st.pageLo + d * 16) | 0, true);
  dv.setInt32(p + 4, st.heapHi, true);
}

/** Writes one 8-byte slot of kind f at p. */
function field(b: Uint8Array, dv: DataView, p: number, f: number, st: HeapState, id: number): void {
  const r = rng.bits();
  let lo = 0;
  let hi = 0;
  switch (f) {
    case Field.HeapPtr:
      if ((r & 7) !== 0) {
        heapPtr(dv, p, st, r);
        return;
      }
      break;
    case Field.CodePtr: // a vtable or function pointer: fixed per template slot
      lo = (st.codeLo + (id & 0xfff) * 8) | 0;
      hi = st.codeHi;
      break;
    case Field.SmallInt:
      lo = (r & 3) === 0 ? (r >>> 8) & 0xff : (r >>> 8) & 3;
      if ((r & 0x30000) === 0) lo |= ((r >>> 18) & 0x0f) << 8;
      break;
    case Field.IntPair:
      lo = (r >>> 4) & 0x1f;
      hi = (r >>> 12) & 0x07;
      break;
    case Field.Size:
      lo = ((r >>> 4) & 0x1ff) << ((r >>> 13) & 3);
      break;
    case Field.Str: { // short inline string (SSO): up to 7 chars and a NUL
      IDENTS.put(dv, p, IDENTS.pick(r));
      const len = IDENTS.len[IDENTS.pick(r)]!;
      for (let i = len < 7 ? len : 7; i < 8; i++) b[p + i] = 0;
      return;
    }
    case Field.Double: // small doubles: integers and halves below 1024
      dv.setFloat64(p, ((r >>> 8) & 0x3ff) * ((r & 1) !== 0 ? 0.5 : 1), true);
      return;
    case Field.Flags:
      lo = (1 << (r & 7)) | (((r >>> 8) & 1) << 16);
      break;
    case Field.Hash:
      lo = r;
      hi = rng.bits();
      break;
    default:
      break;
  }
  dv.setInt32(p, lo, true);
  dv.setInt32(p + 4, hi, true);
}

/** The object types of one heap page (up to 3): slots, field kinds and a prototype object. */
const MAX_SLOTS = 16;
const tmplSlots = new Uint8Array(3);
const tmplFields = new Uint8Array(3 * MAX_SLOTS);
/** Prototype objects, as 32-bit words. */
const protoWords = new Int32Array(3 * MAX_SLOTS * 2);

/**
 * A heap page of small malloc chunks holding a few object types. Objects of
 * a type start as a copy of the type's prototype (vtable, flags, type tags,
 * zero fields repeat) and redraw their varying fields (pointers, counters,
 * sizes, hashes).
 */
function heapObjects(b: Uint8Array, dv: DataView, end: number, st: HeapState): void {
  const types = 1 + below(rng.bits(), 3);
  // Prototypes are encoded at b[0..8) (a long string may spill further), then the page is cleared.
  for (let t = 0; t < types; t++) {
    const slots = 1 + 2 * ((rng.bits() >>> 4) & 7); // 8..120 bytes: chunk sizes 0x20..0x80
    tmplSlots[t] = slots;
    for (let i = 0; i < slots; i++) {
      const f = FIELD_TABLE[(rng.bits() >>> 8) & 31]!;
      tmplFields[t * MAX_SLOTS + i] = f;
      field(b, dv, 0, f, st, t * MAX_SLOTS + i);
      protoWords[(t * MAX_SLOTS + i) * 2] = dv.getInt32(0, true);
      protoWords[(t * MAX_SLOTS + i) * 2 + 1] = dv.getInt32(4, true);
    }
  }
  b.fill(0, 0, end + 640);
  let p = 0;
  while (p < end) {
    const r = rng.bits();
    const t = below(r, types);
    const odd = (r & 0xf) === 0; // an odd-sized buffer
    const slots = odd ? 1 + ((r >>> 4) & 63) : tmplSlots[t]!;
    // malloc chunk: [prev_size: previous chunk's data][size | PREV_INUSE][user data]
    const chunk = (slots * 8 + 8 + 15) & ~15;
    dv.setInt32(p + 8, chunk | 1, true);
    const user = p + 16;
    if (odd) {
      // A buffer: words separated by spaces or NULs, or zeros.
      if ((r & 0x100) !== 0) {
        const q = user + slots * 8 - 12;
        for (let i = user; i < q; ) {
          i = IDENTS.put(dv, i, IDENTS.pick(rng.bits()));
          b[i++] = (r & 0x200) !== 0 ? 0 : 32;
        }
      }
    } else {
      const f = t * MAX_SLOTS;
      for (let i = 0; i < slots; i++) {
        dv.setInt32(user + i * 8, protoWords[(f + i) * 2]!, true);
        dv.setInt32(user + i * 8 + 4, protoWords[(f + i) * 2 + 1]!, true);
      }
      if ((r & 0xf0) === 0x10) {
        // A freed chunk in tcache: safe-linked next pointer, then the key; stale data after.
        const d = ((r >>> 19) & 0x1ff) - 0x100;
        dv.setInt32(user, ((st.pageLo + d * 16) ^ ((st.pageLo >>> 12) | (st.heapHi << 20))) | 0, true);
        dv.setInt32(user + 4, st.heapHi ^ (st.heapHi >>> 12), true);
        dv.setInt32(user + 8, st.keyLo, true);
        dv.setInt32(user + 12, st.keyHi, true);
      } else {
        const coin = rng.bits();
        for (let i = 0; i < slots; i++) {
          const k = tmplFields[f + i]!;
          if ((((ALWAYS_VARIES | (((coin >>> i) & 1) * OFTEN_VARIES)) >>> k) & 1) !== 0) {
            field(b, dv, user + i * 8, k, st, f + i);
          }
        }
      }
    }
    p += chunk;
  }
}

/** An array page: pointers (a vector, hash buckets), counters, or doubles. */
function heapArray(b: Uint8Array, dv: DataView, end: number, st: HeapState): void {
  const kind = below(rng.bits(), 3);
  b.fill(0, 0, end + 16);
  if (kind === 0) {
    for (let p = 0; p < end; p += 8) {
      const r = rng.bits();
      if ((r & 3) !== 0) heapPtr(dv, p, st, r);
    }
  } else if (kind === 1) {
    // Counters (a histogram, reference counts): many zeros, mostly small.
    for (let p = 0; p < end; p += 4) {
      const r = rng.bits();
      if ((r & 3) !== 0) dv.setInt32(p, (r & 0x1c) === 0 ? (r >>> 8) & 1023 : (r >>> 8) & 15, true);
    }
  } else {
    let v = ((rng.bits() >>> 8) & 1023) / 4;
    for (let p = 0; p < end; p += 8) {
      const r = rng.bits();
      v = (r & 7) === 0 ? 0 : v + ((r >>> 4) & 15) / 8;
      dv.setFloat64(p, v, true);
    }
  }
}

function fillHeap(seed: number, dst: Uint8Array): void {
  rng.reseed(seed);
  const n = dst.length;
  const r0 = rng.bits();
  const skip = (r0 & 31) * 16;
  const end = n + skip;
  const b = scratchFor(end + 640);
  const dv = view;
  const mmap = (r0 & 0x20) !== 0; // a mmap'd arena (0x7f..) or the brk heap (0x55..)
  const st: HeapState = {
    heapHi: (mmap ? 0x7f00 : 0x5500) + ((r0 >>> 8) & 0xff),
    pageLo: rng.bits() & ~0xfff,
    codeHi: (mmap ? 0x7f00 : 0x5500) + ((r0 >>> 16) & 0xff),
    codeLo: rng.bits() & ~0xffff,
    keyLo: rng.bits(),
    keyHi: rng.bits(),
  };
  if (((r0 >>> 24) & 7) !== 0) heapObjects(b, dv, end, st);
  else heapArray(b, dv, end, st);
  dst.set(b.subarray(skip, end));
}

// ---- trivial classes ------------------------------------------------------------

function fillZero(_seed: number, dst: Uint8Array): void {
  dst.fill(0);
}

function fillSame(seed: number, dst: Uint8Array): void {
  dst.fill(seed & 0xff);
}

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

export const CONTENT_CLASSES: Readonly<Record<string, ContentClass>> = {
  zero: { name: 'zero', code: Cls.Zero, description: 'all-zero page', runSeedIndependent: true, fill: fillZero },
  fill: { name: 'fill', code: Cls.Fill, description: 'same-filled page (byte = seed & 0xff)', runSeedIndependent: true, fill: fillSame },
  text: {
    name: 'text', code: Cls.Text, runSeedIndependent: false,
    description: 'English prose, application logs and CSV records (page cache of text files, string buffers)',
    fill: fillText,
  },
  code: {
    name: 'code', code: Cls.Code, runSeedIndependent: false,
    description: 'x86-64 machine code (ELF .text: prologues, calls, rel32, idioms, NOP padding)',
    fill: fillCode,
  },
  random: { name: 'random', code: Cls.Random, description: 'incompressible random bytes', runSeedIndependent: false, fill: fillRandom },
  heap: {
    name: 'heap', code: Cls.Heap, runSeedIndependent: false,
    description: 'anonymous process heap (malloc chunks, 0x55../0x7f.. pointers, small ints, zero runs, strings)',
    fill: fillHeap,
  },
  vmix: {
    name: 'vmix', code: Cls.Vmix, runSeedIndependent: true,
    description: 'the kernel validation workload\'s mix (validation/workload.c): zero, same-filled, text-like, random; bytes of key = seed, independent of the run seed',
    fill: (key, dst) => void fillVmix(key, dst),
  },
};
