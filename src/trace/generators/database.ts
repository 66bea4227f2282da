/**
 * `database`: a database server with its own buffer pool in anonymous
 * memory (as PostgreSQL's shared buffers or InnoDB's buffer pool), reading
 * and writing its table files through the page cache.
 *
 *   a table of `table-pages` pages (fs 1, inode 10); the server (pid 1) has
 *   a buffer pool of `pool-pages` anonymous pages (virtual pages 0..)
 *   queries: a table page drawn by Zipf(`zipf`) popularity (ranks mapped to
 *   pages by a fixed seeded permutation, so hot pages are spread over the
 *   file);
 *     in the pool: touch its buffer (a write with probability `write`:
 *     the buffer is dirty);
 *     not in the pool: the CLOCK hand picks a victim buffer (second chance);
 *     a dirty victim is written back (a file write of its table page), then
 *     the table page is read (a file read) into the buffer (an anon write)
 *   every `scan-every` queries, a sequential scan of `scan-pages` pages of a
 *   second table (inode 11): file reads through a 32-buffer ring at the end
 *   of the pool (PostgreSQL's 256 KiB ring for sequential scans), so a scan
 *   does not flush the pool
 *   every `checkpoint-every` queries, a checkpoint writes every dirty buffer
 *   back (file writes) and cleans them
 *   the clock: each query 50-200 us after the previous (t on scans and
 *   checkpoints only).
 *
 * Content. Table pages on disk and in buffers: heap 0.38 (tuples: small
 * integers, timestamps, pointers and free space), text 0.3 (varchar
 * columns), zero 0.05 (empty pages), random 0.27 (already
 * compressed or encrypted columns, UUIDs, hashes).
 * Calibration targets, lz4:
 *   - IAMHCHCH/zswap-benchmark "expected" ratios, lz4 ~1.8x (the figure for
 *     server anonymous memory, peers-and-numbers.md section A);
 *   - Google's software-defined far memory (ASPLOS'19) stores no page whose
 *     lzo payload exceeds 2990 B (73 % of a page) (section C): a database's
 *     incompressible columns are such pages, here the random share;
 *   - zram lz4 on 1.1 GiB of real memory, 2.582 (section B), the upper bound
 *     of the range for memory with less incompressible data.
 * Measured (test/unit/trace/generators.test.ts: lz4 on the pages of the
 * first 20000 events, default parameters, seed 1; total bytes ratio):
 * buffer pool pages 1.83, table pages read 1.79.
 */

import type { TraceEvent } from '../events.js';
import { anonData, between, param, pickClass, zcacheConfig, Zipf, type TraceGenerator } from './generator.js';

const DATABASE_MIX = { heap: 0.38, text: 0.3, zero: 0.05, random: 0.27 } as const;

const TABLE = 10;
const SCAN_TABLE = 11;
const RING = 32;
const PID = 1;

// duplicates: alike in shape to kernel-build.ts's KERNEL_BUILD (constants, then the TraceGenerator entry): one file per
// generator.
export const DATABASE: TraceGenerator = {
  name: 'database',
  description: 'a Zipf-skewed buffer pool in anonymous memory over table files in the page cache, with periodic sequential scans and checkpoints',
  params: [
    param('pool-pages', 6000, RING + 1, 1 << 24, 'buffer pool, in 4 KiB pages (the last 32 are the scan ring)'),
    param('table-pages', 40000, 1, 1 << 20, 'pages of the queried table'),
    param('zipf', 0.9, 0, 4, 'Zipf exponent of table page popularity', false),
    param('write', 0.2, 0, 1, 'fraction of queries that update the page', false),
    param('scan-every', 5000, 1, 1 << 30, 'queries between sequential scans'),
    param('scan-pages', 2000, 0, 1 << 20, 'pages a sequential scan reads'),
    param('checkpoint-every', 10000, 1, 1 << 30, 'queries between checkpoints'),
    param('ram-mb', 32, 1, 1 << 20, 'simulated RAM in MiB'),
  ],
  header(p) {
    const description = `generated database: ${p['pool-pages']}-page buffer pool over a ${p['table-pages']}-page table, ${p['ram-mb']} MiB RAM, zcache`;
    return {
      config: zcacheConfig(description, p['ram-mb']!, ['ssd'], p['pool-pages']! * 1.25),
      content: { default: { ...DATABASE_MIX } },
    };
  },
  *events(p, rng, ctx) {
    const tablePages = p['table-pages']!;
    const buffers = p['pool-pages']! - RING;
    const popular = new Zipf(tablePages, p.zipf!);
    // A fixed permutation of ranks to pages (Fisher-Yates from the seed).
    const pageOfRank = new Uint32Array(tablePages);
    for (let i = 0; i < tablePages; i++) pageOfRank[i] = i;
    for (let i = tablePages - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const x = pageOfRank[i]!;
      pageOfRank[i] = pageOfRank[j]!;
      pageOfRank[j] = x;
    }
    const bufOf = new Int32Array(tablePages).fill(-1);
    const pageIn = new Int32Array(buffers).fill(-1);
    const ref = new Uint8Array(buffers);
    const dirty = new Uint8Array(buffers);
    let hand = 0;
    let used = 0;
    let t = 0;
    let scanPos = 0;
    for (let q = 1; ; q++) {
      t += between(rng, 50, 200);
      const page = pageOfRank[popular.sample(rng)]!;
      const write = rng.next() < p.write!;
      let b = bufOf[page]!;
      if (b < 0) {
        if (used < buffers) b = used++;
        else {
          while (ref[hand] !== 0) {
            ref[hand] = 0;
            hand = (hand + 1) % buffers;
          }
          b = hand;
          hand = (hand + 1) % buffers;
          const old = pageIn[b]!;
          if (dirty[b] !== 0) {
            yield { op: 'file', fs: 1, inode: TABLE, index: old, write: true, data: pickClass(rng, DATABASE_MIX) } satisfies TraceEvent;
            dirty[b] = 0;
          }
          bufOf[old] = -1;
        }
        yield { op: 'file', fs: 1, inode: TABLE, index: page };
        yield { op: 'anon', pid: PID, page: b, write: true, data: anonData(rng, DATABASE_MIX, ctx) };
        pageIn[b] = page;
        bufOf[page] = b;
      }
      ref[b] = 1;
      if (write) {
        dirty[b] = 1;
        yield { op: 'anon', pid: PID, page: b, write: true, data: anonData(rng, DATABASE_MIX, ctx) };
      } else {
        yield { op: 'anon', pid: PID, page: b };
      }
      if (q % p['scan-every']! === 0 && p['scan-pages']! > 0) {
        for (let i = 0; i < p['scan-pages']!; i++) {
          const idx = scanPos;
          scanPos = (scanPos + 1) % (1 << 20);
          yield i === 0 ? { op: 'file', fs: 1, inode: SCAN_TABLE, index: idx, t } : { op: 'file', fs: 1, inode: SCAN_TABLE, index: idx };
          yield { op: 'anon', pid: PID, page: buffers + (i % RING), write: true, data: anonData(rng, DATABASE_MIX, ctx) };
        }
      }
      if (q % p['checkpoint-every']! === 0) {
        let first = true;
        for (let i = 0; i < used; i++) {
          if (dirty[i] === 0) continue;
          dirty[i] = 0;
          const ev: TraceEvent = { op: 'file', fs: 1, inode: TABLE, index: pageIn[i]!, write: true, data: pickClass(rng, DATABASE_MIX) };
          if (first) ev.t = t;
          first = false;
          yield ev;
        }
      }
    }
  },
};
