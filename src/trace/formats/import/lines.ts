/**
 * Line-by-line reading of a text trace (plain or gzip) for the importers,
 * and the parsing of numbers straight from its bytes.
 *
 * LineCursor.next() moves to the next line: buf[start..end) is its text
 * without the newline (a trailing \r is dropped), `line` its 1-based number.
 * Lines end in \n or \r\n; the last line may have no newline. A UTF-8 byte
 * order mark at the start is skipped.
 */

import { UsageError } from '../../../errors.js';
import { bomLength, MAX_VALUE_BYTES } from '../chunk-reader.js';
import { openBytes, type ByteWindow, type GzipDetect } from './bytes.js';

export class LineCursor {
  /** 1-based number of the current line. */
  line = 0;
  start = 0;
  end = 0;
  private readonly w: ByteWindow;
  private pos = 0;
  /** End of the complete lines in the window. */
  private limit = 0;
  private first = true;

  constructor(readonly file: string, detect: GzipDetect = 'magic') {
    this.w = openBytes(file, detect);
  }

  get buf(): Buffer {
    return this.w.buf;
  }

  /** Moves to the next line; false at the end of the file. */
  next(): boolean {
    if (this.pos >= this.limit && !this.refill()) return false;
    const b = this.w.buf;
    const p = this.pos;
    let nl = b.indexOf(10, p);
    if (nl < 0 || nl >= this.limit) nl = this.limit;
    this.pos = nl + 1;
    let e = nl;
    if (e > p && b[e - 1] === 13) e--;
    this.start = p;
    this.end = e;
    this.line++;
    return true;
  }

  /** The current line as text. */
  text(): string {
    return this.w.buf.toString('utf8', this.start, this.end);
  }

  /** Whether the current line is blank (spaces and tabs only). */
  blank(): boolean {
    const b = this.w.buf;
    for (let i = this.start; i < this.end; i++) {
      const c = b[i];
      if (c !== 32 && c !== 9) return false;
    }
    return true;
  }

  private refill(): boolean {
    const w = this.w;
    if (w.eof && this.pos >= w.end) return false;
    for (;;) {
      const keep = Math.min(this.pos, w.end);
      const n = w.fill(keep, () => new UsageError(`line longer than ${MAX_VALUE_BYTES} bytes: a newline is probably missing`, { file: this.file, line: this.line + 1 }));
      this.pos = 0;
      if (this.first) {
        this.first = false;
        this.pos = bomLength(w.buf, w.end);
      }
      if (w.eof) {
        this.limit = w.end;
        return this.pos < this.limit;
      }
      const lastNl = w.end === 0 ? -1 : w.buf.lastIndexOf(10, w.end - 1);
      this.limit = lastNl + 1;
      if (this.limit > this.pos) return true;
      if (n === 0) return false;
    }
  }

  close(): void {
    this.w.close();
  }
}

/** Largest id kept exact (2^53 - 1). */
const MAX_EXACT = Number.MAX_SAFE_INTEGER;

/** What parseUint() gives for text that is not an unsigned decimal integer. */
const NOT_A_NUMBER = -1;
/** What parseUint() gives for an integer above 2^53 - 1 (see bigValue). */
export const TOO_BIG = -2;

/** The exact value of the last TOO_BIG parse, as a BigInt. */
export let bigValue = 0n;

/**
 * An unsigned decimal integer in b[a..e) (spaces and tabs around it are
 * allowed): its value, or NOT_A_NUMBER, or TOO_BIG (then bigValue holds it).
 */
export function parseUint(b: Buffer, a: number, e: number): number {
  while (a < e && (b[a] === 32 || b[a] === 9)) a++;
  while (e > a && (b[e - 1] === 32 || b[e - 1] === 9)) e--;
  if (a >= e) return NOT_A_NUMBER;
  if (e - a <= 15) {
    let v = 0;
    for (let i = a; i < e; i++) {
      const d = b[i]! - 48;
      if (d < 0 || d > 9) return NOT_A_NUMBER;
      v = v * 10 + d;
    }
    return v;
  }
  for (let i = a; i < e; i++) {
    const d = b[i]! - 48;
    if (d < 0 || d > 9) return NOT_A_NUMBER;
  }
  const big = BigInt(b.toString('latin1', a, e));
  if (big <= BigInt(MAX_EXACT)) return Number(big);
  bigValue = big;
  return TOO_BIG;
}

/** A decimal number (integer or fraction, no sign) in b[a..e), or NaN. */
export function parseDecimal(b: Buffer, a: number, e: number): number {
  const s = b.toString('latin1', a, e).trim();
  return /^\d+(\.\d*)?([eE][+-]?\d+)?$/.test(s) ? Number(s) : NaN;
}
