/**
 * A RAMster peer node as the local node sees it: its liveness and its store
 * of foreign pages (the pages other nodes remotified to it).
 *
 * Kernel: a peer runs its own zcache. RAMster's put handler
 * (ramster_remote_put_handler, r2net.c) does zcache_autocreate_pool(client =
 * the sending node, pool_id, eph) and a raw zcache_put_page of the
 * compressed bytes; the async-get handler does a raw zcache_get_page with
 * get_and_free 1 or -1; the flush handlers do zcache_flush_page /
 * zcache_flush_object. zcache_pampd_create/free count foreign_{eph,pers}_pages
 * for every non-local client (ramster_count_foreign_pages).
 *
 * tmemsim: the peer's zcache is a ZcacheBackend of its own on a NodeEnv
 * whose RAM is the node's budget for foreign pages (remote_node_pages), never
 * the local guest RAM. Only the local node (0) sends pages, so every page a
 * peer holds is foreign and foreign_*_pages are the peer's eph/pers zpages.
 * The peer's CPU work is not the local machine's: its meter prices nothing.
 * A node's death wipes its store; nodeUp brings it back empty (a reboot).
 */

import type { BackendEnv, SwapWriteback, VmInfo } from '../backend.js';
import type { CounterSpec, CountersOf } from '../counters.js';
import type { Compressed } from '../../compressors/compressor.js';
import type { CompressionService } from '../../compressors/service.js';
import { CostMeter, type CostModel } from '../../cost/meter.js';
import type { ParamMap } from '../params.js';
import { InvariantError } from '../../errors.js';
import type { WorkItem } from '../../sim/workqueue.js';
import { TMEM_POOL_PERSIST } from '../../tmem/tmem.js';
import { ZcacheBackend } from '../zcache/zcache.js';
import { Zbud } from '../zcache/zbud.js';

/** The peer's CPU and devices are not the local machine's: nothing is priced. */
const UNPRICED: CostModel = {
  compressCycles: () => 0,
  decompressCycles: () => 0,
  copyCycles: () => 0,
  cpuHz: 1e9,
  ioLatencyNs: () => 0,
  netLatencyNs: () => 0,
};

/** The machine a peer's zcache runs on: only its page budget matters. */
class NodeEnv implements BackendEnv {
  readonly meter = new CostMeter(UNPRICED);
  poolPages = 0;
  peakPoolPages = 0;
  constructor(
    readonly compression: CompressionService,
    readonly ramPages: number,
    readonly verifyBytes: boolean,
    private readonly clock: () => number,
  ) {}
  now(): number {
    return this.clock();
  }
  // duplicates: allocPage/freePage are alike to sim/machine.ts's (the local BackendEnv): kernel-shaped, a peer's zcache
  // takes pageframes from its own RAM, node 0's from the zone's free pages above the min watermark; only the bookkeeping
  // is alike.
  allocPage(): boolean {
    if (this.poolPages >= this.ramPages) return false;
    this.poolPages++;
    if (this.poolPages > this.peakPoolPages) this.peakPoolPages = this.poolPages;
    return true;
  }
  freePage(): void {
    this.poolPages--;
  }
  frontswapCurrPages(): number {
    return 0;
  }
  frontswapShrink(_target: number): { toRam: number; toDisk: number } {
    return { toRam: 0, toDisk: 0 };
  }
  swapWriteback(): SwapWriteback {
    return 'exists';
  }
  ephemeralDropped(_poolId: number, _oid: number, _index: number): void {
    // A remote node's own cleancache pages are not the oracle's.
  }
  vm(): VmInfo {
    return { totalram: this.ramPages, maxram: this.ramPages, committedAs: 0, totalreserve: 0, free: this.ramPages - this.poolPages };
  }
  setTotalram(_pages: number): void {}
  queueWork(work: WorkItem): boolean {
    throw new InvariantError(`a peer node's zcache queued work '${work.name}' (it runs none)`);
  }
  workPending(_work: WorkItem): boolean {
    return false;
  }
}

// duplicates: alike in shape only to frontends/frontswap.ts's FrontswapCounters and LoadResult (an interface, then a
// const enum): nothing in common.
/** A compressed page as it travels in a message: the bytes, their length, the oracle's tag. */
export interface Zpage {
  data: Compressed;
  clen: number;
  tag: number;
}

/** Liveness of a peer at some time, as r2net sees it. */
export const enum Link {
  /** Connected: messages are answered. */
  Up = 0,
  /** Dead but not yet detected: a message is sent and its sender waits for a reply that never comes. */
  Hang = 1,
  /** Known down (nn_persistent_error / !nn_sc_valid): a send fails at once with -ENOTCONN. */
  Down = 2,
}

// duplicates: alike in shape to the other backends' counter lists (RAMSTER_COUNTERS in ramster/ramster.ts,
// XEN_TMEM_COUNTERS in xen-tmem/xen-tmem.ts, SELFBALLOON_COUNTERS in xen-tmem/selfballoon.ts, ZBUD_COUNTERS in
// zcache/zbud.ts, ZCACHE_COUNTERS in zcache/zcache.ts, ZSWAP_COUNTERS in zswap.ts): tmemsim's own figures for a peer
// (the kernel exports none): alike in shape only; one list per backend, each feeding its stats, report and docs.
/** A peer's state, as stats() reports it (tmemsim's; group ramster_node<i>). */
export const REMOTE_NODE_COUNTERS = [
  { name: 'up', kind: 'gauge', doc: "tmemsim's: 1 while the node is up." },
  { name: 'deaths', kind: 'event', doc: "tmemsim's: node_down events." },
  { name: 'foreign_eph_pages', kind: 'gauge', doc: "tmemsim's: ephemeral pages the node holds for node 0." },
  { name: 'foreign_eph_pages_max', kind: 'gauge', doc: "tmemsim's: most such ephemeral pages at once." },
  { name: 'foreign_pers_pages', kind: 'gauge', doc: "tmemsim's: persistent pages the node holds for node 0." },
  { name: 'foreign_pers_pages_max', kind: 'gauge', doc: "tmemsim's: most such persistent pages at once." },
  { name: 'pageframes', kind: 'gauge', doc: "tmemsim's: pageframes of the node's RAM holding foreign pages." },
  { name: 'pageframes_max', kind: 'gauge', doc: "tmemsim's: most such pageframes at once." },
] as const satisfies readonly CounterSpec[];

type RemoteNodeCounters = CountersOf<typeof REMOTE_NODE_COUNTERS>;

export class RemoteNode {
  /** The node's zcache, or null while it is dead (its memory is gone). */
  store: ZcacheBackend | null = null;
  /** (client << 16 | sender's pool id) → pool id in the node's zcache (zcache_autocreate_pool). */
  private readonly pools = new Map<number, number>();
  /** When r2net declares the connection dead (idle timeout after the death), ns. */
  detectAtNs = Infinity;
  private foreignEphMax = 0;
  private foreignPersMax = 0;
  private pageframesMax = 0;
  deaths = 0;

  constructor(
    readonly id: number,
    private readonly compression: CompressionService,
    private readonly budgetPages: number,
    private readonly verifyBytes: boolean,
    private readonly clock: () => number,
    private readonly zcacheParams: ParamMap,
  ) {
    this.boot();
  }

  get up(): boolean {
    return this.store !== null;
  }

  /** The link to this node at time tNs. */
  link(tNs: number): Link {
    if (this.store !== null) return Link.Up;
    return tNs < this.detectAtNs ? Link.Hang : Link.Down;
  }

  /** A fresh, empty zcache (boot or reboot). */
  private boot(): void {
    this.store = new ZcacheBackend(new NodeEnv(this.compression, this.budgetPages, this.verifyBytes, this.clock), this.zcacheParams);
    this.pools.clear();
  }

  /** The node dies at tNs: its memory is lost; r2net notices after `timeoutNs`. */
  die(tNs: number, timeoutNs: number): void {
    if (this.store === null) return;
    this.store = null;
    this.pools.clear();
    this.deaths++;
    this.detectAtNs = tNs + timeoutNs;
  }

  /** The node is up again (manual_node_up after a reboot): empty, reconnected at once. */
  revive(): void {
    if (this.store !== null) return;
    this.boot();
    this.detectAtNs = Infinity;
  }

  /** zcache_autocreate_pool(client, pool_id, eph): the node's pool id, or -1 when it has none left. */
  private poolFor(client: number, poolId: number, eph: boolean, create: boolean): number {
    const key = client * 65536 + poolId;
    const id = this.pools.get(key);
    if (id !== undefined) return id;
    if (!create || this.store === null) return -1;
    const nid = this.store.newPool(eph ? 0 : TMEM_POOL_PERSIST);
    if (nid >= 0) this.pools.set(key, nid);
    return nid;
  }

  /** ramster_remote_put_handler: a raw put of a foreign page. True iff stored (status 0). */
  put(client: number, poolId: number, eph: boolean, oid: number, index: number, z: Zpage): boolean {
    const s = this.store;
    if (s === null) return false;
    const pid = this.poolFor(client, poolId, eph, true);
    if (pid < 0) return false;
    const ok = s.putRaw(pid, oid, index, z);
    if (ok) this.noteMax();
    return ok;
  }

  /**
   * ramster_remote_async_get_request_handler: a raw zcache_get_page with
   * get_and_free = free ? 1 : -1. Returns the stored zbud (its data, clen
   * and tag travel back in the reply), or null (a reply of size 0).
   */
  get(client: number, poolId: number, oid: number, index: number, free: boolean): Zpage | null {
    const s = this.store;
    if (s === null) return null;
    const pid = this.poolFor(client, poolId, false, false);
    if (pid < 0) return null;
    const pool = s.poolById(pid);
    if (pool === null || pool.objCount === 0) return null;
    const z = s.tmem.get(pool, oid, index, free ? 1 : -1);
    // a peer's zcache holds only local pampds (zbuds) for the pages it keeps
    if (z === null || !(z instanceof Zbud) || z.data === null) return null;
    const r = { data: z.data, clen: z.clen, tag: z.tag };
    // get_data_and_free: the accounting is zcache_pampd_free's
    if (free) s.pampdFree(z, pool);
    return r;
  }

  /** The stored zbud without side effects (for the repatriate preload). */
  peek(client: number, poolId: number, oid: number, index: number): Zpage | null {
    const s = this.store;
    if (s === null) return null;
    const pid = this.poolFor(client, poolId, false, false);
    if (pid < 0) return null;
    const pool = s.poolById(pid);
    if (pool === null) return null;
    const z = s.tmem.lookup(pool, oid, index);
    if (z === undefined || !(z instanceof Zbud) || z.data === null) return null;
    return { data: z.data, clen: z.clen, tag: z.tag };
  }

  /** ramster_remote_flush_handler. */
  flushPage(client: number, poolId: number, oid: number, index: number): void {
    const s = this.store;
    if (s === null) return;
    const pid = this.poolFor(client, poolId, false, false);
    if (pid >= 0) s.flushPage(pid, oid, index);
  }

  /** ramster_remote_flobj_handler. */
  flushObject(client: number, poolId: number, oid: number): void {
    const s = this.store;
    if (s === null) return;
    const pid = this.poolFor(client, poolId, false, false);
    if (pid >= 0) s.flushObject(pid, oid);
  }

  private noteMax(): void {
    const c = this.store!.counters;
    if (c.eph_zpages > this.foreignEphMax) this.foreignEphMax = c.eph_zpages;
    if (c.pers_zpages > this.foreignPersMax) this.foreignPersMax = c.pers_zpages;
    const pf = c.eph_pageframes + c.pers_pageframes;
    if (pf > this.pageframesMax) this.pageframesMax = pf;
  }

  get foreignEphPages(): number {
    return this.store?.counters.eph_zpages ?? 0;
  }

  get foreignPersPages(): number {
    return this.store?.counters.pers_zpages ?? 0;
  }

  counters(): RemoteNodeCounters {
    const c = this.store?.counters;
    return {
      up: this.store !== null ? 1 : 0,
      deaths: this.deaths,
      foreign_eph_pages: c?.eph_zpages ?? 0,
      foreign_eph_pages_max: this.foreignEphMax,
      foreign_pers_pages: c?.pers_zpages ?? 0,
      foreign_pers_pages_max: this.foreignPersMax,
      pageframes: c !== undefined ? c.eph_pageframes + c.pers_pageframes : 0,
      pageframes_max: this.pageframesMax,
    };
  }
}
