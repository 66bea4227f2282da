/**
 * `android-app-switch`: an Android phone switching between apps under
 * memory pressure.
 *
 *   apps A1..An, each with its own anonymous heap (Java/ART heap and native
 *   malloc, pid = 100 + i) and its own code (APK dex/oat and .so pages: file
 *   inode 100 + i on fs 1)
 *   loop:
 *     the user brings an app to the foreground: most often one of the last
 *     few used (a geometric draw over the recency list), sometimes another;
 *     first launch: read its code, write its whole heap (allocation);
 *     a session: `session` touches of its heap, `hot` of the heap taking 80 %
 *     of them, `write` of them writes; one in ten touches reads its code
 *     the RAM (ram-mb) is smaller than the apps' heaps together, so the
 *     background apps' heaps are reclaimed (swapped out through frontswap)
 *     while another app runs, and come back in at the next switch to them
 *   the clock: a switch every 1-4 s (think time), events within a session
 *   back to back.
 *
 * Content. Anonymous pages (writes carry their class): heap 0.65, zero 0.12,
 * text 0.10 (string data), code 0.06 (JIT code cache), random 0.07 (already
 * compressed images and media buffers). Code pages read from flash (the
 * header's content.default): code 0.7, text 0.2, zero 0.1.
 * Calibration target, lz4 on 4 KiB pages of anonymous memory:
 *   - zram with lz4 compressing 1.1 GiB of real memory: ratio 2.582; fio
 *     4 KiB random reads through zram with lz4: 2.63 (Zram Performance
 *     Analysis, news.cgast.org/news/31091, via
 *     shared/reference/peers-and-numbers.md section B);
 *   - Ariadne (HPCA'25, arXiv 2502.12826, Pixel 7, Android 14) compresses
 *     Android apps' anonymous memory with LZ4 in ZRAM and reports relaunch
 *     and CPU figures, not a ratio: it sets the shape (per-app working sets,
 *     relaunch after reclaim), not the number.
 * Measured (test/unit/trace/generators.test.ts: lz4 on the pages of the
 * first 20000 events, default parameters, seed 1; total bytes ratio):
 * anonymous pages 2.60, code pages 2.04.
 */

import type { TraceEvent } from '../events.js';
import { anonData, anonTouch, between, param, zcacheConfig, type TraceGenerator } from './generator.js';

/** Mix of the anonymous pages the apps write. */
const ANDROID_ANON_MIX = { heap: 0.65, zero: 0.12, text: 0.1, code: 0.06, random: 0.07 } as const;
/** Mix of the apps' code pages (read from flash). */
const ANDROID_FILE_MIX = { code: 0.7, text: 0.2, zero: 0.1 } as const;

export const ANDROID_APP_SWITCH: TraceGenerator = {
  name: 'android-app-switch',
  description: 'apps with their own heaps and code take turns in the foreground; background heaps are swapped out under low RAM and faulted back in',
  params: [
    param('apps', 6, 1, 64, 'number of apps'),
    param('heap-pages', 1500, 16, 1 << 20, 'mean anonymous heap of an app, in 4 KiB pages (each app draws 0.5x..1.5x)'),
    param('code-pages', 200, 1, 1 << 20, 'mean code pages of an app (file pages)'),
    param('session', 600, 1, 1 << 24, 'heap touches per foreground session'),
    param('hot', 0.2, 0.01, 1, 'fraction of an app\'s heap that takes 80 % of its touches', false),
    param('write', 0.25, 0, 1, 'fraction of touches that write', false),
    param('ram-mb', 24, 1, 1 << 20, 'simulated RAM in MiB'),
    param('recent', 0.6, 0, 1, 'probability that the next app is the most recently used one not in the foreground (else the next most recent, and so on)', false),
  ],
  header(p) {
    const apps = p.apps!;
    const description = `generated android-app-switch: ${apps} apps, ${p['ram-mb']} MiB RAM, zcache on frontswap`;
    return {
      config: zcacheConfig(description, p['ram-mb']!, ['mobile', 'ssd'], apps * p['heap-pages']! * 1.5 * 1.25, { swappiness: 100 }),
      content: { default: { ...ANDROID_FILE_MIX } },
    };
  },
  *events(p, rng, ctx) {
    const n = p.apps!;
    const apps = Array.from({ length: n }, (_, i) => ({
      pid: 100 + i,
      inode: 100 + i,
      heap: Math.max(8, Math.round(p['heap-pages']! * (0.5 + rng.next()))),
      code: Math.max(1, Math.round(p['code-pages']! * (0.5 + rng.next()))),
      launched: false,
    }));
    /** App indices, most recently used first. */
    const recency: number[] = [];
    let t = 0;
    let fg = -1;
    for (;;) {
      // The next foreground app: a launch of one never run while some are left, else a recency draw.
      let next: number;
      const fresh = apps.findIndex((a) => !a.launched);
      if (fresh >= 0 && (recency.length < 2 || rng.next() < 0.5)) next = fresh;
      else {
        const others = recency.filter((i) => i !== fg);
        let k = 0;
        while (k < others.length - 1 && rng.next() >= p.recent!) k++;
        next = others.length > 0 ? others[k]! : fresh >= 0 ? fresh : 0;
      }
      fg = next;
      const app = apps[next]!;
      const at = recency.indexOf(next);
      if (at >= 0) recency.splice(at, 1);
      recency.unshift(next);
      t += between(rng, 1_000_000, 4_000_000);
      // The switch: the app's first code page at the switch time, then its code as it runs.
      yield { op: 'file', fs: 1, inode: app.inode, index: 0, t } satisfies TraceEvent;
      if (!app.launched) {
        for (let i = 1; i < app.code; i++) yield { op: 'file', fs: 1, inode: app.inode, index: i };
        for (let pg = 0; pg < app.heap; pg++) yield { op: 'anon', pid: app.pid, page: pg, write: true, data: anonData(rng, ANDROID_ANON_MIX, ctx) };
        app.launched = true;
      }
      const hot = Math.max(1, Math.floor(app.heap * p.hot!));
      for (let k = 0; k < p.session!; k++) {
        if (rng.int(10) === 0) {
          yield { op: 'file', fs: 1, inode: app.inode, index: rng.int(app.code) };
          continue;
        }
        const page = rng.next() < 0.8 ? rng.int(hot) : rng.int(app.heap);
        yield anonTouch(rng, app.pid, page, p.write!, ANDROID_ANON_MIX, ctx);
      }
    }
  },
};
