/**
 * The 3.x-era reclaim tmemsim has always had (for the zcache, RAMster and
 * Xen tmem eras, Linux 3.8-3.11): one strict LRU per type (anon, file),
 * an access moves a page to the MRU end, and evictions are shared between
 * the types by a deterministic credit scheme weighted by swappiness.
 * Watermarks as 3.x's init_per_zone_wmark_min / __setup_per_zone_wmarks:
 * min_free_kbytes = clamp(sqrt(16 * lowmem_kbytes), 128, 65536), low = 5/4 min,
 * high = 3/2 min. A fault reclaims directly to the high mark when free memory
 * is at the min mark; kswapd reclaims to the high mark when below the low mark.
 *
 * Swap writes of one reclaim pass go out under a block plug, as under
 * shrink_zone's (adjacent slots merge into one request, Machine.swapPlug).
 * Deviation: the plug goes out early by 6.1's rule (a request that cannot
 * merge, with 32 requests held or a last one of 128 KiB); 3.x's block layer
 * flushed at BLK_MAX_REQUEST_COUNT 16 requests and had no size rule (4.10).
 *
 * Deviations from 3.x: no active/inactive split (no second chance, no
 * referenced bits), the credit scheme instead of get_scan_count, one zone;
 * a page written to the swap device is freed at once (writeback completes
 * synchronously). 3.x writes asynchronously as 6.1 does (mm/page_io.c of
 * 3.5: swap_writepage sets writeback and submits the bio; shrink_page_list
 * keeps a page under writeback and end_page_writeback rotates it to the
 * inactive tail with rotate_reclaimable_page); the 6.1 model keeps such
 * pages resident (linux-6.1.ts), this one does not, so the 3.x eras'
 * figures stay as they were.
 */

import type { LruSizes } from '../../backends/backend.js';
import { LruLists } from '../lru.js';
import { ANON, Evicted, FILE, type LruType, type Reclaim, type ReclaimFactory, type ReclaimHost, type Watermarks, type ZoneLayout } from './reclaim.js';

function wmark3x(ramPages: number): Watermarks {
  const minKb = Math.min(65536, Math.max(128, Math.floor(Math.sqrt(ramPages * 4 * 16))));
  const min = Math.ceil(minKb / 4);
  return { min, low: Math.ceil((min * 5) / 4), high: Math.ceil((min * 3) / 2) };
}

/** Pages at the file list's LRU end whose lines reclaim reads ahead at a time (speed only). */
const WARM_BATCH = 32;

class Lru3x implements Reclaim {
  readonly name = 'lru-3x';
  /** No swap readahead (tmemsim's earlier model; 3.x itself read page_cluster-sized clusters). */
  readonly pageCluster = 0;
  /** 3.x's do_wp_page: reuse_swap_page frees the swap slot of a page written after a read fault. */
  readonly anonExclusive = false;
  /** 3.x's __delete_from_swap_cache leaves no shadow: the swap cache holds pages only. */
  readonly swapCacheShadows = false;
  readonly swapSlotsCache = false;
  /** Writeback completes synchronously in this model (see the header). */
  readonly asyncWriteback = false;
  readonly wmark: Watermarks;
  private readonly lru = new LruLists(2);
  private anonCredit = 0;
  private readonly warmIds = new Int32Array(WARM_BATCH);
  private fileCredit = 0;
  /** The layout's highest zone: the one zone of this model. */
  private readonly topZone: number;

  constructor(private readonly host: ReclaimHost, ramPages: number, private readonly swappiness: number, layout?: ZoneLayout) {
    this.wmark = wmark3x(ramPages);
    this.topZone = layout ? layout.managed.length - 1 : 0;
  }

  ensure(n: number): void {
    this.lru.ensure(n);
  }
  added(id: number, type: LruType): void {
    this.lru.push(type, id);
  }
  accessed(id: number): void {
    this.lru.touch(id);
  }
  removed(id: number): void {
    this.lru.remove(id);
  }
  /** Never called: the host frees a written page at once (asyncWriteback false). */
  writebackEnd(): void {}
  testClearReclaim(): boolean {
    return false;
  }
  /** The write completes at once here: end_page_writeback's rotate_reclaimable_page puts the page next in line. */
  zswapWriteDone(id: number): void {
    this.lru.remove(id);
    this.lru.pushHead(ANON, id);
  }

  sizes(): LruSizes {
    // No active/inactive split: every page counts as inactive.
    return { activeFile: 0, inactiveFile: this.lru.sizes[FILE]!, activeAnon: 0, inactiveAnon: this.lru.sizes[ANON]! };
  }
  resident(type: LruType): number {
    return this.lru.sizes[type]!;
  }
  /** One zone in 3.x's model: every page comes from the highest zone of the layout. */
  allocate(): number {
    if (this.host.free <= this.wmark.min) this.reclaim(this.wmark.high, true);
    if (this.host.free <= 0) this.host.stats.ram_overcommit++;
    return this.topZone;
  }
  allocKernel(reserves: boolean): number {
    return this.host.free - 1 < (reserves ? 0 : this.wmark.min) ? -1 : this.topZone;
  }
  kswapd(): void {
    if (this.host.free >= this.wmark.low) return;
    this.host.kswapdRun(true);
    this.reclaim(this.wmark.high, false);
    this.host.kswapdRun(false);
  }
  setRam(): void {
    this.kswapd();
  }

  /** Reclaim until `target` pages are free or nothing more can be reclaimed; `direct`: by the allocating task (else kswapd). */
  private reclaim(target: number, direct: boolean): void {
    const h = this.host;
    if (direct) h.stats.allocstall++;
    else h.stats.pageoutrun++;
    let reclaimed = 0;
    // shrink_slab: registered shrinkers (zcache's cleancache shrinker) run with every reclaim pass.
    h.shrinkSlab(target - h.free, this.sizes());
    if (h.free >= target) return;
    let anonStuck = false;
    // Each page taken off an LRU end costs the profile's mm.scanCycles (no call when there is none).
    const chargeScans = h.scanCharged;
    let guard = this.lru.sizes[ANON]! + this.lru.sizes[FILE]! + 1;
    // shrink_zone's block plug (3.x: blk_start_plug .. blk_finish_plug around the list walks):
    // swap writes to adjacent slots merge.
    h.plug(true);
    let warmed = 0;
    while (h.free < target && guard-- > 0) {
      if (warmed === 0) {
        // The next pages at the file list's LRU end, read ahead together (speed only).
        const n = this.lru.peekFront(FILE, this.warmIds, Math.min(target - h.free, WARM_BATCH));
        h.warmEvict(this.warmIds, FILE, n);
        warmed = WARM_BATCH;
      }
      warmed--;
      const haveAnon = !anonStuck && this.lru.sizes[ANON]! > 0;
      const haveFile = this.lru.sizes[FILE]! > 0;
      if (!haveAnon && !haveFile) break;
      this.anonCredit += this.swappiness;
      this.fileCredit += 200 - this.swappiness;
      let useAnon: boolean;
      if (!haveFile) useAnon = true;
      else if (!haveAnon) useAnon = false;
      else useAnon = this.anonCredit >= this.fileCredit;
      if (useAnon) {
        this.anonCredit -= 200;
        const id = this.lru.head(ANON);
        if (chargeScans) h.scanPage();
        if (h.evict(id, ANON, -1) !== Evicted.Refused) {
          this.lru.remove(id);
          reclaimed++;
        } else anonStuck = true;
      } else {
        this.fileCredit -= 200;
        const id = this.lru.head(FILE);
        if (chargeScans) h.scanPage();
        h.evict(id, FILE, -1);
        this.lru.remove(id);
        reclaimed++;
      }
    }
    h.plug(false);
    if (direct) h.stats.pgsteal_direct += reclaimed;
    else h.stats.pgsteal_kswapd += reclaimed;
  }
}

export const lru3x: ReclaimFactory = {
  name: 'lru-3x',
  create: (host, ramPages, swappiness, layout) => new Lru3x(host, ramPages, swappiness, layout),
};
