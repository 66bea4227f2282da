/**
 * Unloading a backend (rmmod): the strategies the seed documents propose
 * (../shared/seeds/000_*, 003_*), one function each, registered by name. The
 * kernel never merged unloading; these are tmemsim's, built on the kernel's
 * own mechanisms (frontswap_shrink's try_to_unuse, cleancache flushes).
 *
 *   flush:        every cleancache page dropped (charged per page); every
 *                 frontswap page loaded and moved into RAM while there is room
 *                 above the high watermark, else written to the swap device;
 *                 then unregister. Synchronous: rmmod takes that long.
 *   zombie:       unregister at once; the old backend's pages go on zombie
 *                 lists that a worker drains at `rate` pages per simulated
 *                 second (swap pages first, repatriated as above; then
 *                 cleancache pages, freed). Until drained a swap page is still
 *                 loadable (it is repatriated first); a cleancache page misses.
 *   writethrough: frontswap ran in writethrough mode, so every swap page is
 *                 also on the swap device: unloading only drops memory. The
 *                 steady-state cost is the extra device writes of the run.
 *   refuse:       rmmod fails (busy) while the backend holds pages: the
 *                 kernel's historical behaviour.
 */

import type { Backend } from '../backends/backend.js';
import { UsageError, acceptedList } from '../errors.js';
import type { CostMeter } from '../cost/meter.js';
import type { Cleancache } from '../frontends/cleancache.js';
import type { Frontswap } from '../frontends/frontswap.js';
import { Loc, type Oracle } from './oracle.js';
import { slotKey, slotType } from '../mm/swap.js';

export interface LifecycleRecord {
  event: number;
  t_ns: number;
  op: 'insmod' | 'rmmod';
  backend: string;
  strategy: string;
  /** ok; refused (rmmod busy); EEXIST (insmod while loaded); ENOENT (rmmod with nothing loaded). */
  outcome: 'ok' | 'refused' | 'EEXIST' | 'ENOENT';
  pages_dropped: number;
  pages_to_ram: number;
  pages_to_disk: number;
  /** Simulated time rmmod itself took (CPU + device waits), ns. */
  duration_ns: number;
  cpu_ns: number;
  swap_writes: number;
  swap_reads: number;
  /** When a zombie backend was fully drained (null: not a zombie, or not drained by the end). */
  drained_ns: number | null;
  /** Counters at the event, for hit ratios before and after it. */
  snapshot: LifecycleSnapshot;
}

export interface LifecycleSnapshot {
  swap_ins: number;
  swap_ins_tmem: number;
  cc_gets: number;
  cc_hits: number;
  fs_loads: number;
}

/**
 * What an rmmod strategy and a zombie drain need of the machine (Machine
 * implements it): the frontends, the oracle, the meter, and the machine's own
 * repatriate and unregister steps.
 */
export interface LifecycleHost {
  readonly frontswap: Frontswap;
  readonly cleancache: Cleancache;
  readonly oracle: Oracle;
  readonly meter: CostMeter;
  /** Simulated time, ns. */
  readonly clock: number;
  /** Brings one frontswap page back to RAM (else to disk); where it went. */
  repatriate(type: number, off: number): Loc;
  unregisterBackend(b: Backend, zombie?: Zombie): void;
}

/** Cycles to free one page held by a backend while unloading (tree delete, allocator free) [I]. */
export const UNLOAD_FREE_CYCLES = 500;
/** Default zombie drain rate, pages per simulated second [I]: a kernel thread doing a few µs per page with pauses. */
export const DEFAULT_ZOMBIE_RATE = 20000;

interface RmmodStrategy {
  readonly name: string;
  readonly description: string;
  /** Unload `b` from `m`, filling `rec`. Returns false when rmmod fails (the backend stays). */
  run(m: LifecycleHost, b: Backend, rec: LifecycleRecord, opts: { rate: number }): boolean;
}

/** Repatriate every frontswap page of the registered backend. */
function repatriateAll(m: LifecycleHost, rec: LifecycleRecord): void {
  for (const type of m.frontswap.activeTypes()) {
    for (const off of [...m.frontswap.setOffsets(type)]) {
      const where = m.repatriate(type, off);
      if (where === Loc.Ram) rec.pages_to_ram++;
      else if (where === Loc.Disk) rec.pages_to_disk++;
    }
  }
}

/** Unload now: the pages the backend still holds are dropped (freed at UNLOAD_FREE_CYCLES each). */
function dropAndUnload(m: LifecycleHost, b: Backend, rec: LifecycleRecord): true {
  rec.pages_dropped = b.storedPages();
  m.meter.meta(rec.pages_dropped * UNLOAD_FREE_CYCLES);
  m.unregisterBackend(b);
  return true;
}

const flush: RmmodStrategy = {
  name: 'flush',
  description: 'drop cleancache, repatriate every swap page (RAM, else disk), then unload',
  run(m, b, rec) {
    repatriateAll(m, rec);
    return dropAndUnload(m, b, rec);
  },
};

const zombie: RmmodStrategy = {
  name: 'zombie',
  description: 'unload at once; a worker drains the old pages at a set rate (swap pages stay loadable)',
  run(m, b, rec, opts) {
    const z = new Zombie(b, rec, opts.rate, m.clock);
    for (const type of m.frontswap.activeTypes()) {
      for (const off of [...m.frontswap.setOffsets(type)]) {
        z.adopt(type, off);
        m.frontswap.forget(type, off);
      }
    }
    z.ccPages = b.storedPages() - z.swapPages;
    for (const fs of m.cleancache.mountedFs()) {
      const fake = m.cleancache.poolidOf(fs);
      if (fake !== undefined && fake >= 0) z.ccPools.set(fs, m.cleancache.realPoolid(fake));
    }
    m.unregisterBackend(b, z);
    return true;
  },
};

const writethrough: RmmodStrategy = {
  name: 'writethrough',
  description: 'frontswap ran in writethrough mode: every swap page is on disk too, so unloading drops memory',
  run(m, b, rec) {
    if (!m.frontswap.writethrough) {
      throw new UsageError('rmmod strategy writethrough needs frontswap in writethrough mode', { field: 'strategy' },
        'config.frontswap_writethrough: true, or --rmmod-strategy writethrough');
    }
    for (const type of m.frontswap.activeTypes()) {
      for (const off of [...m.frontswap.setOffsets(type)]) {
        m.frontswap.forget(type, off);
        m.oracle.slotMoved(type, off, m.oracle.slotLoc(type, off) & ~Loc.Tmem);
      }
    }
    return dropAndUnload(m, b, rec);
  },
};

const refuse: RmmodStrategy = {
  name: 'refuse',
  description: 'fail (busy) while the backend holds pages, as the kernel did',
  run(m, b, rec) {
    if (b.storedPages() > 0) {
      rec.outcome = 'refused';
      return false;
    }
    m.unregisterBackend(b);
    return true;
  },
};

const RMMOD_STRATEGIES: ReadonlyMap<string, RmmodStrategy> = new Map([flush, zombie, writethrough, refuse].map((s) => [s.name, s]));

export function getRmmodStrategy(name: string, field = 'strategy'): RmmodStrategy {
  const s = RMMOD_STRATEGIES.get(name);
  if (!s) throw new UsageError(`unknown rmmod strategy '${name}'`, { field }, acceptedList(RMMOD_STRATEGIES.keys()));
  return s;
}

/**
 * An unloaded backend whose pages are still being drained. Swap slots it
 * holds are packed as type * 2^32 + offset.
 */
export class Zombie {
  private readonly queue: number[] = [];
  private readonly held = new Set<number>();
  private head = 0;
  ccPages = 0;
  private credit = 0;
  private last: number;

  constructor(
    readonly backend: Backend,
    readonly rec: LifecycleRecord,
    readonly rate: number,
    now: number,
  ) {
    this.last = now;
  }

  get swapPages(): number {
    return this.held.size;
  }

  get done(): boolean {
    return this.held.size === 0 && this.ccPages <= 0;
  }

  adopt(type: number, off: number): void {
    const s = slotKey(type, off);
    this.queue.push(s);
    this.held.add(s);
  }

  holds(type: number, off: number): boolean {
    return this.held.has(slotKey(type, off));
  }

  /** The slot was rewritten or freed: the zombie's copy is stale, drop it. */
  drop(type: number, off: number): void {
    if (this.held.delete(slotKey(type, off))) this.backend.frontswap?.invalidatePage(type, off);
  }

  /**
   * frontswap_invalidate_area (or swapoff) of `type`: every slot of the area
   * the zombie still holds is dropped, as the live backend's are
   * (invalidate_area of the old backend), so a reused slot never reads a
   * previous owner's bytes. Returns the slots dropped.
   */
  dropArea(type: number): number {
    let n = 0;
    for (const s of this.held) {
      if (slotType(s) === type) {
        this.held.delete(s);
        n++;
      }
    }
    if (n > 0) this.backend.frontswap?.invalidateArea(type);
    return n;
  }

  /**
   * The old backend's cleancache pool of each filesystem mounted at rmmod
   * (fs → real pool id), so umount and invalidate_fs purge its pages too.
   */
  readonly ccPools = new Map<number, number>();

  /** umount or cleancache_invalidate_fs of `fs`: the old backend destroys the fs's pool (its pages are freed, not drained). */
  dropFs(fs: number): void {
    const pool = this.ccPools.get(fs);
    if (pool === undefined) return;
    this.ccPools.delete(fs);
    const cc = this.backend.cleancache;
    if (!cc || pool < 0) return;
    const before = this.backend.storedPages();
    cc.invalidateFs(pool);
    const freed = before - this.backend.storedPages();
    this.ccPages = Math.max(0, this.ccPages - freed);
  }

  /** Take the slot out (it is being repatriated now). */
  take(type: number, off: number): boolean {
    return this.held.delete(slotKey(type, off));
  }

  /** Pages the worker may drain by `now`. */
  budget(now: number): number {
    this.credit += ((now - this.last) / 1e9) * this.rate;
    this.last = now;
    const n = Math.floor(this.credit);
    this.credit -= n;
    return n;
  }

  /** The next held slot in the drain order, or -1. */
  next(): number {
    while (this.head < this.queue.length) {
      const s = this.queue[this.head++]!;
      if (this.held.has(s)) return s;
    }
    return -1;
  }
}
