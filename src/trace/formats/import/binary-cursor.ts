/**
 * Shared part of the binary importers: a RecordCursor, the current request,
 * and errors located by record ("record 7: ...", records numbered from 0).
 */

import { UsageError } from '../../../errors.js';
import { doubleFields } from '../../../shapes.js';
import type { Fail } from './ids.js';
import { RecordCursor } from './records.js';
import type { Request } from './source.js';

export abstract class BinaryCursor {
  /** The current request; its time (µs) and id pass 2^31 (src/shapes.ts). */
  readonly req: Request = doubleFields({ id: 0, size: -1, time: -1, write: false }, ['id', 'time']);
  protected readonly rec: RecordCursor;
  protected readonly failId: Fail = (what, accepted) => this.fail(what, 'id', accepted);

  constructor(
    readonly file: string,
    recordSize: number,
  ) {
    this.rec = new RecordCursor(file, recordSize);
  }

  /** Record index + 1 (1-based, like a line number). */
  get line(): number {
    return this.rec.record + 1;
  }

  fail(what: string, field?: string, accepted?: string): never {
    this.rec.close();
    const w = field === undefined ? { file: this.file } : { file: this.file, field };
    throw new UsageError(`record ${this.rec.record}: ${what}`, w, accepted);
  }

  close(): void {
    this.rec.close();
  }
}
