/**
 * The page mix of the kernel validation workload (validation/workload.c),
 * byte for byte: the `vmix` content class. A page is named by one 32-bit key,
 * pageKey(seed, generation, page), and its bytes are a function of the key
 * alone (the run seed plays no part, so tmemsim replays exactly the bytes the
 * guest wrote). A mulberry32 stream seeded with the key draws r = next() % 100:
 *
 *   r < 10   zero page
 *   r < 20   same-filled: one 64-bit word (lo = next(), hi = next()) repeated
 *   r < 85   text-like: words from a vocabulary of v = 8 + next() % 57 of the
 *            64 words of VOCAB; with next() % 4 == 0 a decimal number
 *            next() % 100000 and ' ' first, then the word next() % v and ' ',
 *            and '\n' after every 12th word; cut at 4096 bytes
 *   else     random: 1024 little-endian words next()
 *
 * test/unit/content/vmix.test.ts compares these bytes with the C program's
 * dump (and with committed hashes of it where no C compiler is at hand).
 */

import { Cls, PAGE_SIZE } from '../page.js';
import { fmix32, Mulberry32 } from '../rng.js';
import type { ContentClass } from './common.js';

type VmixClass = 'zero' | 'same' | 'text' | 'random';

const VOCAB: readonly string[] = [
  'the', 'of', 'and', 'to', 'in', 'is', 'that', 'for', 'it', 'as', 'was', 'with', 'be', 'by', 'on', 'not',
  'page', 'memory', 'swap', 'kernel', 'cache', 'store', 'load', 'pool', 'compress', 'zswap', 'frontswap', 'entry',
  'error', 'info', 'debug', 'warn', 'request', 'response', 'user', 'session', 'value', 'index', 'buffer', 'file',
  'process', 'thread', 'queue', 'timer', 'device', 'driver', 'block', 'sector', 'inode', 'dentry', 'mount',
  'network', 'packet', 'socket', 'client', 'server', 'config', 'option', 'status', 'result', 'report', 'table',
  'column', 'record',
];
const VOCAB_BYTES: readonly Uint8Array[] = VOCAB.map((w) => Buffer.from(w, 'latin1'));

/** The key of page `page` of generation `gen` under workload seed `seed` (all uint32). */
export function pageKey(seed: number, gen: number, page: number): number {
  return fmix32(fmix32(Math.imul(seed, 0x9e3779b1) ^ gen) ^ Math.imul(page, 0x85ebca77));
}

/** The mulberry32 stream of the page being made (reset to its key). */
const m = new Mulberry32(0);

const SPACE = 0x20;
const NEWLINE = 0x0a;

/** Writes the page of `key` into dst (PAGE_SIZE bytes); returns its class. */
export function fillVmix(key: number, dst: Uint8Array): VmixClass {
  m.reset(key);
  const r = m.next() % 100;
  if (r < 10) {
    dst.fill(0, 0, PAGE_SIZE);
    return 'zero';
  }
  if (r < 20) {
    const lo = m.next();
    const hi = m.next();
    for (let i = 0; i < PAGE_SIZE; i += 8) {
      dst[i] = lo; dst[i + 1] = lo >>> 8; dst[i + 2] = lo >>> 16; dst[i + 3] = lo >>> 24;
      dst[i + 4] = hi; dst[i + 5] = hi >>> 8; dst[i + 6] = hi >>> 16; dst[i + 7] = hi >>> 24;
    }
    return 'same';
  }
  if (r < 85) {
    const v = 8 + (m.next() % 57);
    let p = 0;
    let words = 0;
    while (p < PAGE_SIZE) {
      if (m.next() % 4 === 0) {
        const n = m.next() % 100000;
        const digits = String(n);
        for (let i = 0; i < digits.length && p < PAGE_SIZE; i++) dst[p++] = digits.charCodeAt(i);
        if (p < PAGE_SIZE) dst[p++] = SPACE;
      }
      const w = VOCAB_BYTES[m.next() % v]!;
      for (let i = 0; i < w.length && p < PAGE_SIZE; i++) dst[p++] = w[i]!;
      if (p < PAGE_SIZE) dst[p++] = SPACE;
      if (++words % 12 === 0 && p < PAGE_SIZE) dst[p++] = NEWLINE;
    }
    return 'text';
  }
  for (let i = 0; i < PAGE_SIZE; i += 4) {
    const w = m.next();
    dst[i] = w; dst[i + 1] = w >>> 8; dst[i + 2] = w >>> 16; dst[i + 3] = w >>> 24;
  }
  return 'random';
}

export const vmixClass: ContentClass = {
  name: 'vmix', code: Cls.Vmix, runSeedIndependent: true,
  description: 'the kernel validation workload\'s mix (validation/workload.c): zero, same-filled, text-like, random; bytes of key = seed, independent of the run seed',
  fill: (key, dst) => void fillVmix(key, dst),
};
