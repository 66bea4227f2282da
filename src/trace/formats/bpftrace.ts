/**
 * `bpftrace`: the text written by scripts/tmemsim-capture.bt, a kernel
 * capture of swap and page-cache activity (docs/capture.md), replayed as
 * tmem-level events: what frontswap and cleancache would have been asked on
 * that machine.
 *
 * The format: one event per line, fields separated by blanks; '#' comment
 * lines, blank lines and bpftrace's own "Attaching N probes..." line are
 * skipped. The command name is the rest of the line (it may hold blanks).
 *
 *   TIME_NS SWPOUT PID TYPE OFFSET COMM     swap_writepage: a page is written to swap slot (TYPE, OFFSET)
 *   TIME_NS SWPIN  PID TYPE OFFSET COMM     swap_read_folio / swap_readpage: the slot is read back
 *   TIME_NS PGADD  PID MAJ:MIN INO INDEX COMM  filemap:mm_filemap_add_to_page_cache
 *   TIME_NS PGDEL  PID MAJ:MIN INO INDEX COMM  filemap:mm_filemap_delete_from_page_cache
 *
 * The mapping (a kernel with a tmem backend would have made these calls at
 * those points: swap_writepage → frontswap_store, swap_readpage →
 * frontswap_load, a page-cache miss's read → cleancache_get before the I/O,
 * __delete_from_page_cache → cleancache_put):
 *   SWPOUT → frontswap_store {type, offset}   SWPIN → frontswap_load {type, offset}
 *   PGADD  → cleancache_get {fs, inode, index}   PGDEL → cleancache_put {fs, inode, index}
 * Devices become filesystems 0.. in the order they first appear (at most
 * 64); (device, inode, index >> 20) becomes inode 0.. in first-appearance
 * order, index & 0xfffff the index, so any inode number and file size fit
 * the trace limits. The header (made up) switches on every swap type seen
 * with slots = its largest offset + 1, and mounts every device: a first pass
 * over the file finds them when it is opened.
 */

import { basename } from 'node:path';
import { UsageError } from '../../errors.js';
import type { EventLocation, LocatedEvent, TraceEvent, TraceHeader } from '../events.js';
import { LIMITS } from '../events.js';
import { IMPORT_DEFAULT_BACKEND, importNotes, importedHeader } from './import/source.js';
import { LineCursor } from './import/lines.js';
import { OptionReader, parseContentMix, type FormatOptions, type OptionSpec } from './import/options.js';
import { asyncEvents, type SyncTraceSource } from './text-source.js';

export const BPFTRACE_OPTIONS: readonly OptionSpec[] = [
  { name: 'time', values: 'none, keep', default: 'keep', doc: 'keep: events carry t, microseconds since the first captured event; none: back to back' },
  { name: 'ram-mb', values: 'an integer 1..1048576', default: '256', doc: 'header config.ram_mb' },
  { name: 'backend', values: 'a backend name, or none', default: IMPORT_DEFAULT_BACKEND, doc: 'header config.backend: the backend that receives the captured calls' },
  { name: 'content', values: 'a content class, or a mix like heap:3+zero:1', default: 'heap:3+text:1', doc: 'header content.default: what the captured pages hold (the capture has no page bytes)' },
];

const KINDS = 'SWPOUT, SWPIN, PGADD, PGDEL';
const INDEX_BITS = 20;

/** One parsed line: the event kind and its numbers. */
interface Parsed {
  kind: 'SWPOUT' | 'SWPIN' | 'PGADD' | 'PGDEL';
  timeNs: number;
  type: number;
  offset: number;
  dev: string;
  ino: number;
  index: number;
}

/** One pass over a capture file. */
class CaptureCursor {
  private readonly lines: LineCursor;
  readonly p: Parsed = { kind: 'SWPOUT', timeNs: 0, type: 0, offset: 0, dev: '', ino: 0, index: 0 };

  constructor(readonly file: string) {
    this.lines = new LineCursor(file, 'magic');
  }

  get line(): number {
    return this.lines.line;
  }

  fail(what: string, field?: string, accepted?: string): never {
    throw new UsageError(what, { file: this.file, line: this.lines.line, field }, accepted);
  }

  private uint(text: string | undefined, field: string, max: number): number {
    if (text === undefined) this.fail('missing', field, 'TIME_NS KIND PID then TYPE OFFSET (SWPOUT, SWPIN) or MAJ:MIN INO INDEX (PGADD, PGDEL), then COMM');
    if (!/^\d+$/.test(text)) this.fail(`'${text}' is not an unsigned integer`, field, `an integer 0..${max}`);
    const v = Number(text);
    if (v > max) this.fail(`${text} is out of range`, field, `an integer 0..${max}`);
    return v;
  }

  next(): boolean {
    const l = this.lines;
    for (;;) {
      if (!l.next()) return false;
      const text = l.text().trim();
      if (text === '' || text.startsWith('#') || /^Attaching \d+ probes?\.\.\.$/.test(text)) continue;
      const f = text.split(/\s+/);
      const p = this.p;
      p.timeNs = this.uint(f[0], 'time', Number.MAX_SAFE_INTEGER);
      const kind = f[1];
      this.uint(f[2], 'pid', 2 ** 32 - 1);
      if (kind === 'SWPOUT' || kind === 'SWPIN') {
        p.kind = kind;
        p.type = this.uint(f[3], 'type', LIMITS.swapTypes - 1);
        p.offset = this.uint(f[4], 'offset', LIMITS.maxSlots - 1);
        if (f.length < 6) this.fail('missing', 'comm', 'the command name at the end of the line');
      } else if (kind === 'PGADD' || kind === 'PGDEL') {
        p.kind = kind;
        const dev = f[3];
        if (dev === undefined || !/^\d+:\d+$/.test(dev)) this.fail(dev === undefined ? 'missing' : `'${dev}' is not MAJOR:MINOR`, 'dev', 'a device number MAJOR:MINOR, e.g. 259:2');
        p.dev = dev;
        p.ino = this.uint(f[4], 'ino', Number.MAX_SAFE_INTEGER);
        p.index = this.uint(f[5], 'index', Number.MAX_SAFE_INTEGER);
        if (f.length < 7) this.fail('missing', 'comm', 'the command name at the end of the line');
      } else {
        this.fail(kind === undefined ? 'missing' : `unknown event '${kind}'`, 'kind', KINDS);
      }
      return true;
    }
  }

  close(): void {
    this.lines.close();
  }
}

/** A capture, opened: the header from a first pass; each events() pass maps the lines again. */
export class BpftraceTraceSource implements SyncTraceSource {
  readonly header: TraceHeader;
  readonly notes: string[];
  private readonly keepTime: boolean;
  /** Devices in first-appearance order → fs id. */
  private readonly devs = new Map<string, number>();

  constructor(readonly path: string, options?: FormatOptions) {
    const o = new OptionReader('bpftrace', BPFTRACE_OPTIONS, options);
    this.keepTime = o.choice('time', 'keep', ['none', 'keep']) === 'keep';
    const ramMb = o.int('ram-mb', 256, 1, 1 << 20);
    const backend = o.string('backend', IMPORT_DEFAULT_BACKEND).trim();
    this.notes = importNotes(path, o, backend);
    const content = parseContentMix(o.string('content', 'heap:3+text:1'), o, 'heap:3+zero:1');
    const slots = new Map<number, number>();
    let lines = 0;
    const c = new CaptureCursor(path);
    try {
      while (c.next()) {
        lines++;
        const p = c.p;
        if (p.kind === 'SWPOUT' || p.kind === 'SWPIN') slots.set(p.type, Math.max(slots.get(p.type) ?? 0, p.offset + 1));
        else if (!this.devs.has(p.dev)) {
          if (this.devs.size >= LIMITS.maxFs) c.fail(`more than ${LIMITS.maxFs} devices`, 'dev', `at most ${LIMITS.maxFs} devices (filesystems) in one capture`);
          this.devs.set(p.dev, this.devs.size);
        }
      }
    } finally {
      c.close();
    }
    if (lines === 0) throw new UsageError('no events: the file holds no capture line', { file: path }, `lines TIME_NS KIND PID ... COMM with KIND one of ${KINDS} (scripts/tmemsim-capture.bt)`);
    const config: TraceHeader['config'] = {
      description: `imported from ${basename(path)} (bpftrace capture: swap-outs/ins as frontswap store/load, page-cache adds/deletes as cleancache get/put)`,
      ram_mb: ramMb,
      swap: [...slots].sort((a, b) => a[0] - b[0]).map(([type, n]) => ({ type, slots: n })),
      mounts: [...this.devs.values()].map((fs) => ({ fs })),
    };
    this.header = importedHeader(path, o, config, backend, content);
  }

  *eventsSync(): IterableIterator<LocatedEvent> {
    const c = new CaptureCursor(this.path);
    const inodes = new Map<string, number>();
    const loc: EventLocation = { file: this.path, line: 0, index: 0 };
    let t0 = -1;
    let index = 0;
    try {
      while (c.next()) {
        const p = c.p;
        let ev: TraceEvent;
        if (p.kind === 'SWPOUT') ev = { op: 'frontswap_store', type: p.type, offset: p.offset };
        else if (p.kind === 'SWPIN') ev = { op: 'frontswap_load', type: p.type, offset: p.offset };
        else {
          const fs = this.devs.get(p.dev)!;
          const key = `${p.dev}/${p.ino}/${Math.floor(p.index / 2 ** INDEX_BITS)}`;
          let inode = inodes.get(key);
          if (inode === undefined) {
            inode = inodes.size;
            if (inode > LIMITS.maxInode) c.fail(`more than ${LIMITS.maxInode + 1} distinct files`, 'ino');
            inodes.set(key, inode);
          }
          const idx = p.index % 2 ** INDEX_BITS;
          ev = p.kind === 'PGADD' ? { op: 'cleancache_get', fs, inode, index: idx } : { op: 'cleancache_put', fs, inode, index: idx };
        }
        if (this.keepTime) {
          if (t0 < 0) t0 = p.timeNs;
          ev.t = Math.max(0, Math.floor((p.timeNs - t0) / 1000));
        }
        loc.line = c.line;
        loc.index = index++;
        yield { event: ev, loc };
      }
    } finally {
      c.close();
    }
  }

  events(): AsyncIterable<LocatedEvent> {
    return asyncEvents(() => this.eventsSync());
  }
}

