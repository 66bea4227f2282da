// Seeded synthetic traces for the bench: a xorshift generator and zipf(alpha) oracleGeneral files.

import * as fs from 'node:fs';

export function xorshift(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s;
  };
}

/** A zipf(alpha) oracleGeneral trace of `requests` over `objects` ids (4 KiB objects), seeded. Returns the distinct ids it holds. */
export function makeZipfTrace(file, requests, objects, alpha) {
  const cdf = new Float64Array(objects);
  let sum = 0;
  for (let i = 0; i < objects; i++) cdf[i] = sum += 1 / Math.pow(i + 1, alpha);
  for (let i = 0; i < objects; i++) cdf[i] /= sum;
  const r = xorshift(7);
  const seen = new Uint8Array(objects);
  let distinct = 0;
  // Ranks are scattered over the id space, so hot ids are not neighbours.
  const idOf = (rank) => (Math.imul(rank + 1, 0x9e3779b1) >>> 0) * 8 + 1;
  const fd = fs.openSync(file, 'w');
  const chunk = Buffer.alloc(24 * 65536);
  let at = 0;
  for (let i = 0; i < requests; i++) {
    const u = r() / 4294967296;
    let lo = 0, hi = objects - 1;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (cdf[mid] < u) lo = mid + 1; else hi = mid; }
    if (seen[lo] === 0) { seen[lo] = 1; distinct++; }
    chunk.writeUInt32LE(Math.floor(i / 1000), at);
    chunk.writeBigUInt64LE(BigInt(idOf(lo)), at + 4);
    chunk.writeUInt32LE(4096, at + 12);
    chunk.writeBigInt64LE(-1n, at + 16);
    at += 24;
    if (at === chunk.length) { fs.writeSync(fd, chunk); at = 0; }
  }
  fs.writeSync(fd, chunk, 0, at);
  fs.closeSync(fd);
  return distinct;
}

/** Bench section 0's cache: the C reference's capacity, in pages. */
export const SECTION0_CAPACITY = 100_000;

/**
 * The `tmemsim run` options bench section 0 replays with (and bench/instructions.js counts):
 * RAM sized so that the page cache holds at least `capacity` pages after the kernel's own.
 */
export function section0RunOptions(backend, capacity = SECTION0_CAPACITY) {
  const ramMb = Math.ceil((capacity * 4096 * 1.25) / 2 ** 20);
  return ['--backend', backend, '--profile', 'ssd', '--no-baseline', '--fast', '--quiet', '--ram-mb', String(ramMb), '--format', 'json'];
}
