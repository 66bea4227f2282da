/**
 * CSV traces, read as libCacheSim's csv reader does: a column spec names
 * the columns (1-based) of the id, time, size and operation,
 *
 *   --format-opt time-col=2,obj-id-col=5,obj-size-col=4,op-col=3,header=true,delimiter=,
 *
 * Without a column spec the header line names them: the id column is one
 * called lbn, lba, block, sector, obj_id, id, key or page; size, len or
 * bytes is the size; time, timestamp or ts the time; op, operation, cmd or
 * rw the operation. `header=auto` (the default) takes the first non-blank
 * line for a header when none of its fields is a number.
 *
 * Addressing: block when the id column's header name is a block number
 * (lbn, lba, block, blkno, sector), object otherwise, unless `addressing`
 * says it. Operations: r, read, get, and the SCSI READ opcodes (28, 08,
 * a8, 88) are reads; w, write, set, put, add, replace, cas, append, prepend
 * and the SCSI WRITE opcodes (2a, 0a, aa, 8a) are writes; anything else is
 * an error unless `unknown-op=read|skip`. Fields may be double-quoted.
 * Blank lines are skipped; gzip is inflated on the fly.
 */

import { UsageError } from '../../errors.js';
import type { Fail, IdPolicy } from './import/ids.js';
import { LineCursor, parseDecimal, parseUint } from './import/lines.js';
import type { OptionReader } from './import/options.js';
import { OBJ_ID_IS_NUM, type Addressing, type ImportFormat, type Request, type RequestCursor } from './import/source.js';
import { unknownOpOption, type UnknownOp } from './vscsi.js';

const ID_NAMES = ['lbn', 'lba', 'block', 'blockid', 'blkno', 'blocknumber', 'sector', 'objid', 'obj', 'id', 'key', 'page', 'pageid'];
const BLOCK_NAMES = new Set(['lbn', 'lba', 'block', 'blockid', 'blkno', 'blocknumber', 'sector']);
const SIZE_NAMES = ['objsize', 'size', 'len', 'length', 'bytes', 'reqsize', 'requestsize'];
const TIME_NAMES = ['time', 'timestamp', 'ts', 'clocktime', 'clock'];
const OP_NAMES = ['op', 'operation', 'opcode', 'cmd', 'command', 'rw', 'iotype'];

const READ_OPS = new Set(['r', 'read', 'get', 'gets', '28', '0x28', '08', '0x08', 'a8', '0xa8', '88', '0x88']);
const WRITE_OPS = new Set(['w', 'write', 'set', 'put', 'add', 'replace', 'cas', 'append', 'prepend', '2a', '0x2a', '0a', '0x0a', 'aa', '0xaa', '8a', '0x8a']);
const OPS_ACCEPTED = 'r, read, get, 28, 08, a8, 88 (reads); w, write, set, put, add, replace, cas, append, prepend, 2a, 0a, aa, 8a (writes); or unknown-op=read|skip';

const TIME_UNITS: Record<string, number> = { s: 1e6, ms: 1e3, us: 1, ns: 1e-3 };

interface CsvSpec {
  delimiter: number;
  /** Whether the first non-blank line is a header, to skip. */
  header: boolean;
  /** 0-based columns, -1 = absent. */
  id: number;
  size: number;
  time: number;
  op: number;
  timeScale: number;
  unknownOp: UnknownOp;
  /** Column field names for messages, by role. */
  fields: { id: string; size: string; time: string; op: string };
}

/** Splits a csv line: field k is buf[starts[k]..ends[k]) (quotes removed, "" not unescaped). */
class Fields {
  starts: number[] = [];
  ends: number[] = [];
  count = 0;

  split(b: Buffer, s: number, e: number, delim: number, upTo: number): void {
    this.count = 0;
    const space = delim === 32;
    let i = s;
    if (space) while (i < e && (b[i] === 32 || b[i] === 9)) i++;
    for (;;) {
      let fs = i;
      let fe: number;
      if (b[i] === 34 && i < e) {
        // "quoted" field
        fs = ++i;
        while (i < e && !(b[i] === 34 && b[i + 1] !== 34)) i += b[i] === 34 ? 2 : 1;
        fe = i;
        if (i < e) i++;
        while (i < e && b[i] !== delim && !(space && b[i] === 9)) i++;
      } else {
        while (i < e && b[i] !== delim && !(space && b[i] === 9)) i++;
        fe = i;
      }
      this.starts[this.count] = fs;
      this.ends[this.count] = fe;
      this.count++;
      if (i >= e) return;
      i++; // the delimiter
      if (space) {
        while (i < e && (b[i] === 32 || b[i] === 9)) i++;
        if (i >= e) return;
      }
      if (this.count > upTo) return; // every column needed is found
    }
  }
}

class CsvCursor implements RequestCursor {
  readonly req: Request = { id: 0, size: -1, time: -1, write: false };
  private readonly lines: LineCursor;
  private readonly f = new Fields();
  private readonly maxCol: number;
  private headerPending: boolean;
  private readonly failId: Fail = (what, accepted) => this.fail(what, this.spec.fields.id, accepted);

  constructor(
    readonly file: string,
    private readonly spec: CsvSpec,
    private readonly ids: IdPolicy,
  ) {
    this.lines = new LineCursor(file, 'magic');
    this.maxCol = Math.max(spec.id, spec.size, spec.time, spec.op);
    this.headerPending = spec.header;
  }

  get line(): number {
    return this.lines.line;
  }

  next(): boolean {
    const l = this.lines;
    const sp = this.spec;
    const f = this.f;
    const r = this.req;
    for (;;) {
      if (!l.next()) return false;
      if (l.blank()) continue;
      if (this.headerPending) {
        this.headerPending = false;
        continue;
      }
      const b = l.buf;
      f.split(b, l.start, l.end, sp.delimiter, this.maxCol);
      if (f.count <= this.maxCol) this.missing(f.count);
      if (sp.op >= 0) {
        const op = b.toString('latin1', f.starts[sp.op]!, f.ends[sp.op]!).trim().toLowerCase();
        if (WRITE_OPS.has(op)) r.write = true;
        else if (READ_OPS.has(op)) r.write = false;
        else if (sp.unknownOp === 'skip') continue;
        else if (sp.unknownOp === 'read') r.write = false;
        else this.fail(`unknown operation '${op}'`, sp.fields.op, OPS_ACCEPTED);
      }
      r.id = this.ids.text(b, f.starts[sp.id]!, f.ends[sp.id]!, this.failId);
      if (sp.size >= 0) {
        const v = parseUint(b, f.starts[sp.size]!, f.ends[sp.size]!);
        if (v < 0) this.fail(`'${this.field(sp.size)}' is not a size in bytes`, sp.fields.size, 'an unsigned integer');
        r.size = v;
      }
      if (sp.time >= 0) {
        const v = parseDecimal(b, f.starts[sp.time]!, f.ends[sp.time]!);
        if (Number.isNaN(v)) this.fail(`'${this.field(sp.time)}' is not a time`, sp.fields.time, 'a number >= 0');
        r.time = v * sp.timeScale;
      }
      return true;
    }
  }

  private field(k: number): string {
    return this.lines.buf.toString('utf8', this.f.starts[k]!, Math.min(this.f.ends[k]!, this.f.starts[k]! + 40)).trim();
  }

  private missing(count: number): never {
    const sp = this.spec;
    const roles: [number, string][] = [[sp.id, sp.fields.id], [sp.size, sp.fields.size], [sp.time, sp.fields.time], [sp.op, sp.fields.op]];
    const [col, field] = roles.filter(([c]) => c >= count).sort((a, b) => b[0] - a[0])[0]!;
    return this.fail(`column ${col + 1} does not exist in line ${this.line} (${count} column${count === 1 ? '' : 's'})`, field,
      `columns 1..${count}${count === 1 ? `; is the delimiter '${String.fromCharCode(sp.delimiter)}' right? (delimiter=...)` : ''}`);
  }

  fail(what: string, field?: string, accepted?: string): never {
    this.lines.close();
    throw new UsageError(what, field === undefined ? { file: this.file, line: this.line } : { file: this.file, line: this.line, field }, accepted);
  }

  close(): void {
    this.lines.close();
  }
}

function parseDelimiter(o: OptionReader): number {
  const v = o.raw('delimiter');
  if (v === undefined || v === '' || v === ',') return 44;
  const named: Record<string, string> = { comma: ',', tab: '\t', '\\t': '\t', space: ' ', semicolon: ';', pipe: '|' };
  const c = named[v.toLowerCase()] ?? v;
  if (c.length !== 1 || c.charCodeAt(0) > 127 || c === '"' || c === '\n' || c === '\r') {
    return o.bad('delimiter', `'${v}' is not a one-character delimiter`, 'one ASCII character, or comma, tab, space, semicolon, pipe');
  }
  return c === '\t' ? 9 : c.charCodeAt(0);
}

function norm(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** The first non-blank line's fields, as text (for header detection and names), or null for an empty file. */
function firstLine(path: string, delim: number): string[] | null {
  const l = new LineCursor(path, 'magic');
  try {
    while (l.next()) {
      if (l.blank()) continue;
      const f = new Fields();
      f.split(l.buf, l.start, l.end, delim, 1 << 20);
      const out: string[] = [];
      for (let k = 0; k < f.count; k++) out.push(l.buf.toString('utf8', f.starts[k]!, f.ends[k]!).trim());
      return out;
    }
    return null;
  } finally {
    l.close();
  }
}

function plan(path: string, o: OptionReader): { addressing: Addressing; open: (ids: IdPolicy) => RequestCursor } {
  const delimiter = parseDelimiter(o);
  const headerOpt = o.choice('header', 'auto', ['auto', 'true', 'false']);
  const unknownOp = unknownOpOption(o);
  const unit = o.choice('time-unit', 's', ['s', 'ms', 'us', 'ns']);
  const col = (name: string): number => (o.has(name) ? o.int(name, 0, 1, 1 << 16) - 1 : -1);
  const given = { id: col('obj-id-col'), size: col('obj-size-col'), time: col('time-col'), op: col('op-col') };
  const first = firstLine(path, delimiter);
  const looksLikeHeader = first !== null && first.every((t) => !/^[-+]?\d+(\.\d*)?([eE][-+]?\d+)?$/.test(t));
  const header = headerOpt === 'true' || (headerOpt === 'auto' && looksLikeHeader);
  const names = header && first ? first.map(norm) : [];
  const byName = (cands: readonly string[]): number => {
    for (const c of cands) {
      const k = names.indexOf(c);
      if (k >= 0) return k;
    }
    return -1;
  };
  const id = given.id >= 0 ? given.id : byName(ID_NAMES);
  if (id < 0) {
    const why = header
      ? `not given, and no column of the header line names the id (header: ${first!.join(', ')})`
      : 'required: the file has no header line that names the columns';
    throw new UsageError(`input format csv: ${why}`, { file: path, field: 'obj-id-col' }, 'obj-id-col=N (1-based), e.g. --format-opt obj-id-col=5,obj-size-col=4,time-col=2,op-col=3');
  }
  const any = Object.values(given).some((c) => c >= 0);
  // A column spec, as in libCacheSim, names every column used; without one the header names them.
  const pick = (g: number, cands: readonly string[]): number => (g >= 0 ? g : any ? -1 : byName(cands));
  const spec: CsvSpec = {
    delimiter,
    header,
    id,
    size: pick(given.size, SIZE_NAMES),
    time: pick(given.time, TIME_NAMES),
    op: pick(given.op, OP_NAMES),
    timeScale: TIME_UNITS[unit]!,
    unknownOp,
    fields: { id: 'obj-id-col', size: 'obj-size-col', time: 'time-col', op: 'op-col' },
  };
  const addressing: Addressing = names[id] !== undefined && BLOCK_NAMES.has(names[id]!) ? 'block' : 'object';
  return { addressing, open: (ids) => new CsvCursor(path, spec, ids) };
}

// duplicates: alike in shape to vscsi.ts's VSCSI_FORMAT (an ImportFormat entry): one file per trace format, each with
// its own options (the shared ones are COMMON_OPTIONS and OBJ_ID_IS_NUM in import/source.ts).
export const CSV_FORMAT: ImportFormat = {
  name: 'csv',
  extensions: ['.csv', '.csv.gz'],
  description: 'CSV with a libCacheSim column spec (obj-id-col, obj-size-col, time-col, op-col) or named header columns',
  options: [
    { name: 'obj-id-col', values: 'a column number 1..65536', default: 'from the header', doc: 'the id (object id or block number) column' },
    { name: 'obj-size-col', aliases: ['size-col'], values: 'a column number 1..65536', default: 'from the header', doc: 'the size column, in bytes' },
    { name: 'time-col', values: 'a column number 1..65536', default: 'from the header', doc: 'the time column (see time-unit)' },
    { name: 'op-col', values: 'a column number 1..65536', default: 'from the header', doc: 'the operation column (read / write)' },
    { name: 'header', aliases: ['has-header'], values: 'auto, true, false', default: 'auto', doc: 'whether the first non-blank line is a header (auto: when none of its fields is a number)' },
    { name: 'delimiter', values: 'one character, or comma, tab, space, semicolon, pipe', default: ',', doc: 'the field separator' },
    OBJ_ID_IS_NUM,
    { name: 'time-unit', values: 's, ms, us, ns', default: 's', doc: 'unit of the time column' },
    { name: 'unknown-op', values: 'error, read, skip', default: 'error', doc: 'what an operation that is neither a read nor a write becomes' },
  ],
  plan,
};
