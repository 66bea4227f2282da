/**
 * The simulated machine: the kernel layers between a trace and a backend.
 *
 *   swap_writepage(slot, page):  [zeromap] all zeros ? set the slot's bit, done
 *                                frontswap_store()==0 ? done : write the swap device
 *   swap_readpage(slot):         [zeromap] the slot's bit ? zero-fill the page, done
 *                                frontswap_load()==0 ? done : read the swap device
 *   swap slot freed:             frontswap_invalidate_page
 *   page-cache miss:             cleancache_get()==0 ? done : read the filesystem
 *   clean page evicted:          cleancache_put
 *
 * Every store, put and write is stamped by the oracle; every successful load
 * and get is checked by it. The backend's pool pages come out of the same
 * simulated RAM (Memory) that the workload's pages live in.
 *
 * Who has the CPU between operations (kswapd, the kworker) is tasks.ts's.
 */

import type { MarkSnapshot } from './marks.js';
import type { Backend, BackendEnv, BackendFactory, LruSizes, SwapWriteback, VmInfo } from '../backends/backend.js';
import { resolveParams } from '../backends/params.js';
import { reportedStats, type ReportedStats } from '../backends/counters.js';
import type { CompressionService } from '../compressors/service.js';
import { LazyPage, PAGE_SIZE, newPageOut, type Page, type PageOut } from '../content/page.js';
import type { ContentSource } from '../content/source.js';
import { LatencyHistogram } from '../cost/latency.js';
import { CostMeter, type CostModel } from '../cost/meter.js';
import { OpCharges } from '../cost/op-charges.js';
import { Cleancache } from '../frontends/cleancache.js';
import { Frontswap, LoadResult } from '../frontends/frontswap.js';
import type { MmEnv, MmStats } from '../mm/env.js';
import { Memory } from '../mm/memory.js';
import type { ReclaimFactory, ZoneLayout } from '../mm/reclaim/reclaim.js';
import { SwapDevices, slotKey, slotOffset, slotType } from '../mm/swap.js';
import { LIMITS } from '../trace/events.js';
import type { ParamMap } from '../backends/params.js';
import { DEFAULT_ZOMBIE_RATE, UNLOAD_FREE_CYCLES, Zombie, getRmmodStrategy, type LifecycleHost, type LifecycleRecord } from './lifecycle.js';

import { Loc, Oracle } from './oracle.js';
import { Tasks, type ParkedPlug, type TaskHost } from './tasks.js';
import type { SchedulerFactory } from './schedulers.js';
import type { WorkItem } from './workqueue.js';
import { UsageError } from '../errors.js';


interface MachineOptions {
  /** totalram: every page of RAM, the kernel's own included. */
  ramPages: number;
  /** Pages the kernel itself keeps (not the workload's): the memory model gets ramPages - kernelPages. Default 0. */
  kernelPages?: number;
  swappiness: number;
  /** The reclaim policy (src/mm/reclaim/registry.ts). */
  reclaim: ReclaimFactory;
  /** Memory zones and vm.min_free_kbytes (config.zones, config.min_free_kbytes); absent: one zone, the default min_free_kbytes. */
  zones?: ZoneLayout;
  verifyBytes: boolean;
  writethrough: boolean;
  content: ContentSource;
  compression: CompressionService;
  costModel: CostModel;
  /** Resolves a backend name (the registry). */
  backendFactory: (name: string) => BackendFactory;
  /** The swap core keeps all-zero pages in a zeromap (6.12+, config.swap_zeromap). Default false. */
  swapZeromap?: boolean;
  /** The scheduler tick's phase, ns into the scheduler clock (sched.ts Ticks). Default 0. */
  tickPhaseNs?: number;
  /** The fair scheduler of the workload, kswapd and the kworker (sim/schedulers.ts). Default cfs-6.1. */
  scheduler?: SchedulerFactory;
}

/** Cycles per 8-byte word is_folio_zero_filled reads (as zswap's same-filled scan). */
const ZERO_SCAN_CYCLES_PER_WORD = 1;

/** Kernel-side counters (vmstat-like names where the kernel has one). */
/** The mm model's counters (MmStats) and the swap, frontend and lifecycle glue's own. */
export interface MachineStats extends MmStats {
  pswpout: number;
  pswpin: number;
  swap_outs: number;
  swap_ins: number;
  swap_ins_frontswap: number;
  swap_ins_ram: number;
  swap_reads_unbacked: number;
  pgcache_gets_cleancache: number;
  writeback_pages: number;
  ram_overcommit: number;
  frontswap_shrunk_pages: number;
  tmem_written_back: number;
  zombie_loads: number;
  shrinker_calls: number;
}

/**
 * Pages in one merged request when the profile's storage gives no maxRequestPages: a page of an
 * anonymous folio is a segment of its own, and queue_max_segments is 127 for NVMe
 * (NVME_MAX_SEGS) [I from R]: requests of single pages merge up to about 128 pages (512 KiB,
 * under 6.1's BLK_DEF_MAX_SECTORS of 1280 KiB). A virtio-blk queue takes the device's seg_max:
 * QEMU's default queue of 256 descriptors gives 254, and the validation guest's largest swap
 * write request was 254 pages (validation/guest-tcg.json, docs/validation.md).
 */
const DEFAULT_MAX_REQUEST_PAGES = 128;
/**
 * block/blk-mq.c blk_add_rq_to_plug (6.1): a request that cannot merge into the plug's last one
 * flushes the plug first when it already holds BLK_MAX_REQUEST_COUNT (32, one queue) requests or
 * its last request is BLK_PLUG_FLUSH_SIZE (128 KiB, 32 pages) or more.
 */
const BLK_MAX_REQUEST_COUNT = 32;
const BLK_PLUG_FLUSH_PAGES = 32;

/** SWAP_SLOTS_CACHE_SIZE (mm/swap_slots.c, = SWAP_BATCH): the slots a CPU's cache takes and gives back at a time. */
const SWAP_SLOTS_CACHE_SIZE = 64;
/**
 * check_cache_active's thresholds (mm/swap_slots.c), for the machine's one CPU (num_online_cpus()
 * 1): the cache turns on when more than 5 x 64 pages of swap are free, and off (both sides drained)
 * when fewer than 2 x 64 are.
 */
const THRESHOLD_ACTIVATE_SWAP_SLOTS_CACHE = 5 * SWAP_SLOTS_CACHE_SIZE;
const THRESHOLD_DEACTIVATE_SWAP_SLOTS_CACHE = 2 * SWAP_SLOTS_CACHE_SIZE;

export class Machine implements BackendEnv, MmEnv, LifecycleHost, TaskHost {
  readonly meter: CostMeter;
  /** Pages one block request holds at most (the profile's storage.maxRequestPages). */
  private readonly maxRequestPages: number;
  /** The swap device has an I/O scheduler: an unplugged write wakes kblockd (the profile's storage.ioScheduler). */
  private readonly asyncQueueRun: boolean;
  readonly oracle: Oracle;
  readonly frontswap = new Frontswap();
  readonly cleancache = new Cleancache();
  readonly swap = new SwapDevices();
  readonly memory: Memory;
  readonly content: ContentSource;
  readonly compression: CompressionService;
  readonly ramPages: number;
  readonly verifyBytes: boolean;
  /** BackendEnv.swapZeromap: the swap core keeps all-zero pages in its zeromap (6.12+). */
  readonly swapZeromap: boolean;
  /** vmstat swpout_zero and swpin_zero (6.12+): reported only with a zeromap (a kernel without one has no such counters). */
  readonly zeromapStats = { swpout_zero: 0, swpin_zero: 0 };
  readonly stats: MachineStats = {
    pswpout: 0, pswpin: 0, swap_outs: 0, swap_ins: 0, swap_ins_frontswap: 0, swap_ins_ram: 0,
    swap_reads_unbacked: 0, pgcache_hits: 0, pgcache_misses: 0, pgcache_gets_cleancache: 0,
    pgsteal_anon: 0, pgsteal_file: 0, writeback_pages: 0, anon_faults: 0, zero_page_maps: 0,
    swap_full_events: 0, ram_overcommit: 0, frontswap_shrunk_pages: 0, tmem_written_back: 0, zombie_loads: 0, shrinker_calls: 0,
    swap_ra: 0, swap_ra_hit: 0, file_ra: 0, pgmajfault: 0, pgactivate: 0, pgdeactivate: 0, pgscan: 0, pgscan_anon: 0, pgscan_file: 0, workingset_refault_anon: 0, workingset_refault_file: 0,
    workingset_activate_anon: 0, workingset_activate_file: 0, workingset_restore: 0, workingset_nodereclaim: 0, pgrotated: 0, allocstall: 0, pageoutrun: 0, kswapd_low_wmark_hit_quickly: 0, kswapd_high_wmark_hit_quickly: 0, pgsteal_kswapd: 0, pgsteal_direct: 0,
    pgmigrate_success: 0, compact_migrate_scanned: 0, compact_free_scanned: 0, compact_isolated: 0, compact_daemon_wake: 0, compact_daemon_migrate_scanned: 0, compact_daemon_free_scanned: 0,
  };
  readonly lifecycle: LifecycleRecord[] = [];
  /** Counter snapshots taken at the trace's mark events, in order. */
  readonly marks: MarkSnapshot[] = [];
  /** Pages of RAM the kernel keeps (outside the memory model, inside totalram). */
  readonly kernelPages: number;
  /**
   * Modelled latency of every swap-in (a fault on a swapped-out page, or a
   * tmem-level frontswap_load) and of every page-cache miss that reads (or
   * a cleancache_get): everything charged while the operation runs —
   * frontswap/cleancache work, decompression and copy, the network for a
   * remote page, the device read on a miss.
   */
  readonly latency = { swapIn: new LatencyHistogram(), pageCacheMiss: new LatencyHistogram() };
  /** The charges of every swap-in, page-cache miss, swap-out and cleancache put, for per-operation energy (and the first two's latency). */
  readonly ops: { swapIn: OpCharges; pageCacheMiss: OpCharges; swapOut: OpCharges; cleancachePut: OpCharges };
  backend: Backend | null = null;
  /** Unloaded backends whose pages are still being drained (rmmod strategy zombie). */
  zombies: Zombie[] = [];
  /** The swap slots cache's slots_ret (one CPU): the slots freed and not yet given back (slotKey), in order; at most 64. */
  private slotsRet: number[] = [];
  /** The swap slots cache's slots (one CPU): slots taken ahead (slotKey), handed out from slotsCur up to slotsNr. */
  private readonly slots: number[] = [];
  private slotsCur = 0;
  private slotsNr = 0;
  /** swap_slot_cache_active (check_cache_active turns it on and off) and swap_slot_cache_enabled (off during swapoff). */
  private slotsCacheActive = false;
  private slotsCacheEnabled = true;
  /** Pool pages handed out by allocPage. */
  poolPages = 0;
  /** MmEnv.slabPages: the live backend's and every zombie's slab metadata. */
  get slabPages(): number {
    let n = this.backend?.slabPages?.() ?? 0;
    // Indexed, not for-of: this runs in every event's kswapd wake check (zoneFree), and for-of's
    // iterator protocol costs tens of instructions there even over an empty array.
    const zombies = this.zombies;
    for (let i = 0; i < zombies.length; i++) n += zombies[i]!.backend.slabPages?.() ?? 0;
    return n;
  }
  peakPoolPages = 0;
  /** Simulated time, ns. */
  clock = 0;
  /**
   * The workload's own CPU time between events, ns: the gaps a trace's wall times put between
   * events, or the CPU times it gives (config.time 'cpu'); to the scheduler, CPU time of the
   * workload (a CPU-bound workload, as the validation guests': idle 0 %).
   */
  private thinkNs = 0;
  /** TaskHost.cpuClock: the CPU work charged so far and the workload's time between events. */
  cpuClock(): number {
    return this.meter.totals.cpuNs + this.thinkNs;
  }
  /** kswapd and the kworker beside the workload on one CPU (the scheduler state, the work queue). */
  readonly tasks: Tasks;
  /** MmEnv.preemptPending (Tasks). */
  preemptPending(): boolean {
    return this.tasks.preemptPending();
  }
  /** Index of the event being run (for records). */
  eventIndex = 0;
  /** The uuid each filesystem was mounted with (shared pools), by fs. */
  private readonly uuids: (string | undefined)[] = [];
  /** Oracle keys of shared pools, by uuid (above every fs number). */
  private readonly uuidKeys = new Map<string, number>();
  private readonly page: LazyPage;
  private readonly out: PageOut = newPageOut();

  constructor(private readonly opts: MachineOptions) {
    this.meter = new CostMeter(opts.costModel);
    this.maxRequestPages = opts.costModel.maxRequestPages ?? DEFAULT_MAX_REQUEST_PAGES;
    this.asyncQueueRun = opts.costModel.asyncQueueRun === true;
    this.meter.setClock(() => this.clock);
    const mt = this.meter;
    this.ops = {
      swapIn: new OpCharges(mt, this.latency.swapIn),
      pageCacheMiss: new OpCharges(mt, this.latency.pageCacheMiss),
      swapOut: new OpCharges(mt),
      cleancachePut: new OpCharges(mt),
    };
    this.oracle = new Oracle(opts.verifyBytes, opts.content);
    this.page = new LazyPage(opts.content);
    this.content = opts.content;
    this.compression = opts.compression;
    this.ramPages = opts.ramPages;
    this.verifyBytes = opts.verifyBytes;
    this.swapZeromap = opts.swapZeromap === true;
    this.frontswap.writethrough = opts.writethrough;
    this.kernelPages = opts.kernelPages ?? 0;
    this.memory = new Memory(this, opts.ramPages - this.kernelPages, opts.swappiness, opts.reclaim, opts.zones);
    this.tasks = new Tasks(this, this.memory.reclaim.kswapdTask === true, opts.tickPhaseNs ?? 0, opts.scheduler);
  }

  /** The end of an event: the workload reaches a preemption point (Tasks.afterEvent; true when it found nothing to do). */
  afterEvent(): boolean {
    return this.tasks.afterEvent();
  }
  /**
   * The rest of an event's end would do nothing now: the clock is still at `clock` and no work
   * was charged since (advance(0) moves nothing), no work item waits, no backend timer or
   * unloaded backend is to run, and no swap area awaits the completeness check (audit()).
   */
  settled(clock: number): boolean {
    return this.clock === clock && this.meter.peekPendingNs() === 0 && this.tasks.workIdle() && this.backend?.tick === undefined && this.zombies.length === 0 && this.touchedAreas === 0;
  }
  /** MmEnv.mightSleep: a preemption point of the workload (Tasks.mightSleep). */
  mightSleep(): void {
    this.tasks.mightSleep();
  }
  /** MmEnv.vmpressure: a reclaim pass's scan (Tasks.vmpressure). */
  vmpressure(scanned: number): void {
    this.tasks.vmpressure(scanned);
  }

  /** MmEnv.simNow. */
  simNow(): number {
    return this.clock + this.meter.peekPendingNs();
  }

  // ---- BackendEnv -------------------------------------------------------------
  now(): number {
    return this.clock;
  }
  // duplicates: its bookkeeping is alike to ramster/node.ts's NodeEnv (a peer's BackendEnv): kernel-shaped, see there.
  allocPage(reserves = false, movable = false): boolean {
    if (!this.memory.allocPoolPage(reserves, movable)) return false;
    this.poolPages++;
    if (this.poolPages > this.peakPoolPages) this.peakPoolPages = this.poolPages;
    return true;
  }
  freePage(movable = false): void {
    this.memory.freePoolPages(1, movable);
    this.poolPages--;
  }
  /** A whole pool goes back to RAM (an unloaded backend's, a drained zombie's). */
  private releasePool(pages: number): void {
    this.memory.freePoolPages(pages);
    this.poolPages -= pages;
  }
  frontswapCurrPages(): number {
    return this.frontswap.currPages();
  }
  frontswapShrink(target: number): { toRam: number; toDisk: number } {
    // The slots waiting in the swap slots cache are freed first (a deviation: try_to_unuse skips them).
    this.drainSlotsRet();
    const moved = { toRam: 0, toDisk: 0 };
    const total = this.frontswap.currPages();
    if (total <= target) return moved;
    this.touchAll();
    const n = total - target;
    // The first swap area in list order that passes security_vm_enough_memory(pages).
    for (const type of this.swap.types()) {
      const pages = this.frontswap.pages(type);
      if (pages === 0) continue;
      const want = n < pages ? n : pages;
      // __vm_enough_memory in the default OVERCOMMIT_GUESS mode: pages <= totalram + swap.
      if (want > this.memory.ramPages + this.kernelPages + this.swap.totalPages()) continue;
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
  ephemeralDropped(poolId: number, oid: number, index: number): void {
    const fs = this.cleancache.fsOfPool(poolId);
    if (fs >= 0) this.oracle.ccDrop(this.ccKey(fs), oid, index);
  }
  swapWriteback(type: number, offset: number, memalloc: boolean, stillStored: () => boolean, fill: () => void): SwapWriteback {
    const r = this.memory.writebackPage(type, offset, memalloc, stillStored);
    if (r !== 'written') return r;
    // The page is filled before its write is submitted (zswap_writeback_entry decompresses, then __swap_writepage).
    fill();
    this.meter.io('swap', 'write');
    // __swap_writepage from a context without a plug (zswap's shrink worker; 4.x's synchronous
    // shrink, `memalloc`, runs inside reclaim's plug): with an I/O scheduler, kblockd preempts.
    if (this.asyncQueueRun && !memalloc) this.tasks.kblockdRun();
    this.stats.pswpout++;
    this.stats.tmem_written_back++;
    this.oracle.slotMoved(type, offset, Loc.Disk);
    return r;
  }
  queueWork(work: WorkItem): boolean {
    return this.tasks.queueWork(work);
  }
  workPending(work: WorkItem): boolean {
    return this.tasks.workPending(work);
  }
  /** Runs the work items due by now (Tasks.runWork). */
  runWork(): void {
    this.tasks.runWork();
  }
  /** kswapd wakes (true) or goes back to sleep (false) (Tasks.kswapdRun). */
  kswapdRun(on: boolean): void {
    this.tasks.kswapdRun(on);
  }
  vm(): VmInfo {
    const mem = this.memory;
    return { totalram: mem.ramPages + this.kernelPages, maxram: this.ramPages, committedAs: mem.committedAnon, totalreserve: mem.highWmark, free: mem.free };
  }
  setTotalram(pages: number): void {
    this.memory.setRamPages(pages - this.kernelPages);
  }

  // ---- MmEnv --------------------------------------------------------------------
  shrinkSlab(nrToScan: number, lru: LruSizes): boolean {
    const b = this.backend;
    if (!b?.shrink) return false;
    b.shrink(nrToScan, lru);
    return true;
  }

  // ---- time -------------------------------------------------------------------
  /** Advance the clock by the work charged since the last call, then to `t` if later (a trace's wall time). */
  advance(tNs = 0): void {
    this.clock += this.meter.takePendingNs();
    if (tNs > this.clock) {
      this.thinkNs += tNs - this.clock;
      this.clock = tNs;
    }
    this.clockMoved();
  }

  /**
   * Advance the clock by the work charged since the last call, then by the workload's own CPU
   * time until it has had `tNs` of it (a trace whose times are the workload's CPU time,
   * config.time 'cpu'): the kernel work charged meanwhile does not shorten it.
   */
  advanceCpu(tNs: number): void {
    this.clock += this.meter.takePendingNs();
    if (tNs > this.thinkNs) {
      this.clock += tNs - this.thinkNs;
      this.thinkNs = tNs;
    }
    this.clockMoved();
  }

  /** What follows a move of the clock: the work items due, the backend's and the unloaded backends' timers. */
  private clockMoved(): void {
    this.runWork();
    this.backend?.tick?.(this.clock);
    if (this.zombies.length > 0) this.drainZombies(this.clock);
  }

  /** The loaded backend's counters as reported: stats(), n/a (null) where its era has no such counter; null without a backend. */
  backendStats(): ReportedStats | null {
    const b = this.backend;
    if (b === null) return null;
    return reportedStats(b.stats(), this.opts.backendFactory(b.name).counters, b.counterEra);
  }

  // ---- backend lifecycle --------------------------------------------------------
  insmod(name: string, params: ParamMap): void {
    const factory = this.opts.backendFactory(name);
    const backend = factory.create(this, resolveParams(factory.name, factory.params, params));
    this.backend = backend;
    this.frontswap.register(backend);
    this.cleancache.register(backend);
    this.lifecycle.push(this.newRecord('insmod', name, '-'));
  }

  /**
   * Unload the backend with an rmmod strategy (src/sim/lifecycle.ts). The
   * record gives the simulated time it took, the pages moved each way and
   * the CPU and device work it cost.
   */
  rmmod(strategyName: string, rate = DEFAULT_ZOMBIE_RATE): void {
    const strategy = getRmmodStrategy(strategyName);
    const b = this.backend!;
    const t = this.meter.totals;
    const cpu0 = t.cpuNs;
    const io0 = t.ioNs;
    const w0 = t.swapWrites;
    const r0 = t.swapReads;
    const rec = this.newRecord('rmmod', b.name, strategy.name);
    // The slots waiting in the swap slots cache are freed before the backend goes (their copies with it).
    this.drainSlotsRet();
    strategy.run(this, b, rec, { rate });
    this.touchAll();
    rec.cpu_ns = t.cpuNs - cpu0;
    rec.duration_ns = rec.cpu_ns + (t.ioNs - io0);
    rec.swap_writes = t.swapWrites - w0;
    rec.swap_reads = t.swapReads - r0;
    this.lifecycle.push(rec);
  }

  /** A lifecycle command that failed as the kernel's would (the run goes on). */
  lifecycleError(op: 'insmod' | 'rmmod', backend: string, errno: 'EEXIST' | 'ENOENT'): void {
    const rec = this.newRecord(op, backend, '-');
    rec.outcome = errno;
    this.lifecycle.push(rec);
  }

  private newRecord(op: 'insmod' | 'rmmod', backend: string, strategy: string): LifecycleRecord {
    const fs = this.frontswap.counters;
    const cc = this.cleancache.counters;
    return {
      event: this.eventIndex, t_ns: this.clock, op, backend, strategy, outcome: 'ok',
      pages_dropped: 0, pages_to_ram: 0, pages_to_disk: 0, duration_ns: 0, cpu_ns: 0, swap_writes: 0, swap_reads: 0,
      drained_ns: null,
      snapshot: { swap_ins: this.stats.swap_ins, swap_ins_tmem: this.stats.swap_ins_frontswap, cc_gets: cc.succ_gets + cc.failed_gets, cc_hits: cc.succ_gets, fs_loads: fs.loads },
    };
  }

  /** The backend is gone from the frontends; a zombie keeps its pages until drained. */
  unregisterBackend(b: Backend, zombie?: Zombie): void {
    // the module's work items go with it (a zombie's pages are drained by the zombie worker, not by them)
    this.tasks.cancelWork();
    this.frontswap.unregister();
    this.cleancache.unregister();
    this.oracle.ccDropAll();
    this.backend = null;
    if (zombie) this.zombies.push(zombie);
    else this.releasePool(b.poolPages());
  }

  /**
   * Move one frontswap page out of the registered backend (try_to_unuse of
   * one slot): load it, then place it (RAM or swap device). Returns where it went.
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
    return this.placeHome(type, off);
  }

  /** A repatriated page goes into RAM if the memory model has room and a page owns the slot, else to the swap device. */
  private placeHome(type: number, off: number): Loc {
    if (this.memory.takeBackSwapped(type, off)) return Loc.Ram;
    this.meter.io('swap', 'write');
    this.stats.pswpout++;
    this.oracle.slotMoved(type, off, Loc.Disk);
    return Loc.Disk;
  }

  /** Load a slot held by a zombie backend. Returns false when the zombie lost it. */
  private zombieLoad(z: Zombie, type: number, off: number): boolean {
    z.take(type, off);
    const fs = z.backend.frontswap!;
    const out = this.out;
    if (!fs.load(type, off, out)) {
      this.oracle.loadMissed(type, off, 'was held by an unloaded backend that could not give it back');
      return false;
    }
    this.oracle.checkLoad(type, off, out);
    if (!z.backend.frontswapExclusiveGets) fs.invalidatePage(type, off);
    return true;
  }

  /** The zombie worker: drain what the rate allows since the last run. */
  private drainZombies(now: number): void {
    for (const z of this.zombies) {
      let n = z.budget(now);
      while (n > 0) {
        const s = z.next();
        if (s < 0) break;
        const type = slotType(s);
        const off = slotOffset(s);
        n--;
        if (!this.zombieLoad(z, type, off)) continue;
        const where = this.placeHome(type, off);
        if (where === Loc.Ram) z.rec.pages_to_ram++;
        else z.rec.pages_to_disk++;
      }
      if (n > 0 && z.ccPages > 0) {
        const k = Math.min(n, z.ccPages);
        z.ccPages -= k;
        z.rec.pages_dropped += k;
        this.meter.meta(k * UNLOAD_FREE_CYCLES);
      }
    }
    this.reapZombies(now);
  }

  /** Zombies with nothing left are gone: their pool pages go back to RAM. */
  private reapZombies(now: number): void {
    let any = false;
    for (const z of this.zombies) {
      if (!z.done) continue;
      any = true;
      this.releasePool(z.backend.poolPages());
      z.rec.drained_ns = now;
    }
    if (any) this.zombies = this.zombies.filter((z) => !z.done);
  }

  // ---- swap layer ----------------------------------------------------------------
  /** The scratch page set to `desc` (its bytes made when first read), stamped with a fresh tag. */
  private stamp(desc: number): Page {
    const p = this.page;
    p.set(desc, this.oracle.nextTag());
    return p;
  }

  // duplicates: swapWrite and fileRead below open alike (run due work, then the op's charges around its body): two
  // operations, each with its own charges; see fileRead.
  /** swap_writepage of `desc` into slot (type, off). True: written to the device, held in the plug. */
  swapWrite(type: number, off: number, desc: number): boolean {
    this.runWork();
    this.ops.swapOut.begin();
    const held = this.swapWritePage(type, off, desc);
    this.ops.swapOut.end();
    return held;
  }

  private swapWritePage(type: number, off: number, desc: number): boolean {
    if (this.zombies.length > 0) for (const z of this.zombies) z.drop(type, off);
    const p = this.stamp(desc);
    const hash = this.oracle.hashOf(p);
    if (this.swapZeromap) {
      const area = this.swap.get(type);
      if (area !== null) {
        if (this.zeroFilled(p.bytes)) {
          // swap_zeromap_folio_set: nothing written, nothing stored. A copy frontswap still held
          // for the slot would be stale: dropped (6.12's zswap holds none: its loads are exclusive).
          area.setZero(off, true);
          if (this.frontswap.test(type, off)) this.frontswap.invalidatePage(type, off);
          this.zeromapStats.swpout_zero++;
          this.stats.swap_outs++;
          this.oracle.slotStored(type, off, p.tag, desc, hash, Loc.Disk);
          return false;
        }
        area.setZero(off, false);
      }
    }
    const ok = this.frontswap.store(type, off, p);
    this.stats.swap_outs++;
    let loc = this.frontswap.test(type, off) ? Loc.Tmem : Loc.None;
    let held = false;
    if (!ok) {
      if (this.writePlug !== null) {
        this.plugWrite(slotKey(type, off));
        held = true;
      } else this.meter.io('swap', 'write');
      this.stats.pswpout++;
      loc |= Loc.Disk;
    }
    this.oracle.slotStored(type, off, p.tag, desc, hash, loc);
    return held;
  }

  /**
   * swap_readpage of slot (type, off). Returns LoadResult.HitExclusive (or
   * Unbacked, when no copy was anywhere) when the page comes back dirty (its
   * only copy is now in RAM).
   */
  swapRead(type: number, off: number, readahead?: () => void): LoadResult {
    this.runWork();
    this.ops.swapIn.begin();
    if (readahead) this.plug = [];
    const r = this.swapReadPage(type, off);
    // A major fault's read from the swap device (mm.swapinIoCycles): the faulting page's, not readahead's.
    if (r === LoadResult.Miss || r === LoadResult.Unbacked) this.meter.swapinIo();
    if (readahead) {
      readahead();
      this.unplug();
    }
    this.ops.swapIn.end();
    return r;
  }

  /** Swap device writes issued while reclaim holds its plug, in issue order (null: none held). */
  private writePlug: number[] | null = null;
  /** The requests writePlug's writes make (runs of adjacent slots), and the pages of the last. */
  private plugRequests = 0;
  private plugLastPages = 0;

  /**
   * A write joins the held plug: it merges into the last request (the next slot, under
   * maxRequestPages) or starts a request, before which blk_add_rq_to_plug flushes a plug that
   * holds BLK_MAX_REQUEST_COUNT requests or whose last is BLK_PLUG_FLUSH_SIZE or more.
   */
  private plugWrite(key: number): void {
    const p = this.writePlug!;
    if (p.length > 0 && key === p[p.length - 1]! + 1 && this.plugLastPages < this.maxRequestPages) {
      p.push(key);
      this.plugLastPages++;
      return;
    }
    if (this.plugRequests >= BLK_MAX_REQUEST_COUNT || this.plugLastPages >= BLK_PLUG_FLUSH_PAGES) this.flushWritePlug();
    this.writePlug!.push(key);
    this.plugRequests++;
    this.plugLastPages = 1;
  }

  /**
   * blk_start_plug / blk_finish_plug around reclaim's swap writes. A write
   * that starts where the plug's last request ends joins it
   * (blk_attempt_plug_merge tries the most recent request of the queue),
   * up to maxRequestPages; the merged requests are charged to the
   * swap-outs that issued them.
   */
  swapPlug(on: boolean): void {
    if (on) {
      if (this.writePlug === null) {
        this.writePlug = [];
        this.plugRequests = 0;
        this.plugLastPages = 0;
      }
      return;
    }
    this.flushPlug();
    this.writePlug = null;
  }

  /** TaskHost.plugHeld: the running task holds a plug. */
  plugHeld(): boolean {
    return this.writePlug !== null;
  }
  /** TaskHost.parkPlug: the running task's plug and its held writes set aside, unsubmitted (flush_plug is not called on preemption). */
  parkPlug(): ParkedPlug | null {
    const slots = this.writePlug;
    if (slots === null) return null;
    this.writePlug = null;
    return { slots, pages: this.memory.parkWriteback(), requests: this.plugRequests, lastPages: this.plugLastPages };
  }
  /** TaskHost.unparkPlug: the plug parkPlug set aside is the running task's again. */
  unparkPlug(p: ParkedPlug): void {
    if (this.writePlug !== null) throw new Error('internal: a task resumed holding a plug while another plug was held');
    this.writePlug = p.slots;
    this.plugRequests = p.requests;
    this.plugLastPages = p.lastPages;
    this.memory.unparkWriteback(p.pages);
  }
  /** Swap writes issued and not yet submitted to the device: the running task's plug and the plugs of tasks switched out. */
  swapWritesHeld(): number {
    return (this.writePlug?.length ?? 0) + this.tasks.parkedWrites();
  }
  /** The run is over: writes held in switched-out tasks' plugs go to the device (Tasks.submitParked). */
  endRun(): void {
    this.tasks.submitParked();
  }
  /** TaskHost.flushPlug: the running task's held swap writes go out, if it holds any. */
  flushPlug(): void {
    if (this.writePlug !== null && this.writePlug.length > 0) this.flushWritePlug();
  }

  /** blk_flush_plug: the held swap writes go out, one request per run of adjacent slots; the plug stays held. */
  private flushWritePlug(): void {
    const p = this.writePlug!;
    this.writePlug = [];
    this.plugRequests = 0;
    this.plugLastPages = 0;
    this.ops.swapOut.begin();
    this.issueRuns('write', p);
    this.ops.swapOut.end(false);
    this.memory.writebackSubmitted();
  }

  /** Swap device reads of a fault and its readahead window, held to be merged (blk_start_plug). */
  private plug: number[] | null = null;

  private swapDeviceRead(type: number, off: number): void {
    if (this.plug !== null) this.plug.push(slotKey(type, off));
    else this.meter.io('swap', 'read');
  }

  /** blk_finish_plug: reads of adjacent slots merge into one request of n pages. */
  private unplug(): void {
    const p = this.plug!;
    this.plug = null;
    p.sort((a, b) => a - b);
    this.issueRuns('read', p);
  }

  /** One swap device request per run of adjacent slots in `slots` (in their order), at most maxRequestPages each. */
  private issueRuns(dir: 'read' | 'write', slots: readonly number[]): void {
    for (let i = 0; i < slots.length; ) {
      let j = i + 1;
      while (j < slots.length && j - i < this.maxRequestPages && slots[j] === slots[j - 1]! + 1) j++;
      this.meter.io('swap', dir, j - i);
      i = j;
    }
  }

  /** swap_readpage of a page read ahead, inside the fault's operation. */
  swapReadahead(type: number, off: number): LoadResult {
    return this.swapReadPage(type, off);
  }

  /**
   * is_folio_zero_filled (6.12): the last 8-byte word first, then the others from the start, up
   * to the first that is not zero; a cycle per word read.
   */
  private zeroFilled(b: Uint8Array): boolean {
    const last = PAGE_SIZE - 8;
    let zero = true;
    for (let i = last; i < PAGE_SIZE; i++) if (b[i] !== 0) zero = false;
    let words = 1;
    if (zero) {
      let i = 0;
      while (i < last && b[i] === 0) i++;
      zero = i === last;
      // the words up to and with the first that is not zero, or all of them
      words += zero ? last / 8 : (i >> 3) + 1;
    }
    this.meter.meta(words * ZERO_SCAN_CYCLES_PER_WORD);
    return zero;
  }

  private swapReadPage(type: number, off: number): LoadResult {
    this.stats.swap_ins++;
    const out = this.out;
    if (this.swapZeromap && this.swap.get(type)?.isZero(off) === true) {
      // swap_read_folio_zeromap: folio_zero_range (a page's memset, priced as a copy), uptodate, clean.
      this.zeromapStats.swpin_zero++;
      this.meter.copy(PAGE_SIZE);
      if (this.verifyBytes) {
        out.bytes.fill(0);
        this.oracle.checkZeroRead(type, off, out.bytes);
      }
      return LoadResult.Zero;
    }
    const r = this.frontswap.load(type, off, out);
    if (r !== LoadResult.Miss) {
      this.stats.swap_ins_frontswap++;
      this.oracle.checkLoad(type, off, out);
      if (r === LoadResult.HitExclusive) this.oracle.slotMoved(type, off, Loc.Ram);
      return r;
    }
    for (const z of this.zombies) {
      if (z.holds(type, off)) {
        this.stats.zombie_loads++;
        if (this.zombieLoad(z, type, off)) {
          this.stats.swap_ins_frontswap++;
          this.oracle.slotMoved(type, off, Loc.Ram);
          return LoadResult.HitExclusive;
        }
      }
    }
    const src = this.oracle.loadMissed(type, off, 'was stored in frontswap but the load failed');
    if (src === Loc.Ram) {
      this.stats.swap_ins_ram++;
      return LoadResult.Hit;
    }
    this.swapDeviceRead(type, off);
    this.stats.pswpin++;
    if (src === Loc.None) {
      this.stats.swap_reads_unbacked++;
      return LoadResult.Unbacked;
    }
    return LoadResult.Miss;
  }

  /** A frontswap_invalidate_page of a trace: the slot is freed now (the trace recorded it as the kernel issued it). */
  swapFree(type: number, off: number): void {
    this.runWork();
    // A slot the memory model freed into the swap slots cache goes now, and not again with its batch.
    const i = this.slotsRet.indexOf(slotKey(type, off));
    if (i >= 0) this.slotsRet.splice(i, 1);
    this.swapEntryFree(type, off);
  }
  /**
   * A slot for a page reclaim swaps out: folio_alloc_swap. With the swap slots cache
   * (Reclaim.swapSlotsCache) while check_cache_active finds it on, the next of the 64 slots it took
   * ahead (refill_swap_slots_cache: get_swap_pages of 64 when it has none left); else, or when the
   * refill gets none, get_swap_pages of one. A slot key, or -1 when swap is full.
   */
  allocSwapSlot(): number {
    if (this.memory.reclaim.swapSlotsCache && this.checkSlotsCacheActive()) {
      if (this.slotsCur === this.slotsNr) {
        this.slotsCur = 0;
        this.slotsNr = this.swap.allocBatch(SWAP_SLOTS_CACHE_SIZE, this.slots);
      }
      if (this.slotsCur < this.slotsNr) {
        const s = this.slots[this.slotsCur++]!;
        this.swap.handOut(s);
        return s;
      }
    }
    return this.swap.alloc();
  }
  /** check_cache_active: the cache turns on above, and off (drained) below, its thresholds of free swap. */
  private checkSlotsCacheActive(): boolean {
    if (!this.slotsCacheEnabled) return false;
    const free = this.swap.totalPages() - this.swap.usedSlots();
    if (!this.slotsCacheActive) {
      if (free > THRESHOLD_ACTIVATE_SWAP_SLOTS_CACHE) this.slotsCacheActive = true;
      return this.slotsCacheActive;
    }
    if (free < THRESHOLD_DEACTIVATE_SWAP_SLOTS_CACHE) {
      // deactivate_swap_slots_cache: both sides drained.
      this.slotsCacheActive = false;
      this.drainSlotsCache();
      this.drainSlotsRet();
    }
    return this.slotsCacheActive;
  }
  /** The slots taken ahead and not handed out go back (drain_slots_cache_cpu, SLOTS_CACHE): nothing was stored in them. */
  private drainSlotsCache(): void {
    for (let i = this.slotsCur; i < this.slotsNr; i++) {
      const s = this.slots[i]!;
      this.swap.get(slotType(s))?.free(slotOffset(s), false);
    }
    this.slotsCur = this.slotsNr = 0;
  }

  /**
   * The memory model's slot count dropped to zero: free_swap_slot. With the swap slots cache
   * (Reclaim.swapSlotsCache) on (use_swap_slot_cache) the slot waits in slots_ret, and the 64 there
   * are freed (swapcache_free_entries) when one more comes; else it is freed now.
   */
  freeSwapSlot(type: number, off: number): void {
    this.runWork();
    if (this.memory.reclaim.swapSlotsCache && this.slotsCacheActive && this.slotsCacheEnabled) {
      if (this.slotsRet.length >= SWAP_SLOTS_CACHE_SIZE) this.drainSlotsRet();
      this.slotsRet.push(slotKey(type, off));
      return;
    }
    this.swapEntryFree(type, off);
  }
  swapFreePending(type: number, off: number): boolean {
    return this.slotsRet.includes(slotKey(type, off));
  }
  /** swapcache_free_entries of the swap slots cache's slots_ret. */
  drainSlotsRet(): void {
    const ret = this.slotsRet;
    if (ret.length === 0) return;
    this.slotsRet = [];
    for (const k of ret) this.swapEntryFree(slotType(k), slotOffset(k));
  }
  /** swap_entry_free → swap_range_free: frontswap invalidate, the slot back to the allocator. */
  private swapEntryFree(type: number, off: number): void {
    if (this.zombies.length > 0) for (const z of this.zombies) z.drop(type, off);
    this.frontswap.invalidatePage(type, off);
    this.oracle.slotFreed(type, off);
    this.swap.get(type)?.free(off);
  }

  swapon(type: number, slots: number, rotational = false): void {
    const total = this.swap.totalSlots() + slots;
    if (total > LIMITS.maxSlots) {
      throw new UsageError(`swapping on ${slots} slots would make ${total} over all swap areas`, { field: 'slots' }, `at most ${LIMITS.maxSlots} slots over all swap areas at once`);
    }
    this.swap.on(type, slots, rotational, this.swapZeromap);
    this.oracle.swapon(type, slots);
    this.frontswap.init(type, slots);
  }

  /** swapoff: try_to_unuse reads every in-use slot back, then invalidate_area. */
  swapoff(type: number): void {
    // disable_swap_slots_cache_lock: the slots cache is off and drained, both sides, until swapoff ends.
    this.slotsCacheEnabled = false;
    this.drainSlotsCache();
    this.drainSlotsRet();
    this.memory.unuseArea(type);
    this.frontswap.swapoff(type);
    this.dropZombieArea(type);
    this.oracle.swapoff(type);
    this.swap.off(type);
    this.slotsCacheEnabled = true;
  }

  /**
   * frontswap_invalidate_area issued by a trace: the backend drops the area,
   * and so does every zombie (an unloaded backend still holding its pages);
   * nothing stored before may be loaded after.
   */
  invalidateArea(type: number): void {
    this.drainSlotsRet();
    // A swap-cache page whose only copy was in frontswap (or with a zombie) must not be dropped clean later.
    if (!this.frontswap.writethrough) {
      this.memory.redirtySwapCached(type, (off) => this.frontswap.test(type, off) || this.zombieHolds(type, off));
    }
    this.frontswap.invalidateArea(type);
    this.dropZombieArea(type);
    this.oracle.areaInvalidated(type);
    this.touchedAreas |= 1 << type;
  }

  // ---- completeness ------------------------------------------------------------------
  /** Swap areas whose slots an event changed wholesale (bit per type), checked by audit(). */
  touchedAreas = 0;
  /** Every swap area (rmmod, a node dying, a parameter change, frontswap_shrink). */
  touchAll(): void {
    this.touchedAreas = -1;
  }

  /**
   * The completeness invariant, run after every event: each anonymous page
   * the memory model has swapped out must have a copy in frontswap (or with
   * a zombie), or on the swap device; one that has none is counted lost. Only
   * the swap areas the event changed wholesale are walked (single-slot
   * operations keep the oracle exact by construction: a failed store writes
   * the device, a missed load is counted where it misses).
   */
  audit(): void {
    const mask = this.touchedAreas;
    if (mask === 0) return;
    this.touchedAreas = 0;
    this.memory.forEachSwappedOut(mask, this.auditSlot);
  }

  /** One swapped-out slot of the completeness check (bound once, not a closure per audit). */
  private readonly auditSlot = (type: number, off: number): void => {
    const loc = this.oracle.slotLoc(type, off);
    if (loc & (Loc.Disk | Loc.Lost)) return;
    if (loc & Loc.Tmem && (this.frontswap.test(type, off) || this.zombieHolds(type, off))) return;
    this.oracle.lostOwned(type, off, 'is swapped out but has no copy in frontswap or on the swap device');
  };

  private zombieHolds(type: number, off: number): boolean {
    for (const z of this.zombies) if (z.holds(type, off)) return true;
    return false;
  }

  private dropZombieArea(type: number): void {
    if (this.zombies.length === 0) return;
    for (const z of this.zombies) z.dropArea(type);
    this.reapZombies(this.clock);
  }

  /** cleancache_invalidate_fs issued by a trace. */
  invalidateFs(fs: number): void {
    this.cleancache.invalidateFs(fs);
    this.dropZombieFs(fs);
    this.oracle.ccDropFs(this.ccKey(fs));
  }

  private dropZombieFs(fs: number): void {
    if (this.zombies.length === 0) return;
    for (const z of this.zombies) z.dropFs(fs);
    this.reapZombies(this.clock);
  }

  // ---- page cache / cleancache -----------------------------------------------------
  // duplicates: alike to swapWrite above (due work, the op's charges around its body), see there.
  /** A page-cache miss: cleancache_get, else a filesystem read. */
  fileRead(fs: number, inode: number, index: number): boolean {
    this.runWork();
    this.ops.pageCacheMiss.begin();
    const hit = this.fileReadPage(fs, inode, index);
    this.ops.pageCacheMiss.end();
    return hit;
  }

  private fileReadPage(fs: number, inode: number, index: number): boolean {
    this.stats.pgcache_misses++;
    if (this.cleancacheGet(fs, inode, index)) return true;
    this.meter.io('fs', 'read');
    return false;
  }

  /** cleancache_get of a page-cache page being read (the oracle checks a hit, and forgets the page on a miss). */
  private cleancacheGet(fs: number, inode: number, index: number): boolean {
    const out = this.out;
    if (this.cleancache.get(fs, inode, index, out)) {
      this.stats.pgcache_gets_cleancache++;
      this.oracle.ccCheckGet(this.ccKey(fs), inode, index, out);
      return true;
    }
    this.oracle.ccDrop(this.ccKey(fs), inode, index);
    return false;
  }

  fileReadPages(fs: number, inode: number, indexes: readonly number[], demand: number): void {
    this.runWork();
    const sync = demand >= 0;
    if (sync) this.ops.pageCacheMiss.begin();
    // mpage_readahead: a page cleancache has breaks the bio; the rest go out one request per run of adjacent pages.
    let run = 0;
    let last = -2;
    for (const index of indexes) {
      if (index === demand) this.stats.pgcache_misses++;
      else this.stats.file_ra++;
      if (this.cleancacheGet(fs, inode, index)) continue;
      if (run > 0 && (index !== last + 1 || run === this.maxRequestPages)) {
        this.meter.io('fs', 'read', run);
        run = 0;
      }
      run++;
      last = index;
    }
    if (run > 0) this.meter.io('fs', 'read', run);
    if (sync) this.ops.pageCacheMiss.end();
  }

  /** A clean page leaves the page cache: cleancache_put. */
  filePut(fs: number, inode: number, index: number, desc: number): void {
    this.runWork();
    this.ops.cleancachePut.begin();
    this.filePutPage(fs, inode, index, desc);
    this.ops.cleancachePut.end();
  }

  private filePutPage(fs: number, inode: number, index: number, desc: number): void {
    const p = this.stamp(desc);
    if (!this.cleancache.put(fs, inode, index, p)) {
      // Nothing took the page (no backend, or no pool for this filesystem):
      // every later get must miss, which is what a dropped record says; no
      // record is kept, so the oracle's memory follows what backends hold,
      // not every page the trace ever evicted.
      this.oracle.ccDrop(this.ccKey(fs), inode, index);
      return;
    }
    this.oracle.ccPut(this.ccKey(fs), inode, index, p.tag, desc, this.oracle.hashOf(p));
  }

  /** Writeback of a dirty file page. */
  fileWriteback(): void {
    this.meter.io('fs', 'write');
    this.stats.writeback_pages++;
  }

  /** cleancache_invalidate_page / _inode issued by a tmem-level trace. */
  fileInvalidatePage(fs: number, inode: number, index: number): void {
    this.cleancache.invalidatePage(fs, inode, index);
    this.oracle.ccDrop(this.ccKey(fs), inode, index);
  }
  fileInvalidateInode(fs: number, inode: number): void {
    this.cleancache.invalidateInode(fs, inode);
    this.oracle.ccDropInode(this.ccKey(fs), inode);
  }

  mount(fs: number, uuid?: string): void {
    this.cleancache.mount(fs, uuid);
    this.uuids[fs] = uuid;
  }

  umount(fs: number): void {
    // Truncation waits for the pages reclaim holds locked: kswapd finishes its batch first.
    this.tasks.finishReclaimBatches();
    this.memory.dropFs(fs);
    const key = this.ccKey(fs);
    this.cleancache.umount(fs);
    this.dropZombieFs(fs);
    this.oracle.ccDropFs(key);
    this.uuids[fs] = undefined;
  }

  /**
   * The oracle's key for a filesystem's cleancache pages: the fs itself, or,
   * when the backend shares pools by uuid (Backend.sharedPools: Xen's shared
   * ephemeral pools), one key for every mount of that uuid, so a get through
   * any sharer is checked against the pool's last put.
   */
  ccKey(fs: number): number {
    const uuid = this.uuids[fs];
    if (uuid === undefined || this.backend?.sharedPools !== true) return fs;
    let k = this.uuidKeys.get(uuid);
    if (k === undefined) this.uuidKeys.set(uuid, (k = LIMITS.maxFs + 1 + this.uuidKeys.size));
    return k;
  }
}
