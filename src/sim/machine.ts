/**
 * The simulated machine: the kernel layers between a trace and a backend.
 *
 *   swap_writepage(slot, page):  frontswap_store()==0 ? done : write the swap device
 *   swap_readpage(slot):         frontswap_load()==0 ? done : read the swap device
 *   swap slot freed:             frontswap_invalidate_page
 *   page-cache miss:             cleancache_get()==0 ? done : read the filesystem
 *   clean page evicted:          cleancache_put
 *
 * Every store, put and write is stamped by the oracle; every successful load
 * and get is checked by it. The backend's pool pages come out of the same
 * simulated RAM (Memory) that the workload's pages live in.
 */

import type { Backend, BackendEnv, BackendFactory, VmInfo } from '../backends/backend.js';
import { resolveParams } from '../backends/params.js';
import type { CompressionService } from '../compressors/service.js';
import { newPage, newPageOut, type Page, type PageOut } from '../content/page.js';
import type { ContentSource } from '../content/source.js';
import { CostMeter, type CostModel, type CostTotals } from '../cost/meter.js';
import { Cleancache } from '../frontends/cleancache.js';
import { Frontswap, LoadResult } from '../frontends/frontswap.js';
import { Memory } from '../mm/memory.js';
import { SwapDevices } from '../mm/swap.js';
import type { ParamMap } from '../trace/events.js';
import { Loc, Oracle } from './oracle.js';

/**
 * Kernel work outside tmem, charged in both passes so the baseline has a CPU
 * cost too. Estimates [I]: a minor fault with page allocation and mapping is
 * roughly 1-2 µs of kernel time on x86 (~3000 cycles); reclaiming one page
 * (LRU isolation, unmapping, freeing) roughly 1000 cycles.
 */
export const FAULT_CYCLES = 3000;
export const RECLAIM_CYCLES = 1000;

export interface MachineOptions {
  ramPages: number;
  swappiness: number;
  verifyBytes: boolean;
  writethrough: boolean;
  content: ContentSource;
  compression: CompressionService;
  costModel: CostModel;
  /** Resolves a backend name (the registry). */
  backendFactory: (name: string) => BackendFactory;
}

/** Kernel-side counters (vmstat-like names where the kernel has one). */
export interface MachineStats {
  pswpout: number;
  pswpin: number;
  swap_outs: number;
  swap_ins: number;
  swap_ins_frontswap: number;
  swap_ins_ram: number;
  swap_reads_unbacked: number;
  pgcache_hits: number;
  pgcache_misses: number;
  pgcache_gets_cleancache: number;
  pgsteal_anon: number;
  pgsteal_file: number;
  writeback_pages: number;
  anon_faults: number;
  zero_page_maps: number;
  swap_full_events: number;
  ram_overcommit: number;
  frontswap_shrunk_pages: number;
  tmem_written_back: number;
}

export interface LifecycleRecord {
  event: number;
  t_ns: number;
  op: 'insmod' | 'rmmod';
  backend: string;
  strategy: string;
  outcome: 'ok' | 'refused';
  pages_dropped: number;
  pages_to_ram: number;
  pages_to_disk: number;
  duration_ns: number;
  cpu_ns: number;
  swap_writes: number;
}

export class Machine implements BackendEnv {
  readonly meter: CostMeter;
  readonly oracle: Oracle;
  readonly frontswap = new Frontswap();
  readonly cleancache = new Cleancache();
  readonly swap = new SwapDevices();
  readonly memory: Memory;
  readonly content: ContentSource;
  readonly compression: CompressionService;
  readonly ramPages: number;
  readonly verifyBytes: boolean;
  readonly stats: MachineStats = {
    pswpout: 0, pswpin: 0, swap_outs: 0, swap_ins: 0, swap_ins_frontswap: 0, swap_ins_ram: 0,
    swap_reads_unbacked: 0, pgcache_hits: 0, pgcache_misses: 0, pgcache_gets_cleancache: 0,
    pgsteal_anon: 0, pgsteal_file: 0, writeback_pages: 0, anon_faults: 0, zero_page_maps: 0,
    swap_full_events: 0, ram_overcommit: 0, frontswap_shrunk_pages: 0, tmem_written_back: 0,
  };
  readonly lifecycle: LifecycleRecord[] = [];
  backend: Backend | null = null;
  /** Pool pages handed out by allocPage. */
  poolPages = 0;
  peakPoolPages = 0;
  /** Simulated time, ns. */
  clock = 0;
  /** Index of the event being run (for records). */
  eventIndex = 0;
  private readonly page: Page = newPage();
  private readonly out: PageOut = newPageOut();

  constructor(private readonly opts: MachineOptions) {
    this.meter = new CostMeter(opts.costModel);
    this.oracle = new Oracle(opts.verifyBytes);
    this.content = opts.content;
    this.compression = opts.compression;
    this.ramPages = opts.ramPages;
    this.verifyBytes = opts.verifyBytes;
    this.frontswap.writethrough = opts.writethrough;
    this.memory = new Memory(this, opts.ramPages, opts.swappiness);
  }

  // ---- BackendEnv -------------------------------------------------------------
  now(): number {
    return this.clock;
  }
  allocPage(): boolean {
    if (this.memory.free - 1 < this.memory.minWmark) return false;
    this.poolPages++;
    if (this.poolPages > this.peakPoolPages) this.peakPoolPages = this.poolPages;
    return true;
  }
  freePage(): void {
    this.poolPages--;
  }
  frontswapCurrPages(): number {
    return this.frontswap.currPages();
  }
  frontswapShrink(target: number): { toRam: number; toDisk: number } {
    const moved = { toRam: 0, toDisk: 0 };
    const total = this.frontswap.currPages();
    if (total <= target) return moved;
    const n = total - target;
    // The first swap area in list order that passes security_vm_enough_memory(pages).
    for (const type of this.swap.types()) {
      const pages = this.frontswap.pages(type);
      if (pages === 0) continue;
      const want = n < pages ? n : pages;
      // __vm_enough_memory in the default OVERCOMMIT_GUESS mode: pages <= totalram + swap.
      if (want > this.memory.ramPages + this.swap.totalSlots()) continue;
      let done = 0;
      for (const off of [...this.frontswap.setOffsets(type)]) {
        if (done >= want) break;
        const where = this.repatriate(type, off);
        if (where === Loc.Ram) moved.toRam++;
        else if (where === Loc.Disk) moved.toDisk++;
        done++;
      }
      this.stats.frontswap_shrunk_pages += done;
      break;
    }
    return moved;
  }
  swapWriteback(type: number, offset: number): boolean {
    if (this.memory.slotOwnerResident(type, offset)) return false;
    this.meter.io('swap', 'write');
    this.stats.pswpout++;
    this.stats.tmem_written_back++;
    this.oracle.slotMoved(type, offset, Loc.Disk);
    return true;
  }
  vm(): VmInfo {
    const mem = this.memory;
    return { totalram: mem.ramPages, maxram: this.ramPages, committedAs: mem.committedAnon, totalreserve: mem.highWmark, free: mem.free };
  }
  setTotalram(pages: number): void {
    this.memory.setRamPages(pages);
  }

  // ---- time -------------------------------------------------------------------
  /** Advance the clock by the work charged since the last call, then to `t` if later. */
  advance(tNs = 0): void {
    this.clock += this.meter.takePendingNs();
    if (tNs > this.clock) this.clock = tNs;
    this.backend?.tick?.(this.clock);
  }

  // ---- backend lifecycle --------------------------------------------------------
  insmod(name: string, params: ParamMap): void {
    const factory = this.opts.backendFactory(name);
    const t0 = this.clock;
    const backend = factory.create(this, resolveParams(factory.name, factory.params, params));
    this.backend = backend;
    this.frontswap.register(backend);
    this.cleancache.register(backend);
    this.lifecycle.push({
      event: this.eventIndex, t_ns: t0, op: 'insmod', backend: name, strategy: '-', outcome: 'ok',
      pages_dropped: 0, pages_to_ram: 0, pages_to_disk: 0, duration_ns: 0, cpu_ns: 0, swap_writes: 0,
    });
  }

  /**
   * Unload the backend. `flush`: cleancache pages dropped, every frontswap
   * page repatriated through frontswap_shrink into RAM while there is room,
   * else to the swap device; `refuse`: fails while pages remain.
   */
  rmmod(strategy: string): void {
    const b = this.backend!;
    const t0 = this.clock;
    const cpu0 = this.meter.totals.cpuNs;
    const io0 = this.meter.totals.ioNs;
    const w0 = this.meter.totals.swapWrites;
    const rec: LifecycleRecord = {
      event: this.eventIndex, t_ns: t0, op: 'rmmod', backend: b.name, strategy, outcome: 'ok',
      pages_dropped: 0, pages_to_ram: 0, pages_to_disk: 0, duration_ns: 0, cpu_ns: 0, swap_writes: 0,
    };
    if (strategy === 'refuse' && b.storedPages() > 0) {
      rec.outcome = 'refused';
      this.lifecycle.push(rec);
      return;
    }
    rec.pages_dropped = b.storedPages() - this.frontswap.currPages();
    // frontswap_shrink(0): every frontswap page goes home.
    for (const type of this.frontswap.activeTypes()) {
      for (const off of [...this.frontswap.setOffsets(type)]) {
        const where = this.repatriate(type, off);
        if (where === Loc.Ram) rec.pages_to_ram++;
        else if (where === Loc.Disk) rec.pages_to_disk++;
      }
    }
    this.frontswap.unregister();
    this.cleancache.unregister();
    this.oracle.ccDropAll();
    this.backend = null;
    this.poolPages = 0;
    rec.cpu_ns = this.meter.totals.cpuNs - cpu0;
    rec.duration_ns = rec.cpu_ns + (this.meter.totals.ioNs - io0);
    rec.swap_writes = this.meter.totals.swapWrites - w0;
    this.lifecycle.push(rec);
  }

  /**
   * Move one frontswap page out of the backend (try_to_unuse of one slot):
   * load it, then into RAM if the memory model has room and a page owns the
   * slot, otherwise write it to the swap device. Returns where it went.
   */
  repatriate(type: number, off: number): Loc {
    const out = this.out;
    const r = this.frontswap.load(type, off, out);
    if (r === LoadResult.Miss) {
      this.oracle.loadMissed(type, off, 'could not be repatriated from frontswap');
      this.frontswap.forget(type, off);
      return Loc.None;
    }
    this.oracle.checkLoad(type, off, out);
    if (r === LoadResult.Hit) this.frontswap.invalidatePage(type, off);
    if (this.memory.takeBackSwapped(type, off)) return Loc.Ram;
    // No room in RAM (or no owner): write it to the swap device, keeping the slot.
    this.meter.io('swap', 'write');
    this.stats.pswpout++;
    this.oracle.slotMoved(type, off, Loc.Disk);
    return Loc.Disk;
  }

  // ---- swap layer ----------------------------------------------------------------
  /** Fill the scratch page for `desc`, stamped with a fresh tag. */
  private stamp(desc: number): Page {
    const p = this.page;
    p.desc = desc;
    this.content.fill(desc, p.bytes);
    p.tag = this.oracle.nextTag();
    return p;
  }

  /** swap_writepage of `desc` into slot (type, off). */
  swapWrite(type: number, off: number, desc: number): void {
    const p = this.stamp(desc);
    const hash = this.oracle.hashOf(p.bytes);
    const ok = this.frontswap.store(type, off, p);
    this.stats.swap_outs++;
    let loc = this.frontswap.test(type, off) ? Loc.Tmem : Loc.None;
    if (!ok) {
      this.meter.io('swap', 'write');
      this.stats.pswpout++;
      loc |= Loc.Disk;
    }
    this.oracle.slotStored(type, off, p.tag, hash, loc);
  }

  /**
   * swap_readpage of slot (type, off). Returns LoadResult.HitExclusive when
   * the page comes back dirty (its only copy is now in RAM).
   */
  swapRead(type: number, off: number): LoadResult {
    this.stats.swap_ins++;
    const out = this.out;
    const r = this.frontswap.load(type, off, out);
    if (r !== LoadResult.Miss) {
      this.stats.swap_ins_frontswap++;
      this.oracle.checkLoad(type, off, out);
      if (r === LoadResult.HitExclusive) this.oracle.slotMoved(type, off, Loc.Ram);
      return r;
    }
    const src = this.oracle.loadMissed(type, off, 'was stored in frontswap but the load failed');
    if (src === Loc.Ram) {
      this.stats.swap_ins_ram++;
      return LoadResult.Hit;
    }
    if (src === Loc.None) this.stats.swap_reads_unbacked++;
    this.meter.io('swap', 'read');
    this.stats.pswpin++;
    return LoadResult.Miss;
  }

  /** The swap slot's count dropped to zero. */
  swapFree(type: number, off: number): void {
    this.frontswap.invalidatePage(type, off);
    this.oracle.slotFreed(type, off);
    this.swap.get(type)?.free(off);
  }

  swapon(type: number, slots: number): void {
    this.swap.on(type, slots);
    this.oracle.swapon(type, slots);
    this.frontswap.init(type, slots);
  }

  /** swapoff: try_to_unuse reads every in-use slot back, then invalidate_area. */
  swapoff(type: number): void {
    this.memory.unuseArea(type);
    this.frontswap.swapoff(type);
    this.oracle.swapoff(type);
    this.swap.off(type);
  }

  // ---- page cache / cleancache -----------------------------------------------------
  /** A page-cache miss: cleancache_get, else a filesystem read. */
  fileRead(fs: number, inode: number, index: number): boolean {
    const out = this.out;
    this.stats.pgcache_misses++;
    if (this.cleancache.get(fs, inode, index, out)) {
      this.stats.pgcache_gets_cleancache++;
      this.oracle.ccCheckGet(fs, inode, index, out);
      return true;
    }
    this.oracle.ccDrop(fs, inode, index);
    this.meter.io('fs', 'read');
    return false;
  }

  /** A clean page leaves the page cache: cleancache_put. */
  filePut(fs: number, inode: number, index: number, desc: number): void {
    const p = this.stamp(desc);
    const hash = this.oracle.hashOf(p.bytes);
    this.cleancache.put(fs, inode, index, p);
    this.oracle.ccPut(fs, inode, index, p.tag, hash);
  }

  /** Writeback of a dirty file page. */
  fileWriteback(): void {
    this.meter.io('fs', 'write');
    this.stats.writeback_pages++;
  }

  mount(fs: number, uuid?: string): void {
    this.cleancache.mount(fs, uuid);
  }

  umount(fs: number): void {
    this.memory.dropFs(fs);
    this.cleancache.umount(fs);
    this.oracle.ccDropFs(fs);
  }

  // ---- reporting --------------------------------------------------------------------
  costTotals(): CostTotals {
    return this.meter.totals;
  }
}
