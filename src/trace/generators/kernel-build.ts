/**
 * `kernel-build`: `make -j` compiling a source tree.
 *
 *   a tree of `files` source files (fs 1, inodes 1000.., 1..2x src-pages
 *   pages each) and `headers` header files (inodes 100000.., 1-4 pages each,
 *   included by Zipf popularity: a few headers are in every compile)
 *   `jobs` compiler processes run at once (pids 1000 + slot); each compile:
 *     reads its source file sequentially,
 *     reads `includes` headers (Zipf draws: hot headers stay in the page cache),
 *     allocates its heap (anon writes to pages 0..h-1 of its pid, h drawn
 *     0.3x..1x heap-pages) and works on it (touches, `write` of them writes),
 *     writes its object file (fs 1, inodes 500000.., 1.5x the source pages)
 *   after the last file the tree is built again (make clean; make): the
 *   trace is endless and --events cuts it
 *   the compiles of the job slots interleave in bursts of 1-16 events
 *   a job slot's next compile reuses the pid and its heap addresses: trace
 *   v1 has no process-exit event that would free the old compiler's pages,
 *   so a rewritten page that was swapped out is faulted in first (a cost a
 *   real kernel would not pay for a fresh process)
 *   the clock: no times: events run back to back.
 *
 * Content. Source, header and object pages read from disk (content.default):
 * text 0.6 (C source and headers: the text class is prose, logs and CSV,
 * the nearest to source code of the classes), code 0.35 (object files),
 * zero 0.05 (sparse sections, padding). Object files written: code 0.8,
 * zero 0.2. Compiler heaps (anon): heap 0.6, text 0.35 (identifier, string
 * and token buffers), zero 0.05.
 * Calibration targets, lz4:
 *   - file pages: lzbench 2.4 on silesia.tar (a mix of source, text,
 *     executables and databases), lz4 47.60 % = 2.10x on whole files; 4 KiB
 *     blocks compress worse (peers-and-numbers.md section B);
 *   - compiler heaps: zram lz4 on 1.1 GiB of real memory, 2.582 (section B);
 *   - Xen tmem on a kernel compile: up to 8 % faster and 52 % fewer sectors
 *     read (cleancache/Xen commit message, section C): the page-cache side
 *     must dominate, as it does here.
 * Measured (test/unit/trace/generators.test.ts: lz4 on the pages of the
 * first 20000 events, default parameters, seed 1; total bytes ratio):
 * file pages read 2.08, compiler heaps 2.61.
 */

import type { TraceEvent } from '../events.js';
import { anonData, anonTouch, between, param, pickClass, zcacheConfig, Zipf, type GeneratorContext, type GeneratorParams, type TraceGenerator } from './generator.js';
import type { Rng } from '../../content/rng.js';

const KBUILD_FILE_MIX = { text: 0.6, code: 0.35, zero: 0.05 } as const;
const KBUILD_OBJECT_MIX = { code: 0.8, zero: 0.2 } as const;
const KBUILD_HEAP_MIX = { heap: 0.6, text: 0.35, zero: 0.05 } as const;

const SRC_INODE = 1000;
const HDR_INODE = 100_000;
const OBJ_INODE = 500_000;

// duplicates: alike in shape to database.ts's DATABASE (constants, then the TraceGenerator entry): one file per
// generator.
export const KERNEL_BUILD: TraceGenerator = {
  name: 'kernel-build',
  description: 'make -j: page-cache scans of sources and headers, object files written, compiler processes\' anonymous heaps',
  params: [
    param('jobs', 4, 1, 256, 'compiler processes at once (make -j)'),
    param('files', 400, 1, 100_000, 'source files (compiled in order; after the last the tree is built again from scratch)'),
    param('src-pages', 4, 1, 4096, 'mean pages of a source file'),
    param('headers', 300, 1, 100_000, 'header files'),
    param('includes', 40, 0, 10_000, 'headers each compile reads'),
    param('heap-pages', 2500, 1, 1 << 20, 'largest compiler heap, in pages (a compile draws 0.3x..1x)'),
    param('work', 2, 0, 1000, 'heap touches per heap page after allocation'),
    param('write', 0.3, 0, 1, 'fraction of heap touches that write', false),
    param('zipf', 1.1, 0, 4, 'Zipf exponent of header popularity', false),
    param('ram-mb', 40, 1, 1 << 20, 'simulated RAM in MiB'),
  ],
  header(p) {
    const description = `generated kernel-build: make -j${p.jobs} over ${p.files} sources, ${p['ram-mb']} MiB RAM, zcache`;
    return {
      config: zcacheConfig(description, p['ram-mb']!, ['ssd', 'mobile'], p.jobs! * p['heap-pages']! * 1.25),
      content: { default: { ...KBUILD_FILE_MIX } },
    };
  },
  *events(p, rng, ctx) {
    const headers = p.headers!;
    const hdrPages = Array.from({ length: headers }, () => between(rng, 1, 4));
    const popular = new Zipf(headers, p.zipf!);
    // Every slot always runs a compile: one that ends is replaced by the next file's at once.
    let nextFile = 0;
    const compileNext = (slot: number): Iterator<TraceEvent> => {
      const it = compile(nextFile, 1000 + slot, p, rng, hdrPages, popular, ctx);
      nextFile = (nextFile + 1) % p.files!;
      return it;
    };
    const jobs = Array.from({ length: p.jobs! }, (_, slot) => compileNext(slot));
    for (;;) {
      const slot = rng.int(jobs.length);
      const it = jobs[slot]!;
      const burst = between(rng, 1, 16);
      for (let k = 0; k < burst; k++) {
        const r = it.next();
        if (r.done === true) {
          jobs[slot] = compileNext(slot);
          break;
        }
        yield r.value;
      }
    }
  },
};

function* compile(
  file: number, pid: number, p: GeneratorParams, rng: Rng,
  hdrPages: number[], popular: Zipf, ctx: GeneratorContext,
): Generator<TraceEvent> {
  const srcPages = between(rng, p['src-pages']!, 2 * p['src-pages']!);
  for (let i = 0; i < srcPages; i++) yield { op: 'file', fs: 1, inode: SRC_INODE + file, index: i };
  for (let k = 0; k < p.includes!; k++) {
    const h = popular.sample(rng);
    for (let i = 0; i < hdrPages[h]!; i++) yield { op: 'file', fs: 1, inode: HDR_INODE + h, index: i };
  }
  const heap = Math.max(1, Math.round(p['heap-pages']! * (0.3 + 0.7 * rng.next())));
  for (let pg = 0; pg < heap; pg++) yield { op: 'anon', pid, page: pg, write: true, data: anonData(rng, KBUILD_HEAP_MIX, ctx) };
  const touches = Math.round(heap * p.work!);
  for (let k = 0; k < touches; k++) {
    yield anonTouch(rng, pid, rng.int(heap), p.write!, KBUILD_HEAP_MIX, ctx);
  }
  const objPages = Math.ceil(srcPages * 1.5);
  for (let i = 0; i < objPages; i++) {
    yield { op: 'file', fs: 1, inode: OBJ_INODE + file, index: i, write: true, data: pickClass(rng, KBUILD_OBJECT_MIX) };
  }
}
