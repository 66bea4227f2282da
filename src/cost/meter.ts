/**
 * The cost meter: every layer charges the work it models here. Charges are
 * counts (bytes, operations, cycles); the profile turns them into time and
 * energy at report time, so one run's charges are deterministic whatever the
 * host. The meter also returns the modelled latency of each charge (ns) so
 * the simulator can advance its clock.
 */

import { PAGE_SIZE } from '../content/page.js';
import { doubleFields } from '../shapes.js';

export type Device = 'swap' | 'fs';
export type IoDir = 'read' | 'write';

/**
 * The memory manager's own work per page when a profile does not give it
 * (Profile.mm), charged in both passes so the baseline has a CPU cost too.
 * Estimates [I]: a minor fault with page allocation and mapping is roughly
 * 1-2 µs of kernel time on x86 (~3000 cycles); reclaiming one page (LRU
 * isolation, unmapping, freeing) roughly 1000 cycles.
 */
const DEFAULT_FAULT_CYCLES = 3000;
const DEFAULT_RECLAIM_CYCLES = 1000;

/** What a profile must say for the meter to price a charge. */
export interface CostModel {
  /** CPU cycles to compress `inBytes` into `outBytes` with compressor `comp`. */
  compressCycles(comp: string, inBytes: number, outBytes: number): number;
  decompressCycles(comp: string, inBytes: number, outBytes: number): number;
  /** Cycles to copy `bytes` (memcpy of a page, say). */
  copyCycles(bytes: number): number;
  /** CPU frequency of the cluster doing tmem work, Hz. */
  readonly cpuHz: number;
  /** CPU cycles of a page fault that allocates a page, and of a page reclaim takes (absent: DEFAULT_FAULT_CYCLES, DEFAULT_RECLAIM_CYCLES). */
  readonly faultCycles?: number;
  readonly reclaimCycles?: number;
  /** CPU cycles of a page-cache page's reclaim (absent: reclaimCycles). */
  readonly reclaimFileCycles?: number;
  /** CPU cycles of a page reclaim isolates from an inactive list and looks at (absent: 0). */
  readonly scanCycles?: number;
  /** CPU cycles of one reclaim pass over the node beyond its pages (6.1's shrink_node; absent: 0). */
  readonly shrinkNodeCycles?: number;
  /** CPU cycles of one visit of zswap's shrink worker to an entry of its LRU (absent: 0). */
  readonly zswapShrinkVisitCycles?: number;
  /** CPU cycles of a major fault's read from the swap device beyond the fault (absent: 0). */
  readonly swapinIoCycles?: number;
  /** CPU cycles of a page compaction migrates (absent: a page copy and reclaimCycles). */
  readonly migrateCycles?: number;
  /**
   * Device service time of one operation of `pages` contiguous 4 KiB pages
   * (one request: a batched swap write, a readahead window), ns.
   */
  ioLatencyNs(dev: Device, dir: IoDir, pages: number): number;
  /**
   * CPU cycles the kernel spends on one block request, whatever its size
   * (submission, driver, interrupt, completion); absent (0) if the model does not price it.
   */
  readonly ioCyclesPerRequest?: number;
  /** Pages one block request can hold (the storage's max_segments); absent: the machine's default. */
  readonly maxRequestPages?: number;
  /**
   * A bio submitted without a plug runs the device's hardware queue from kblockd's nice -20
   * kworker, which preempts the submitter (the storage has an I/O scheduler); absent: false.
   */
  readonly asyncQueueRun?: boolean;
  /**
   * The storage device's low-power state between requests (NVMe APST, UFS
   * auto-hibern8), absent when not modelled: after `timeoutNs` of idle time the
   * device enters it, and the next request first waits `exitNs` for it to leave.
   */
  readonly lowPower?: { timeoutNs: number; exitNs: number };
  /** Network transfer time of `bytes` (latency + bytes/bandwidth), ns. */
  netLatencyNs(bytes: number): number;
}

/** The accumulated charges of a run. Plain numbers, stable key order. */
export interface CostTotals {
  cpuCycles: number;
  compressCycles: number;
  decompressCycles: number;
  copyCycles: number;
  metaCycles: number;
  compressOps: number;
  decompressOps: number;
  compressInBytes: number;
  compressOutBytes: number;
  decompressInBytes: number;
  copyBytes: number;
  dramBytes: number;
  /** Pages read from / written to each device (4 KiB each). */
  swapReads: number;
  swapWrites: number;
  fsReads: number;
  fsWrites: number;
  /** Device operations (requests) those pages took: one per io() call, of 1 or more pages. */
  swapReadOps: number;
  swapWriteOps: number;
  fsReadOps: number;
  fsWriteOps: number;
  /** CPU cycles of the block I/O path (submission, driver, interrupt, completion); also in cpuCycles. */
  ioCycles: number;
  netBytes: number;
  netMessages: number;
  /**
   * The storage device's low-power state on the simulated clock (when the
   * model has one): time spent in it over the idle gaps between requests
   * (the gap after the last request is priced at the end, see energyOf),
   * the number of times a request woke it, and when the last request ended.
   */
  devLowNs: number;
  devLowExits: number;
  devLastEndNs: number;
  /** Modelled time the CPU was busy with the work above, ns. */
  cpuNs: number;
  /** Modelled time spent waiting on devices and the network, ns. */
  ioNs: number;
}

/**
 * The totals of cycles, bytes and ns, which pass 2^31 mid-run (src/shapes.ts); the counts of
 * pages and operations stay small integers (faster to add to, and 2^31 operations is beyond a
 * replay's length).
 */
const TOTALS_PAST_2_31 = ['cpuCycles', 'compressCycles', 'decompressCycles', 'copyCycles', 'metaCycles', 'compressInBytes', 'compressOutBytes',
  'decompressInBytes', 'copyBytes', 'dramBytes', 'ioCycles', 'netBytes', 'devLowNs', 'devLastEndNs', 'cpuNs', 'ioNs'] as const;

export function zeroTotals(): CostTotals {
  return doubleFields({
    cpuCycles: 0, compressCycles: 0, decompressCycles: 0, copyCycles: 0, metaCycles: 0,
    compressOps: 0, decompressOps: 0, compressInBytes: 0, compressOutBytes: 0, decompressInBytes: 0,
    copyBytes: 0, dramBytes: 0,
    swapReads: 0, swapWrites: 0, fsReads: 0, fsWrites: 0,
    swapReadOps: 0, swapWriteOps: 0, fsReadOps: 0, fsWriteOps: 0, ioCycles: 0,
    netBytes: 0, netMessages: 0,
    devLowNs: 0, devLowExits: 0, devLastEndNs: 0,
    cpuNs: 0, ioNs: 0,
  }, TOTALS_PAST_2_31);
}

export class CostMeter {
  readonly totals: CostTotals = zeroTotals();
  /** Device read time charged so far, ns: what the task that reads waits (writes are asynchronous). */
  readWaitNs = 0;
  /** Latency accumulated since the simulator last took it (ns). */
  private pendingNs = 0;
  /** Latency charged inside the open span (see beginSpan), ns. */
  private spanNs = 0;
  // The last price asked of the model for each kind of charge: a run charges
  // the same few (compressor, sizes) over and over, and the model's
  // functions are pure (a profile's constants).
  private cComp = '';
  private cIn = -1;
  private cOut = -1;
  private cCycles = 0;
  private dComp = '';
  private dIn = -1;
  private dOut = -1;
  private dCycles = 0;
  private copyBytesLast = -1;
  private copyCyclesLast = 0;

  /** The simulated time at the last takePendingNs (the machine's clock), for device power states. */
  private clock: () => number = () => 0;

  private readonly faultCycles: number;
  private readonly reclaimCycles: number;
  private readonly reclaimFileCycles: number;
  private readonly scanCycles: number;
  private readonly shrinkNodeCycles: number;
  private readonly zswapShrinkVisitCycles: number;
  private readonly swapinIoCycles: number;
  private readonly migrateCycles: number | undefined;

  constructor(private readonly model: CostModel) {
    this.faultCycles = model.faultCycles ?? DEFAULT_FAULT_CYCLES;
    this.reclaimCycles = model.reclaimCycles ?? DEFAULT_RECLAIM_CYCLES;
    this.reclaimFileCycles = model.reclaimFileCycles ?? this.reclaimCycles;
    this.scanCycles = model.scanCycles ?? 0;
    this.shrinkNodeCycles = model.shrinkNodeCycles ?? 0;
    this.zswapShrinkVisitCycles = model.zswapShrinkVisitCycles ?? 0;
    this.swapinIoCycles = model.swapinIoCycles ?? 0;
    this.migrateCycles = model.migrateCycles;
    // Its running ns pass 2^31 mid-run (src/shapes.ts).
    doubleFields(this, ['readWaitNs', 'pendingNs', 'spanNs']);
  }

  /** Where the simulated clock is read (the machine's `clock`); a request is issued at clock() + the work charged since. */
  setClock(clock: () => number): void {
    this.clock = clock;
  }

  private cpu(cycles: number): void {
    const t = this.totals;
    t.cpuCycles += cycles;
    const ns = (cycles * 1e9) / this.model.cpuHz;
    t.cpuNs += ns;
    this.pendingNs += ns;
    this.spanNs += ns;
  }

  // duplicates: alike in shape to decompress() below: two directions, each with its own one-entry memo of the cost
  // model's cycles and its own totals.
  compress(comp: string, inBytes: number, outBytes: number): void {
    if (comp !== this.cComp || inBytes !== this.cIn || outBytes !== this.cOut) {
      this.cCycles = this.model.compressCycles(comp, inBytes, outBytes);
      this.cComp = comp;
      this.cIn = inBytes;
      this.cOut = outBytes;
    }
    const c = this.cCycles;
    const t = this.totals;
    t.compressCycles += c;
    t.compressOps++;
    t.compressInBytes += inBytes;
    t.compressOutBytes += outBytes;
    t.dramBytes += inBytes + outBytes;
    this.cpu(c);
  }

  decompress(comp: string, inBytes: number, outBytes: number): void {
    if (comp !== this.dComp || inBytes !== this.dIn || outBytes !== this.dOut) {
      this.dCycles = this.model.decompressCycles(comp, inBytes, outBytes);
      this.dComp = comp;
      this.dIn = inBytes;
      this.dOut = outBytes;
    }
    const c = this.dCycles;
    const t = this.totals;
    t.decompressCycles += c;
    t.decompressOps++;
    t.decompressInBytes += inBytes;
    t.dramBytes += inBytes + outBytes;
    this.cpu(c);
  }

  /** A memcpy of `bytes` (an uncompressed backend's put or get, say). */
  copy(bytes: number): void {
    if (bytes !== this.copyBytesLast) {
      this.copyCyclesLast = this.model.copyCycles(bytes);
      this.copyBytesLast = bytes;
    }
    const c = this.copyCyclesLast;
    this.totals.copyCycles += c;
    this.totals.copyBytes += bytes;
    this.totals.dramBytes += 2 * bytes;
    this.cpu(c);
  }

  /** The memory manager's work on a fault that allocates a page (the profile's mm.faultCycles). */
  fault(): void {
    this.meta(this.faultCycles);
  }

  /** A major fault's read from the swap device, beyond the fault (the profile's mm.swapinIoCycles). */
  swapinIo(): void {
    if (this.swapinIoCycles > 0) this.meta(this.swapinIoCycles);
  }

  /** The memory manager's work on a page reclaim takes (the profile's mm.reclaimCycles), or `share` of it. */
  reclaim(share = 1): void {
    this.meta(this.reclaimCycles * share);
  }

  /** The memory manager's work on a page-cache page reclaim takes (the profile's mm.reclaimFileCycles). */
  reclaimFile(): void {
    this.meta(this.reclaimFileCycles);
  }

  /** A page compaction migrates (the profile's mm.migrateCycles; absent, a page copy and a reclaim's work). */
  migrate(): void {
    if (this.migrateCycles !== undefined) this.meta(this.migrateCycles);
    else {
      this.copy(PAGE_SIZE);
      this.reclaim();
    }
  }

  /** The profile prices a page reclaim looks at (mm.scanCycles above 0): scan() charges something. */
  get chargesScans(): boolean {
    return this.scanCycles > 0;
  }

  /** Pages reclaim isolated from an inactive list and looked at (the profile's mm.scanCycles each). */
  scan(pages: number): void {
    if (this.scanCycles > 0 && pages > 0) this.meta(this.scanCycles * pages);
  }

  /** One reclaim pass over the node, beyond the pages it reclaims (the profile's mm.shrinkNodeCycles). */
  shrinkNode(): void {
    if (this.shrinkNodeCycles > 0) this.meta(this.shrinkNodeCycles);
  }

  /** One visit of zswap's shrink worker to an entry of its LRU (the profile's mm.zswapShrinkVisitCycles). */
  zswapShrinkVisit(): void {
    if (this.zswapShrinkVisitCycles > 0) this.meta(this.zswapShrinkVisitCycles);
  }

  /** Bookkeeping work (tree walks, list moves), in cycles. */
  meta(cycles: number): void {
    this.totals.metaCycles += cycles;
    this.cpu(cycles);
  }

  /**
   * One device operation (one block request) of `pages` contiguous 4 KiB
   * pages: a single page fault's read, or a batch of swap writes / a
   * readahead window issued as one request. Its service time and energy
   * grow with its size (the profile's first-page cost plus the rest at the
   * device's sequential rate), and the kernel's block I/O path costs CPU
   * cycles once per request (submission, driver, interrupt, completion).
   * Call it once per request, not once per page.
   */
  io(dev: Device, dir: IoDir, pages = 1): void {
    if (!(Number.isInteger(pages) && pages >= 1)) throw new RangeError(`io: pages must be an integer >= 1, got ${pages}`);
    const t = this.totals;
    if (dev === 'swap') {
      if (dir === 'read') {
        t.swapReads += pages;
        t.swapReadOps++;
      } else {
        t.swapWrites += pages;
        t.swapWriteOps++;
      }
    } else if (dir === 'read') {
      t.fsReads += pages;
      t.fsReadOps++;
    } else {
      t.fsWrites += pages;
      t.fsWriteOps++;
    }
    t.dramBytes += pages * PAGE_SIZE;
    const cycles = this.model.ioCyclesPerRequest ?? 0;
    if (cycles > 0) {
      t.ioCycles += cycles;
      this.cpu(cycles);
    }
    let ns = this.model.ioLatencyNs(dev, dir, pages);
    const lp = this.model.lowPower;
    if (lp) {
      // One device at queue depth 1: the request starts when issued, or when the one before it ended.
      const now = this.clock() + this.pendingNs;
      const start = now > t.devLastEndNs ? now : t.devLastEndNs;
      const gap = start - t.devLastEndNs;
      if (gap > lp.timeoutNs) {
        t.devLowNs += gap - lp.timeoutNs;
        t.devLowExits++;
        ns += lp.exitNs; // the exit latency is charged to this request
      }
      t.devLastEndNs = start + ns;
    }
    t.ioNs += ns;
    if (dir === 'read') this.readWaitNs += ns;
    this.pendingNs += ns;
    this.spanNs += ns;
  }

  /** One network message of `bytes` (RAMster). */
  net(bytes: number): void {
    this.totals.netBytes += bytes;
    this.totals.netMessages++;
    const ns = this.model.netLatencyNs(bytes);
    this.totals.ioNs += ns;
    this.pendingNs += ns;
    this.spanNs += ns;
  }

  /**
   * Open a span: the latency of the charges made until endSpan is the
   * modelled latency of one operation (a swap-in, a page-cache miss). Spans
   * nest: pass what beginSpan returned to endSpan.
   */
  beginSpan(): number {
    const outer = this.spanNs;
    this.spanNs = 0;
    return outer;
  }

  /** Close a span opened by beginSpan; returns the latency charged inside it, ns. */
  endSpan(outer: number): number {
    const ns = this.spanNs;
    this.spanNs = outer + ns;
    return ns;
  }

  /** Work charged since the last takePendingNs (the clock has not moved by it yet). */
  peekPendingNs(): number {
    return this.pendingNs;
  }

  /** Latency charged since the last call, ns; resets it. */
  takePendingNs(): number {
    const ns = this.pendingNs;
    this.pendingNs = 0;
    return ns;
  }
}
