/**
 * Device profiles: the constants that turn a run's charges (cycles, I/O
 * operations, bytes moved) into time and energy. Every constant carries its
 * source: [R] read in a cited source, [I] inferred, with the working shown
 * (see ../shared/reference/peers-and-numbers.md). The built-in profiles are
 * data, profiles/builtin/NAME.json (builtin.ts), listed in registry.ts.
 */


/** A plausible range of a constant and where it comes from (a spread of published figures, or of a measurement). */
export interface Range {
  lo: number;
  hi: number;
  source: string;
}

export interface Sourced<T> {
  value: T;
  source: string;
  /** The plausible range of the value (lo <= value <= hi), for the uncertainty of results (src/cost/uncertainty.ts). */
  range?: Range;
}

export interface CodecCost {
  /** Cycles per call (crypto API, setup), independent of size. */
  fixedCycles: number;
  /** Cycles per input byte. */
  cyclesPerByte: number;
}

export interface CodecProfile {
  compress: CodecCost;
  decompress: CodecCost;
  source: string;
  /** The plausible range of a factor on all of the codec's cycles (1 = the figures above). */
  range?: Range;
}

export interface StorageProfile {
  name: string;
  /** Service time of one 4 KiB random operation at queue depth 1, µs. */
  readLatencyUs: Sourced<number>;
  writeLatencyUs: Sourced<number>;
  /** Energy of one 4 KiB operation (the device's active power over its service time), µJ. */
  readEnergyUJ: Sourced<number>;
  writeEnergyUJ: Sourced<number>;
  /**
   * Transfer rate of the pages after the first in one request, MB/s (10^6 B/s):
   * a request of n pages takes the 4 KiB latency plus (n - 1) x 4096 B at this
   * rate, at the same device power (see dirCost in src/cost/energy.ts).
   */
  seqReadMBps: Sourced<number>;
  seqWriteMBps: Sourced<number>;
  /**
   * Pages one block request can hold: the queue's max_segments, a page of an anonymous folio
   * being a segment of its own (swap writes to adjacent slots merge into one request up to
   * this, under the plug). Optional: absent, DEFAULT_MAX_REQUEST_PAGES (128; sim/machine.ts).
   */
  maxRequestPages?: Sourced<number>;
  /**
   * The swap device's I/O scheduler (its queue/scheduler). With one (mq-deadline, bfq, kyber) a
   * bio submitted without a plug is inserted into it and the hardware queue is run
   * asynchronously, by kblockd's WQ_HIGHPRI kworker (6.1 blk_mq_submit_bio: a request with
   * RQF_ELV goes to blk_mq_sched_insert_request(rq, false, true, true)), which wakes at nice -20
   * and preempts the submitter; with 'none' the submitter issues it directly. Only zswap's
   * writeback submits swap writes without a plug in the model (reclaim plugs its own).
   * Optional: absent, 'none'.
   */
  ioScheduler?: Sourced<IoScheduler>;
  /** Power while serving operations, W (the figure the per-operation energies come from). */
  activePowerW: Sourced<number>;
  /**
   * Power while not serving any, W: with `powerStates`, the power in its
   * low-power state (entered after powerStates.idleTimeoutUs of idle time);
   * without, the device is taken to be in it whenever it is idle.
   */
  idlePowerW: Sourced<number>;
  /** The low-power state between requests, on the simulated clock (absent: not modelled). */
  powerStates?: PowerStates;
}

/** A block queue's I/O scheduler (/sys/block/DEV/queue/scheduler). */
type IoScheduler = 'none' | 'mq-deadline' | 'bfq' | 'kyber';

/** A storage device's autonomous low-power state between requests (NVMe APST, UFS auto-hibern8). */
interface PowerStates {
  /** What it is, e.g. 'NVMe APST to PS4'. */
  name: string;
  /** Idle time before the device enters the low-power state, µs (its range is not repriced: it moves the schedule). */
  idleTimeoutUs: Sourced<number>;
  /** Time to leave it, charged to the next request (added to its latency; the device draws activePowerW meanwhile), µs. */
  exitLatencyUs: Sourced<number>;
  /** Power while idle before the timeout (an operational state, link up), W. */
  activeIdlePowerW: Sourced<number>;
}

/** The CPU figures of one cluster of a big.LITTLE SoC: what `NAME:CLUSTER` puts in `cpu`, `codecs` and `copy`. */
interface ClusterProfile {
  cluster: string;
  hz: Sourced<number>;
  activePowerW: Sourced<number>;
  codecs: Readonly<Record<string, CodecProfile>>;
  copy: Sourced<number>;
}

export interface Profile {
  name: string;
  aliases: readonly string[];
  description: string;
  cpu: {
    cluster: string;
    hz: Sourced<number>;
    /** Active power of one core of the cluster doing tmem work, W. */
    activePowerW: Sourced<number>;
  };
  codecs: Readonly<Record<string, CodecProfile>>;
  copy: Sourced<number>; // cycles per byte
  /**
   * The clusters tmem work can run on (big.LITTLE phones), by name; `cpu`,
   * `codecs` and `copy` above are those of `tmemCluster`. `--profile NAME:CLUSTER`
   * picks another (withCluster in registry.ts).
   */
  clusters?: Readonly<Record<string, ClusterProfile>>;
  tmemCluster?: string;
  storage: StorageProfile;
  /**
   * CPU cycles the kernel spends per block request, on the cluster above:
   * building and submitting it (bio, blk-mq, plug/unplug), the device driver
   * (queueing the command, DMA mapping, the doorbell), the completion
   * interrupt (entry, handler, softirq) and completing it (bio end_io, page
   * unlock, waking the faulting task).
   */
  blockIo: {
    submitCycles: Sourced<number>;
    driverCycles: Sourced<number>;
    irqCycles: Sourced<number>;
    completeCycles: Sourced<number>;
  };
  /**
   * CPU cycles of the memory manager's own work per page, on the cluster
   * above: a fault that allocates a page, a page reclaim takes, and the
   * reclaim of a page-cache page when it differs (absent: reclaimCycles), and one
   * reclaim pass's own work (absent: 0).
   * Optional: absent, DEFAULT_FAULT_CYCLES and DEFAULT_RECLAIM_CYCLES
   * (cost/meter.ts).
   */
  mm?: {
    faultCycles?: Sourced<number>;
    reclaimCycles?: Sourced<number>;
    reclaimFileCycles?: Sourced<number>;
    /**
     * A page reclaim isolates from an inactive list and looks at (pgscan): the isolation,
     * folio_check_references' reverse-map walk, the putback of a page it keeps or activates; a
     * page it reclaims costs reclaimCycles (or reclaimFileCycles) besides. Optional: absent, 0
     * (no built-in profile has a measured figure).
     */
    scanCycles?: Sourced<number>;
    /**
     * One reclaim pass over the node (6.1's shrink_node) beyond the pages it reclaims: the
     * shrinkers' pass (shrink_slab), the memcg statistics, vmpressure, the lruvec's setup.
     * Optional: absent, 0 (no built-in profile has a measured figure).
     */
    shrinkNodeCycles?: Sourced<number>;
    /**
     * One visit of zswap's shrink worker to an entry of its LRU (eras 6.6, 6.8+, 6.12): the walk
     * of one entry with its callback (a second chance's rotation, or a writeback, whose parts are
     * charged as they are), the memcg iteration around it and cond_resched. Optional: absent, 0
     * (no built-in profile has a measured figure).
     */
    zswapShrinkVisitCycles?: Sourced<number>;
    /**
     * A major fault that reads its page from the swap device, beyond the fault itself
     * (faultCycles): the block I/O of its read and of its readahead window's reads (submission,
     * driver, interrupt, completion) and the switches of its wait, where a profile prices them
     * per fault rather than per request (blockIo). Optional: absent, 0.
     */
    swapinIoCycles?: Sourced<number>;
    /**
     * A page memory compaction migrates (kcompactd, with the buddy allocator's frames), with its
     * share of the scanners' work: isolation, unmapping, the copy, remapping. Optional: absent,
     * a page copy and reclaimCycles.
     */
    migrateCycles?: Sourced<number>;
  };
  /** DRAM energy per byte moved, nJ. */
  dramEnergyNJPerByte: Sourced<number>;
  network: {
    latencyUs: Sourced<number>;
    bandwidthMBps: Sourced<number>;
    energyNJPerByte: Sourced<number>;
  };
}

/** A profile's CPU figures as one cluster of a device (mobile's LITTLE cluster is mobile-emmc's CPU). */
export function clusterOf(p: Profile): ClusterProfile {
  const { cluster, hz, activePowerW } = p.cpu;
  return { cluster, hz, activePowerW, codecs: p.codecs, copy: p.copy };
}

/** A cluster's figures as the profile's `cpu`, `codecs` and `copy`: tmem work on that cluster. */
export function onCluster(c: ClusterProfile): Pick<Profile, 'cpu' | 'codecs' | 'copy'> {
  const { cluster, hz, activePowerW, codecs, copy } = c;
  return { cpu: { cluster, hz, activePowerW }, codecs, copy };
}

/** x86 cycles per byte from lzbench 2.4 (EPYC 9555P at 3.2 GHz, silesia): cycles/B = 3200 / (MB/s). */
export function lzbenchCyclesPerByte(mbPerS: number): number {
  return 3200 / mbPerS;
}
