/**
 * The `text` content class: English prose, application logs and CSV records
 * (page cache of text files, string buffers). Text pages are 30 % prose (lz4
 * ~1.5), 40 % application logs (~2.8), 15 % prose and logs mixed (~2.0) and
 * 15 % CSV records (~2.3); targets and measured ratios in registry.ts.
 */

import { Cls } from '../page.js';
import { Rng } from '../rng.js';
import { scratchFor, scratchView, below, putFixed, putHex, Lexicon, type ContentClass } from './common.js';

const rng = new Rng(0);

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
 * built once from a fixed seed, on the first text page (not at start-up: a
 * run that writes no text page does without them). A sentence strings
 * fragments together, so one random draw writes about 12 bytes (word by word
 * was twice as slow).
 */
let FRAGMENTS: Lexicon | null = null;
function buildFragments(): Lexicon {
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
}

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
    else p = FRAGMENTS!.put(dv, p, FRAGMENTS!.pick(r));
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

// duplicates: opens alike to code.ts's fillCode (reseed, skip, scratch buffer): each class generates its own content.
function fillText(seed: number, dst: Uint8Array): void {
  FRAGMENTS ??= buildFragments();
  rng.reseed(seed);
  const n = dst.length;
  const r0 = rng.bits();
  const skip = r0 & 127;
  const end = n + skip;
  const b = scratchFor(end);
  const dv = scratchView();
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

export const textClass: ContentClass = {
  name: 'text', code: Cls.Text, runSeedIndependent: false,
  description: 'English prose, application logs and CSV records (page cache of text files, string buffers)',
  fill: fillText,
};
