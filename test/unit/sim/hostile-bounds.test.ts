/**
 * Issue 16's resource reproducers: time and sizes are bounded before any work
 * or allocation. A time past 2^53 ns, a swap area past 2^26 slots (or areas
 * adding up past it), a .tmtb time or rmmod rate of +Infinity: exit 2 with one
 * line. A valid time as late as allowed replays through xen-tmem's
 * self-ballooning and RAMster's remotify worker in closed form: the run
 * counters are exactly the runs due, and the run ends (vitest's timeout would
 * fail it otherwise).
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectOneLineError as oneLine, tmemsim } from '../../helpers/cli.js';
import { tempDir, toJsonl, traceHeader } from '../../helpers/files.js';
import { simulate } from '../../../src/api.js';
import { LIMITS, type TraceEvent, type TraceHeader } from '../../../src/trace/events.js';
import { writeTmtb } from '../../../src/trace/formats/tmtb.js';

const tmp = tempDir('tmemsim-bounds-');
afterAll(() => tmp.cleanup());
const dir = tmp.dir;
let n = 0;
function jsonl(config: object, events: object[]): string {
  return tmp.file(`t${n++}.jsonl`, toJsonl(traceHeader(config), events));
}

describe('time and size bounds', () => {
  it('"t": 1e300 is refused with one line naming the bound', async () => {
    for (const backend of ['xen-tmem', 'ramster']) {
      const err = oneLine(await tmemsim('run', jsonl({ ram_pages: 2048, backend }, [{ op: 'anon', page: 1, write: true, t: 1e300 }])));
      expect(err).toContain(`field 't': must be a number 0..${LIMITS.maxT}`);
    }
  });

  it('the latest valid time replays in closed form: every due worker run counted', async () => {
    const T = LIMITS.maxT;
    const x = await simulate({ trace: jsonl({ ram_pages: 2048, backend: 'xen-tmem' }, [{ op: 'anon', page: 1, write: true, t: T }]), profiles: ['ssd'], baseline: false });
    const xs = x.runs[0]!.backend;
    expect(xs.sim_time_ns).toBeGreaterThanOrEqual(T * 1000);
    // the worker runs every selfballoon_interval (5 s) from boot
    const runs = Object.values(xs.debugfs).find((d) => 'worker_runs' in d)!['worker_runs'];
    expect(runs).toBe(Math.floor((T * 1000) / 5e9));
    const r = await simulate({ trace: jsonl({ ram_pages: 2048, backend: 'ramster' }, [{ op: 'anon', page: 1, write: true, t: T }]), profiles: ['ssd'], baseline: false });
    const rs = Object.values(r.runs[0]!.backend.debugfs).find((d) => 'remotify_runs' in d)!;
    // the remotify worker: first due remotify_first_delay_s (60 s) after load, then every REMOTIFY_INTERVAL_S (1 s)
    // after a run (an idle run takes no time)
    expect(rs['remotify_runs']).toBe(Math.floor((T * 1000 - 60e9) / 1e9) + 1);
    expect(r.runs[0]!.backend.oracle.lost + r.runs[0]!.backend.oracle.stale).toBe(0);
  });

  it('"slots": 4294967295 is refused before anything is allocated', async () => {
    const err = oneLine(await tmemsim('run', jsonl({ ram_pages: 2048 }, [{ op: 'swapon', type: 1, slots: 4294967295 }])));
    expect(err).toContain(`field 'slots': must be an integer 1..${LIMITS.maxSlots}`);
  });

  it('swap areas adding up past 2^26 slots are refused, in the header and by a swapon', async () => {
    const a = oneLine(await tmemsim('run', jsonl({ ram_pages: 2048, swap: [{ type: 0, slots: LIMITS.maxSlots }, { type: 1, slots: 1 }] }, [])));
    expect(a).toContain(`at most ${LIMITS.maxSlots} slots over all swap areas`);
    const b = oneLine(await tmemsim('run', jsonl({ ram_pages: 2048, swap: [{ type: 0, slots: LIMITS.maxSlots }] }, [{ op: 'swapon', type: 1, slots: 1 }])));
    expect(b).toContain("event #0, field 'slots'");
  });

  it('a .tmtb time or rmmod rate of +Infinity is refused as corrupt (exit 2, one line)', async () => {
    const header: TraceHeader = { format: 'tmemsim-trace', version: 1, config: { ram_pages: 2048, backend: 'zcache' } };
    const mk = (events: TraceEvent[], from: number): string => {
      const p = path.join(dir, `t${n++}.tmtb`);
      const fd = fs.openSync(p, 'w');
      writeTmtb(fd, header, events);
      fs.closeSync(fd);
      const b = fs.readFileSync(p);
      const pat = Buffer.alloc(8);
      pat.writeDoubleLE(from);
      const at = b.indexOf(pat);
      expect(at).toBeGreaterThan(0);
      b.writeDoubleLE(Infinity, at);
      fs.writeFileSync(p, b);
      return p;
    };
    const t = oneLine(await tmemsim('run', mk([{ op: 'anon', page: 1, write: true, t: 0.25 }], 0.25)));
    expect(t).toMatch(/time Infinity is not a number in 0\.\.9007199254740/);
    const r = oneLine(await tmemsim('run', mk([{ op: 'rmmod', strategy: 'zombie', rate: 1000.5 }], 1000.5)));
    expect(r).toMatch(/rate Infinity is not a number in \(0, 1000000000000\]/);
    for (const f of [mk([{ op: 'anon', page: 1, write: true, t: 0.25 }], 0.25)]) {
      const c = await tmemsim('trace', 'convert', f, path.join(dir, `c${n++}.jsonl`));
      expect(c.code).toBe(2);
    }
  });

  it('insmod of a backend that does not exist is bad input even while another is loaded', async () => {
    const err = oneLine(await tmemsim('run', jsonl({ ram_pages: 2048, backend: 'zcache' }, [{ op: 'insmod', backend: 'nope' }])));
    expect(err).toContain("unknown backend 'nope'");
  });

  it('ram_mb below one page is refused, not a machine of 0 pages', async () => {
    expect(oneLine(await tmemsim('run', jsonl({ ram_mb: 1e-9 }, [])))).toContain('less than one 4096-byte page');
  });

  it('1e999 (Infinity) reads as Infinity in the error, not null', async () => {
    const p = path.join(dir, `t${n++}.jsonl`);
    fs.writeFileSync(p, '{"format":"tmemsim-trace","version":1,"config":{"ram_pages":2048}}\n{"op":"rmmod","rate":1e999}\n');
    expect(oneLine(await tmemsim('run', p))).toContain('got Infinity');
  });
});
