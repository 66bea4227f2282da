/**
 * The cursor of the one-id-per-line formats (txt, pageref): each line that
 * is not skipped holds one id and nothing else. Blank lines are skipped;
 * with `comments`, so are lines starting with '#' and the '*' separator
 * lines of the LIRS traces.
 */

import { UsageError } from '../../../errors.js';
import { doubleFields } from '../../../shapes.js';
import type { IdPolicy } from './ids.js';
import { LineCursor } from './lines.js';
import type { Request, RequestCursor } from './source.js';

export class IdPerLineCursor implements RequestCursor {
  /** The current request; its time (µs) and id pass 2^31 (src/shapes.ts). */
  readonly req: Request = doubleFields({ id: 0, size: -1, time: -1, write: false }, ['id', 'time']);
  private readonly lines: LineCursor;
  private readonly failId = (what: string, accepted?: string): never => this.fail(what, this.field, accepted);

  constructor(
    readonly file: string,
    private readonly ids: IdPolicy,
    private readonly comments: boolean,
    private readonly field: string,
  ) {
    this.lines = new LineCursor(file, 'magic');
  }

  get line(): number {
    return this.lines.line;
  }

  next(): boolean {
    const l = this.lines;
    for (;;) {
      if (!l.next()) return false;
      const b = l.buf;
      let s = l.start;
      while (s < l.end && (b[s] === 32 || b[s] === 9)) s++;
      if (s === l.end) continue;
      if (this.comments && (b[s] === 35 || (b[s] === 42 && l.text().trim() === '*'))) continue;
      this.req.id = this.ids.text(b, s, l.end, this.failId);
      return true;
    }
  }

  fail(what: string, field?: string, accepted?: string): never {
    this.lines.close();
    throw new UsageError(what, field === undefined ? { file: this.file, line: this.line } : { file: this.file, line: this.line, field }, accepted);
  }

  close(): void {
    this.lines.close();
  }
}
