/**
 * The binary trace format (src/trace/formats/tmtb.ts): random valid event
 * sequences of every kind, written as TMTB and read back, are the same
 * events; and the TMTB reader agrees with the JSONL reader on the same trace.
 */

import fc from 'fast-check';
import { closeSync, openSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../src/trace/events.js';
import { writeTmtb } from '../../src/trace/formats/tmtb.js';
import { openTrace } from '../../src/trace/reader.js';
import { collectAsync, collectSync, HEADER, tempDir, toJsonl, traceEvent as event } from '../unit/trace/helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

function writeBinary(file: string, events: readonly TraceEvent[]): string {
  const p = tmp.file(file, '');
  const fd = openSync(p, 'w');
  try {
    writeTmtb(fd, HEADER, events);
  } finally {
    closeSync(fd);
  }
  return p;
}

describe('TMTB round trip', () => {
  it('random valid event sequences of every kind read back as the same events, in order, with their indexes', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(event, { maxLength: 60, size: 'max' }), async (generated) => {
        run++;
        // plain objects, as a JSON reader gives them back (no -0)
        const events = JSON.parse(JSON.stringify(generated)) as TraceEvent[];
        const src = openTrace(writeBinary(`p${run}.tmtb`, events));
        expect(src.header).toStrictEqual(HEADER);
        const got = collectSync(src);
        expect(got.map((e) => e.event)).toStrictEqual(events);
        expect(got.map((e) => e.index)).toEqual(events.map((_, i) => i));
        expect(await collectAsync(src)).toStrictEqual(got);
        // The JSONL twin reads the same events.
        const text = openTrace(tmp.file(`p${run}.jsonl`, toJsonl(HEADER, events)));
        expect(collectSync(text).map((e) => e.event)).toStrictEqual(got.map((e) => e.event));
      }),
      { numRuns: 200 },
    );
  });

  it('a parameter named __proto__ reads back as an own property, as JSON.parse gives it (a case the property above found)', () => {
    const events = JSON.parse('[{"op":"insmod","backend":"zswap","params":{"__proto__":1,"zpool":"zbud"}}]') as TraceEvent[];
    const got = collectSync(openTrace(writeBinary('proto.tmtb', events)));
    expect(got.map((e) => e.event)).toStrictEqual(events);
    expect(Object.keys((got[0]!.event as { params: object }).params)).toEqual(['__proto__', 'zpool']);
  });

  it('a trace longer than the 4 MiB read window, with a string longer than the window, reads back whole', () => {
    const events: TraceEvent[] = [];
    for (let i = 0; i < 500_000; i++) {
      events.push(i % 2 === 0 ? { op: 'file', fs: 1, inode: i >> 10, index: i & 1023, t: i * 3 } : { op: 'anon', pid: 1, page: i, write: true, data: { fill: i & 255 } });
      if (i === 300_000) events.push({ op: 'param', name: 'note', value: 'x'.repeat(6 << 20) });
    }
    const got = collectSync(openTrace(writeBinary('long.tmtb', events)));
    expect(got.length).toBe(events.length);
    expect(got.map((e) => e.event)).toStrictEqual(events);
  });

  it('control records that straddle the read window (params, strategies, rates) read back whole', () => {
    // 12 MiB of control records only: each refill boundary (every half
    // window) falls inside one, mostly in its numbers (f64s, value tags,
    // varints), which a record's MAX_FIXED guaranteed bytes do not cover.
    const params: Record<string, number | string | boolean> = {};
    for (let k = 0; k < 20; k++) params[`p${k}`] = k % 3 === 0 ? k * 1.5 : k % 3 === 1 ? `v${k}` : k % 2 === 0;
    const events: TraceEvent[] = [];
    for (let i = 0; i < 40_000; i++) {
      events.push({ op: 'insmod', backend: 'zcache', params });
      events.push({ op: 'param', name: `name${i}`, value: i * 0.25 });
      events.push({ op: 'rmmod', strategy: 'zombie', rate: 1000 + i });
    }
    const got = collectSync(openTrace(writeBinary('controls.tmtb', events)));
    expect(got.length).toBe(events.length);
    expect(got.map((e) => e.event)).toStrictEqual(events);
  });
});
