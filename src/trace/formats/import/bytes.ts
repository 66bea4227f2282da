/**
 * The bytes of an imported trace, plain or gzip-compressed, as a sliding
 * window: the same interface as ChunkReader (buf[0..end) holds the bytes
 * not yet discarded, buf[end] is a 0 sentinel, fill(keep) drops
 * buf[0..keep) and reads more). Memory stays bounded by the window, whatever
 * the length of the trace.
 *
 * gzip is inflated as a stream with fflate's Gunzip (synchronous pushes).
 * fflate does not check the gzip trailer, so the CRC-32 and the length of
 * the inflated bytes are checked here against the file's last 8 bytes
 * (single-member files; a multi-member file has its deflate streams
 * checked, not its trailers).
 */

import { closeSync, fstatSync, readSync } from 'node:fs';
import * as zlib from 'node:zlib';
import { Gunzip } from 'fflate';
import { UsageError } from '../../../errors.js';
import { ChunkReader, CHUNK_BYTES, makeRoom, openFile } from '../chunk-reader.js';

export interface ByteWindow {
  readonly path: string;
  buf: Buffer;
  end: number;
  eof: boolean;
  /** Drops buf[0..keep), reads more; the number of bytes added, 0 at the end. */
  fill(keep: number, tooLong: () => Error): number;
  close(): void;
}

/** How a reader decides whether its file is gzip: by the magic bytes (text) or by a `.gz` name (binary). */
export type GzipDetect = 'magic' | 'extension';

/** Opens a trace's bytes, inflating gzip when `detect` says the file is gzip. */
export function openBytes(path: string, detect: GzipDetect): ByteWindow {
  const gz = detect === 'extension' ? /\.gz$/i.test(path) : hasGzipMagic(path);
  return gz ? new GzipWindow(path) : new ChunkReader(path);
}

function hasGzipMagic(path: string): boolean {
  const fd = openFile(path);
  try {
    const b = Buffer.alloc(2);
    const n = readSync(fd, b, 0, 2, 0);
    return n === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } catch (e) {
    throw new UsageError(`cannot read trace: ${e instanceof Error ? e.message : String(e)}`, { file: path });
  } finally {
    closeSync(fd);
  }
}

/** Compressed bytes read per readSync call. */
const IN_BYTES = 64 << 10;

let crcTable: Int32Array | undefined;

function table(): Int32Array {
  if (crcTable) return crcTable;
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  crcTable = t;
  return t;
}

/** node:zlib's crc32 (Node >= 20.15), when there is one. */
const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

/** CRC-32 (IEEE, as gzip uses) of `data`, continuing from `crc` (0 to start). */
export function crc32(data: Uint8Array, crc = 0): number {
  if (nativeCrc32) return nativeCrc32(data, crc);
  return crc32js(data, crc);
}

/** The same, in JavaScript (older Node). */
export function crc32js(data: Uint8Array, crc = 0): number {
  const t = table();
  let c = ~crc;
  for (let i = 0; i < data.length; i++) c = t[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

class GzipWindow implements ByteWindow {
  buf: Buffer;
  end = 0;
  eof = false;
  private fd: number;
  private readonly inBuf = Buffer.allocUnsafe(IN_BYTES);
  private readonly gunzip: Gunzip;
  /** Inflated bytes not yet in the window. */
  private pending: Uint8Array[] = [];
  private pendingAt = 0;
  private inputDone = false;
  private members = 1;
  private crc = 0;
  private outBytes = 0;
  private readonly fileSize: number;
  private trailer: Buffer | null = null;

  constructor(readonly path: string) {
    this.fd = openFile(path);
    this.fileSize = fstatSync(this.fd).size;
    this.buf = Buffer.allocUnsafe(CHUNK_BYTES + 1);
    this.buf[0] = 0;
    this.gunzip = new Gunzip((chunk) => {
      if (chunk.length === 0) return;
      this.crc = crc32(chunk, this.crc);
      this.outBytes += chunk.length;
      this.pending.push(chunk);
    });
    this.gunzip.onmember = () => {
      this.members++;
    };
    if (this.fileSize >= 18) {
      this.trailer = Buffer.alloc(8);
      readSync(this.fd, this.trailer, 0, 8, this.fileSize - 8);
    }
  }

  fill(keep: number, tooLong: () => Error): number {
    if (this.eof) return 0;
    makeRoom(this, keep, tooLong);
    const buf = this.buf;
    while (this.pending.length === 0 && !this.inputDone) this.pump();
    let added = 0;
    const room = buf.length - 1;
    while (this.pending.length > 0 && this.end < room) {
      const c = this.pending[0]!;
      const n = Math.min(c.length - this.pendingAt, room - this.end);
      buf.set(c.subarray(this.pendingAt, this.pendingAt + n), this.end);
      this.end += n;
      added += n;
      this.pendingAt += n;
      if (this.pendingAt === c.length) {
        this.pending.shift();
        this.pendingAt = 0;
      }
    }
    buf[this.end] = 0;
    if (added === 0) {
      this.eof = true;
      this.close();
    }
    return added;
  }

  /** Reads one block of compressed bytes and inflates it. */
  private pump(): void {
    let n: number;
    try {
      n = readSync(this.fd, this.inBuf, 0, IN_BYTES, null);
    } catch (e) {
      this.close();
      throw new UsageError(`cannot read trace: ${e instanceof Error ? e.message : String(e)}`, { file: this.path });
    }
    try {
      // fflate keeps references to pushed chunks: give it a copy.
      this.gunzip.push(n > 0 ? Uint8Array.prototype.slice.call(this.inBuf, 0, n) : new Uint8Array(0), n === 0);
    } catch (e) {
      this.close();
      throw this.corrupt(e instanceof Error ? e.message : String(e));
    }
    if (n === 0) {
      this.inputDone = true;
      this.checkTrailer();
    }
  }

  private checkTrailer(): void {
    if (this.members !== 1) return;
    const t = this.trailer;
    if (!t) {
      this.close();
      throw this.corrupt('too short for a gzip file');
    }
    const crc = t.readUInt32LE(0);
    const size = t.readUInt32LE(4);
    if (crc !== this.crc || size !== this.outBytes % 2 ** 32) {
      this.close();
      throw this.corrupt(crc !== this.crc ? 'CRC-32 mismatch' : 'length mismatch');
    }
  }

  private corrupt(why: string): UsageError {
    return new UsageError(`gzip data is corrupt: ${why} (after ${this.outBytes} inflated bytes)`, { file: this.path });
  }

  close(): void {
    if (this.fd >= 0) {
      closeSync(this.fd);
      this.fd = -1;
    }
  }
}
