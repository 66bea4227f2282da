/**
 * Making and measuring page corpora (the raw 4 KiB-page files of corpus.ts):
 *
 * - captureProcess(): a live process's private anonymous memory (heap,
 *   stacks, anonymous mappings) read through Linux /proc/PID/maps and
 *   /proc/PID/mem. Reading another process's memory needs ptrace access to
 *   it (PTRACE_MODE_ATTACH: the same user and, under Yama ptrace_scope 1, a
 *   descendant, or CAP_SYS_PTRACE). Pages that cannot be read (guard pages,
 *   PROT_NONE reservations, I/O mappings: EIO) are skipped and counted.
 * - corpusFromFiles(): files cut into 4 KiB pages, each file's last page
 *   zero-padded.
 * - corpusStats(): zero and same-filled pages, and per compressor the
 *   compressed-size histogram and the overall ratio.
 *
 * Each writer also writes a small JSON sidecar, FILE.meta.json, saying where
 * the pages came from (the corpus itself stays raw pages, as traces read it).
 */

import { closeSync, openSync, readFileSync, readSync, writeFileSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import { Corpus } from './corpus.js';
import { PAGE_SIZE } from './page.js';
import { UsageError } from '../errors.js';
import { COMPRESSORS, compressorAvailable, createCompressor } from '../compressors/registry.js';

/** One mapping of /proc/PID/maps. */
interface MapsEntry {
  start: number;
  end: number;
  perms: string;
  offset: number;
  inode: number;
  path: string;
}

/** Parses /proc/PID/maps text ("start-end perms offset dev inode [path]"). */
function parseMaps(text: string): MapsEntry[] {
  const out: MapsEntry[] = [];
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]+)-([0-9a-f]+)\s+(\S{4})\s+([0-9a-f]+)\s+\S+\s+(\d+)\s*(.*)$/.exec(line);
    if (!m) continue;
    out.push({ start: parseInt(m[1]!, 16), end: parseInt(m[2]!, 16), perms: m[3]!, offset: parseInt(m[4]!, 16), inode: Number(m[5]), path: m[6]!.trim() });
  }
  return out;
}

/**
 * Whether a mapping is private anonymous memory: readable, private, not
 * backed by a file (inode 0), and unnamed, [heap], [stack], [stack:tid] or
 * Android's [anon:...]; never the kernel's [vdso], [vvar], [vsyscall].
 */
function isPrivateAnon(e: MapsEntry): boolean {
  if (e.perms[0] !== 'r' || e.perms[3] !== 'p' || e.inode !== 0) return false;
  const p = e.path;
  return p === '' || p === '[heap]' || p.startsWith('[stack') || p.startsWith('[anon:');
}

interface CaptureResult {
  pid: number;
  comm: string;
  pages: number;
  /** Pages of the selected mappings that could not be read. */
  skipped: number;
  regions: { start: string; end: string; path: string; pages: number }[];
}

function errCode(e: unknown): string {
  return (e as NodeJS.ErrnoException)?.code ?? '';
}

/** The one line for a failure to reach a process. */
function processError(pid: number, what: string, e: unknown): UsageError {
  const code = errCode(e);
  if (code === 'ENOENT' || code === 'ESRCH') return new UsageError(`no process with pid ${pid}`, { field: '--pid' }, 'the pid of a running process');
  if (code === 'EACCES' || code === 'EPERM') {
    return new UsageError(`permission denied reading ${what} of pid ${pid}: reading another process's memory needs ptrace access (same user, Yama kernel.yama.ptrace_scope 0, or root / CAP_SYS_PTRACE)`,
      { field: '--pid' }, 'a process you may ptrace');
  }
  return new UsageError(`cannot read ${what} of pid ${pid}: ${(e as Error).message}`, { field: '--pid' });
}

/** Reads pid's private anonymous pages into the corpus file `out` (at most maxPages). */
export function captureProcess(pid: number, out: string, maxPages = Infinity): CaptureResult {
  if (!Number.isSafeInteger(pid) || pid <= 0) throw new UsageError(`'${pid}' is not a pid`, { field: '--pid' }, 'a positive integer');
  if (process.platform !== 'linux') throw new UsageError('corpus capture reads /proc/PID/mem, which only Linux has', { field: '--pid' });
  let maps: string;
  try {
    maps = readFileSync(`/proc/${pid}/maps`, 'utf8');
  } catch (e) {
    throw processError(pid, `/proc/${pid}/maps`, e);
  }
  let comm = '';
  try {
    comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    /* the name is for the sidecar only */
  }
  let mem: number;
  try {
    mem = openSync(`/proc/${pid}/mem`, 'r');
  } catch (e) {
    throw processError(pid, `/proc/${pid}/mem`, e);
  }
  const fd = openOut(out);
  const page = Buffer.alloc(PAGE_SIZE);
  const res: CaptureResult = { pid, comm, pages: 0, skipped: 0, regions: [] };
  try {
    for (const e of parseMaps(maps).filter(isPrivateAnon)) {
      if (res.pages >= maxPages) break;
      let got = 0;
      for (let a = e.start; a < e.end && res.pages < maxPages; a += PAGE_SIZE) {
        let n: number;
        try {
          n = readSync(mem, page, 0, PAGE_SIZE, a);
        } catch (err) {
          const code = errCode(err);
          if (code === 'EACCES' || code === 'EPERM') throw processError(pid, `/proc/${pid}/mem`, err);
          if (code === 'ESRCH') throw processError(pid, `/proc/${pid}/mem`, err);
          res.skipped++; // EIO: a page that cannot be read (guard page, PROT_NONE reservation)
          continue;
        }
        if (n !== PAGE_SIZE) {
          res.skipped++;
          continue;
        }
        writeSync(fd, page, 0, PAGE_SIZE);
        res.pages++;
        got++;
      }
      if (got > 0) res.regions.push({ start: e.start.toString(16), end: e.end.toString(16), path: e.path, pages: got });
    }
  } finally {
    closeSync(mem);
    closeSync(fd);
  }
  if (res.pages === 0) throw new UsageError(`no readable private anonymous page in pid ${pid}`, { field: '--pid' });
  writeFileSync(`${out}.meta.json`, JSON.stringify({ source: 'capture', ...res }, null, 1) + '\n');
  return res;
}

function openOut(out: string): number {
  try {
    return openSync(out, 'w');
  } catch (e) {
    throw new UsageError(`cannot write '${out}': ${(e as Error).message}`, { field: '--out' });
  }
}

interface FromFilesResult {
  pages: number;
  files: { path: string; bytes: number; pages: number }[];
}

/** Concatenates files into a corpus, each cut into pages with its last page zero-padded. */
export function corpusFromFiles(paths: readonly string[], out: string): FromFilesResult {
  if (paths.length === 0) throw new UsageError('no input files', { field: 'PATHS' }, 'one or more files');
  const res: FromFilesResult = { pages: 0, files: [] };
  const bufs: Buffer[] = [];
  for (const p of paths) {
    let data: Buffer;
    try {
      data = readFileSync(p);
    } catch (e) {
      throw new UsageError(`cannot read '${p}': ${(e as Error).message}`, { file: p });
    }
    const pages = Math.ceil(data.length / PAGE_SIZE);
    if (pages === 0) continue;
    const padded = Buffer.alloc(pages * PAGE_SIZE);
    data.copy(padded);
    bufs.push(padded);
    res.files.push({ path: p, bytes: data.length, pages });
    res.pages += pages;
  }
  if (res.pages === 0) throw new UsageError('every input file is empty', { field: 'PATHS' }, 'files with at least one byte');
  const fd = openOut(out);
  try {
    for (const b of bufs) writeSync(fd, b);
  } finally {
    closeSync(fd);
  }
  writeFileSync(`${out}.meta.json`, JSON.stringify({ source: 'files', ...res }, null, 1) + '\n');
  return res;
}

/** Compressed-size histogram bucket width, bytes. */
export const BUCKET = 256;

interface CompressorStats {
  name: string;
  /** Sum of the compressed sizes (as the kernel's codec reports them). */
  bytes: number;
  /** Uncompressed bytes / compressed bytes, over every page. */
  ratio: number;
  /** Pages whose compressed size is in [i*256, (i+1)*256); the last bucket holds 4096 and above. */
  histogram: number[];
  /** Pages that do not compress below a page. */
  incompressible: number;
}

export interface CorpusStats {
  corpus: string;
  pages: number;
  zero: number;
  /** Same-filled pages other than zero (every byte the same non-zero value). */
  same_filled: number;
  compressors: CompressorStats[];
}

/**
 * Statistics of a corpus file, with every registered compressor this install
 * can create (lz4hc and lzo need optional native packages), or the named ones.
 */
export function corpusStats(path: string, compressors: readonly string[] = [...COMPRESSORS.keys()].filter(compressorAvailable)): CorpusStats {
  const c = Corpus.open(path);
  const codecs = compressors.map((n) => createCompressor(n));
  const buckets = PAGE_SIZE / BUCKET + 1;
  const per = codecs.map((x): CompressorStats => ({ name: x.name, bytes: 0, ratio: 0, histogram: new Array<number>(buckets).fill(0), incompressible: 0 }));
  const stats: CorpusStats = { corpus: basename(path), pages: c.pages, zero: 0, same_filled: 0, compressors: per };
  const page = new Uint8Array(PAGE_SIZE);
  try {
    for (let i = 0; i < c.pages; i++) {
      c.fill(i, page);
      const b0 = page[0]!;
      let same = true;
      for (let k = 1; k < PAGE_SIZE; k++) {
        if (page[k] !== b0) {
          same = false;
          break;
        }
      }
      if (same) {
        if (b0 === 0) stats.zero++;
        else stats.same_filled++;
      }
      for (let j = 0; j < codecs.length; j++) {
        const size = codecs[j]!.compress(page).size;
        const s = per[j]!;
        s.bytes += size;
        s.histogram[Math.min(buckets - 1, Math.floor(size / BUCKET))]!++;
        if (size >= PAGE_SIZE) s.incompressible++;
      }
    }
  } finally {
    c.close();
  }
  for (const s of per) s.ratio = Math.round((c.pages * PAGE_SIZE / s.bytes) * 1e4) / 1e4;
  return stats;
}
