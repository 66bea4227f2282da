/**
 * A registered shrinker as shrink_slab drives it (TL:mm/vmscan.c do_shrink_slab,
 * 5.x–6.1), for backends that register one (zsmalloc's zs_shrinker, registered
 * by zs_create_pool since 4.1).
 *
 *   freeable = count_objects(); 0 → nothing
 *   nr = nr_deferred (taken)
 *   delta = (freeable >> priority) * 4 / seeks          (seeks = DEFAULT_SEEKS = 2)
 *   total_scan = min((nr >> priority) + delta, 2 * freeable)
 *   while total_scan >= batch (SHRINK_BATCH = 128) or total_scan >= freeable:
 *     nr_to_scan = min(batch, total_scan); ret = scan_objects(nr_to_scan)
 *     ret == SHRINK_STOP → stop; freed += ret; total_scan -= nr_to_scan; scanned += nr_to_scan
 *   nr_deferred = min(max(nr + delta - scanned, 0), 2 * freeable)
 *
 * The 6.1 reclaim passes each shrink_node's priority in the shrink control
 * (LruSizes.priority); without one (the 3.x reclaim), DEF_PRIORITY (12).
 * Not modelled: per-node and per-memcg deferred counts (one count), SHRINKER_NONSLAB.
 */

import { DEF_PRIORITY } from '../mm/reclaim/reclaim.js';

/** SHRINK_BATCH. */
const SHRINK_BATCH = 128;
/** DEFAULT_SEEKS. */
const DEFAULT_SEEKS = 2;
/** scan_objects' "no progress, stop". */
export const SHRINK_STOP = -1;

interface ShrinkerOps {
  /** count_objects: freeable objects (0: nothing to do). */
  count(): number;
  /** scan_objects: objects freed, or SHRINK_STOP. */
  scan(nrToScan: number): number;
}

export class Shrinker {
  /** nr_deferred: scan work owed from earlier calls. */
  nrDeferred = 0;
  /** Calls that found something to count, scan_objects calls, objects freed. */
  calls = 0;
  scans = 0;
  freed = 0;

  /** zs_shrinker's seeks and batch are the defaults (DEFAULT_SEEKS, SHRINK_BATCH), as every shrinker here. */
  constructor(private readonly ops: ShrinkerOps) {}

  /** do_shrink_slab at `priority`: returns the objects freed. */
  run(priority: number = DEF_PRIORITY): number {
    const freeable = this.ops.count();
    if (freeable <= 0) return 0;
    this.calls++;
    const nr = this.nrDeferred;
    this.nrDeferred = 0;
    const delta = Math.floor((Math.floor(freeable / 2 ** priority) * 4) / DEFAULT_SEEKS);
    let totalScan = Math.min(Math.floor(nr / 2 ** priority) + delta, 2 * freeable);
    let freed = 0;
    let scanned = 0;
    while (totalScan >= SHRINK_BATCH || totalScan >= freeable) {
      const n = Math.min(SHRINK_BATCH, totalScan);
      const ret = this.ops.scan(n);
      this.scans++;
      if (ret === SHRINK_STOP) break;
      freed += ret;
      totalScan -= n;
      scanned += n;
    }
    this.nrDeferred = Math.min(Math.max(nr + delta - scanned, 0), 2 * freeable);
    this.freed += freed;
    return freed;
  }
}
