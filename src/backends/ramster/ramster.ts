/**
 * RAMster: peer-to-peer transcendent memory. The local node (0) runs zcache;
 * a worker "remotifies" its least recently used zbud pageframes to a target
 * peer over r2net, leaving remote pampds in tmem; gets of those pages fetch
 * them back over the network. A peer that dies takes its pages with it: for
 * persistent (frontswap) pages that is data loss, RAMster's single point of
 * failure, and the simulator's oracle reports each such page as lost when a
 * load of it fails.
 *
 * Kernel source followed: TL:drivers/staging/zcache/ramster/ramster.c,
 * r2net.c, tcp.c, tcp.h, heartbeat.[ch], ramster.h, and the CONFIG_RAMSTER
 * parts of zcache-main.c, tmem.c and zbud.c (zbud_make_zombie_lru), Linux
 * 3.9–3.10 (zcache2 + RAMster in drivers/staging/zcache), plus
 * ramster-howto.txt for the cluster set-up.
 *
 *   insmod:  the local zcache (zcache's module parameters pass through);
 *            peers 1..nodes-1, each up with an empty zcache of remote_node_pages;
 *            remote_target_nodenum set (the howto's echo to sysfs);
 *            remotify worker first due at now + remotify_first_delay_s (kernel: 60 s);
 *            selfshrink worker due at now + 5 s unless disable_frontswap_selfshrink
 *   remotify worker (ramster_remotify_process), every 1 s after a run ends:
 *     if target unset: requeue
 *     if cleancache && eph_remotify_enable:  100 × { send queued flushes; remotify_pageframe(eph) }
 *     if frontswap && pers_remotify_enable: 100 × { send queued flushes; remotify_pageframe(pers) }
 *   remotify_pageframe(eph):
 *     page = the LRU evictable pageframe of that side; zombify it (off the LRU
 *            and the budlists: never chosen again) and copy its 1-2 zbuds out
 *     for each zbud: cksum = byte sum; r2net_remote_put(target, handle, data)
 *       failed (no target, node down, node out of room): *_pages_remote_failed++,
 *               break — the zbud and any after it stay local in the zombie page:
 *               tmem still points at them, so they are not lost and gets are
 *               served locally, but the pageframe is never remotified, evicted
 *               or reclaimed again (the kernel's "some form of a memory leak")
 *       ok: *_pages_remoted++ (pers: remote_pers_pages++);
 *           tmem_replace: the slot now holds a remote pampd (node, clen, cksum);
 *           the local zbud is freed (the pageframe too, once both buds went)
 *   peer, put handler: zcache_autocreate_pool(client 0, pool id, eph); a raw put
 *           (zbud, its own pageframes, the ouroboros for foreign eph pages);
 *           foreign_{eph,pers}_pages[_max]
 *   get of a remote pampd (tmem_get → tmem_repatriate):
 *     pers without exclusive gets: preload = local space for clen (zbud create,
 *           ouroboros allowed); none: pers_pages_remote_nomem++; some:
 *           remote_pers_pages--, and the remote copy will be freed
 *     r2net_remote_async_get(free = tmem's get_and_free or preloaded):
 *           target's link down (kernel checks the target's nn, see below) or
 *           holder's link down → -ENOTCONN → miss (no counter)
 *           request → peer: raw get (get_and_free 1 or -1) → reply with the data
 *     ramster_localify: reply of size 0 → remote_*_pages_unsucc_get++, the local
 *           remote pampd is deleted, miss; else decompress into the page,
 *           remote_*_pages_succ_get++; preloaded: the local zbud replaces the
 *           remote pampd (the page is home again); otherwise the remote pampd
 *           stays in tmem even when the remote copy was freed (a "ghost")
 *   free of a remote pampd (ramster_pampd_free):
 *     from flush_object / destroy_pool (NULL oid): nothing; flush_object then
 *           queues one FLUSH_OBJ for the object (pamops.free_obj; not for an
 *           ephemeral pool's destroy)
 *     ephemeral: nothing ("FIXME remote flush optional"): the copy is orphaned
 *     persistent: queue FLUSH_PAGE, remote_pers_pages--
 *   queued flushes: a LIFO list, sent by the worker: remote_{pages,objects}_flushed
 *           or remote_{page,object}_flushes_failed
 *   node death (nodeDown): the peer's memory is gone at once; r2net notices after
 *           heartbeat_timeout_ms (RAMster has no disk heartbeat: its r2hb only
 *           marks nodes up by hand; a dead peer is found by r2net's idle timer,
 *           R2NET_IDLE_TIMEOUT_MS_DEFAULT = 30000 ms). Until then a message to it
 *           is sent and never answered: the remotify worker blocks until the
 *           timeout and its send then fails (-EHOSTDOWN); afterwards sends fail
 *           at once (-ENOTCONN). Gets of pages it held miss: ephemeral → a
 *           harmless miss; persistent → the frontswap load fails, the oracle
 *           counts the page lost. Remotify to a dead target keeps failing and
 *           leaves every LRU pageframe a zombie (local, never evictable again).
 *   nodeUp: the peer comes back empty (a reboot) and reconnects; a get of a
 *           page it held gets a reply of size 0 (unsucc_get; the kernel BUG()s
 *           for a persistent page: tmemsim misses, and the oracle counts it lost)
 *   frontswap selfshrinking: every 5 s, the §4 algorithm (backends/ramster/selfshrink.ts),
 *           frontswap_shrink repatriates swap pages, remote ones by remote gets
 *
 * Counters: stats() = { zcache: the local zcache's, zbud: the local zbud's
 * (pers_zombie_count = persistent zombie pageframes now), ramster: the
 * kernel's /sys/kernel/debug/ramster/ files in their order, then tmemsim's,
 * ramster_node<i>: each peer's state }. poolPages() counts the local
 * pageframes only (a peer's RAM is not the guest's); storedPages() and
 * storedBytes() count the local zcache's pages plus the remote pages the
 * local tmem still refers to and that are alive (not lost with a dead node,
 * not ghosts), at their compressed size.
 *
 * Deviations from the kernel:
 * - Single-threaded: every message is sent and answered within the step that
 *   sends it, its latency charged through env.meter.net (one charge per
 *   message, request and reply); the faulting thread's sleep is that latency.
 *   No TCP, no keepalives or reconnects, no handshake; messages are never lost.
 * - A get sent to a dead peer before the idle timeout fails at once (the
 *   kernel's faulting thread would wait for the timeout; the meter has no way
 *   to charge that wait). The remotify worker does wait: its run resumes at
 *   the detection time (or when the node comes back).
 * - Node death is an event (nodeDown), not a heartbeat: detection is exactly
 *   heartbeat_timeout_ms after it. nodeUp reconnects at once.
 * - (Kept from the kernel, not a deviation: r2net_remote_async_get checks the
 *   *target* node's connection and sends to the node holding the page, so once
 *   a dead target is detected, gets of pages held on another, live node fail
 *   too; a dead holder fails them as r2net_send_message_vec would.)
 * - The repatriate preload (persistent pages without exclusive gets) allocates
 *   only when the get can be sent and the peer has the page; the kernel
 *   allocated first and left an "intransit" pampd behind on a failed send
 *   (whose next get then looped on -EAGAIN), and BUG()ed on a missing page.
 * - pamops.free_obj is approximated: FLUSH_OBJ is queued when the object
 *   holds a remote pampd at flush_object time (the kernel: when one was ever
 *   put into it, obj->extra). A deleted remote pampd (reply of size 0) frees an
 *   emptied object (the kernel left it empty in the tree).
 * - The worker walks the LRU from its head once per side's loop (or its
 *   resumption), going on from the last pageframe it took, instead of
 *   scanning from the head at every call (zombie pageframes stay on the LRU
 *   here: see below; a run takes no other page off it and adds none, so the
 *   pageframes met are the same), and ends a side's 100 iterations
 *   early once no pageframe is left and no flush is queued (the rest would do
 *   nothing). Its messages' latency is charged like any backend work, so it
 *   advances the simulated clock.
 * - Zombie pageframes are kept on zbud's lists with their evictability
 *   raised (zbud's lists are zbud's): they are never remotified or evicted
 *   again, as in the kernel, but a new zpage may still be buddied into one.
 *   zbud's pers_zombie_count is reported as the persistent zombies now (the
 *   kernel's counter also took the ephemeral count on some frees).
 * - The peer's zero-filled check on raw data (3.10 applied page_is_zero_filled
 *   to the data pointer as if it were a struct page) is not modelled; the
 *   peer's CPU work is not charged (it is not the local machine's).
 * - The kernel starts with both remotify enables 0 and the target unset; the
 *   howto's script sets them. tmemsim's defaults are that configured state.
 * - Only node 0 runs a workload; peers only hold foreign pages. Flow control,
 *   locking, per-cpu buffers and the flnode preload are not modelled.
 * - Cost charges: the copy of each zbud out of its pageframe (meter.copy), the
 *   checksum (1 cycle per byte), the tmem replace (TMEM_OP_CYCLES), every
 *   message (meter.net), and the decompression of a fetched page.
 */

import { NS_PER_S, type Backend, type BackendEnv, type BackendFactory, type CleancacheOps, type FrontswapOps, type ParamSpec } from '../backend.js';
import { checkRuntimeParam, resolveParams } from '../params.js';
import { zeroCounters, type CounterGroup, type CounterSpec, type CountersOf } from '../counters.js';
import { cleancacheOps, frontswapOps } from '../ops.js';
import { SELFSHRINK_COUNTERS, idleRunsDue } from '../selfshrink.js';
import {
  ZCACHE_COUNTER_GROUPS,
  ZCACHE_PARAMS,
  ZCACHE_SWIZ_BITS,
  ZCACHE_SWIZ_MASK,
  ZcacheBackend,
  frontswapOid,
  type ZcachePampd,
  type ZcacheRemotePamOps,
} from '../zcache/zcache.js';
import { Link, REMOTE_NODE_COUNTERS, RemoteNode, type Zpage } from './node.js';
import { R2net, R2NET_MSG_HDR, RAMSTER_REQ_HDR } from './network.js';
import { RemotePampd, isRemotePampd } from './pampd.js';
import { RamsterSelfshrink } from './selfshrink.js';
import type { Links, Zbud, ZbudPage } from '../zcache/zbud.js';
import { PAGE_SIZE, type PageOut } from '../../content/page.js';
import { InvariantError, UsageError } from '../../errors.js';
import type { ParamMap, ParamValue } from '../params.js';
import { TMEM_OP_CYCLES, tmemGetFrees, type TmemPool } from '../../tmem/tmem.js';

// duplicates: alike in shape to the constants at the top of xen-tmem/xen-tmem.ts and zcache/zcache.ts: each names its
// own kernel's constants, with their own values and sources.
const RAMSTER_NAME = 'ramster';
/** MANUAL_NODES: nodes a RAMster cluster may have. */
const MANUAL_NODES = 8;
/** The remotify worker requeues itself HZ (1 s) after a run. */
const REMOTIFY_INTERVAL_S = 1;
/** Iterations per side per worker run. */
const REMOTIFY_ITERATIONS = 100;
/** R2NET_IDLE_TIMEOUT_MS_DEFAULT. */
const R2NET_IDLE_TIMEOUT_MS = 30000;
/** The client id a peer files node 0's pages under (r2nm_this_node()). */
const THIS_NODE = 0;
/** Added to a zombie pageframe's unevictable count: zbud then never picks it. */
const ZOMBIE = 1 << 20;
const INT_MAX = 2 ** 31 - 1;

/** zcache's parameters RAMster passes through to the local zcache (and the peers' compressor and era). */
const ZCACHE_PASSTHROUGH: readonly string[] = [
  'disable_cleancache',
  'disable_frontswap',
  'frontswap_has_exclusive_gets',
  'disable_frontswap_ignore_nonactive',
  'disable_cleancache_ignore_nonactive',
  'zcache_comp_name',
  'max_pool_percent',
  'kernel_era',
];

function zcacheSpec(name: string): ParamSpec {
  const s = ZCACHE_PARAMS.find((p) => p.name === name);
  if (s === undefined) throw new Error(`zcache has no parameter ${name}`);
  return s;
}

// duplicates: alike in shape to the other backends' parameter lists (ZSWAP_PARAMS in zswap.ts, XEN_TMEM_PARAMS in
// xen-tmem/xen-tmem.ts, ZCACHE_PARAMS in zcache/zcache.ts): kernel-shaped, this one lists zcache's boot and module
// switches RAMster keeps and the sysfs knobs of drivers/staging/zcache/ramster/ramster.c, then tmemsim's; one list per
// backend, each feeding its params, docs and checks.
export const RAMSTER_PARAMS: readonly ParamSpec[] = [
  ...ZCACHE_PASSTHROUGH.map(zcacheSpec),
  {
    name: 'ramster_enabled',
    type: 'bool',
    default: true,
    runtime: false,
    doc: "zcache's RAMster switch (boot: ramster). Only true here; for zcache without RAMster load backend zcache.",
  },
  {
    name: 'disable_frontswap_selfshrink',
    type: 'bool',
    default: false,
    runtime: false,
    doc: 'Do not run frontswap selfshrinking (every 5 s, hysteresis 20, inertia 3), which slowly repatriates swap pages (boot: noselfshrink).',
  },
  {
    name: 'nodes',
    type: 'int',
    default: 2,
    min: 2,
    max: MANUAL_NODES,
    runtime: false,
    doc: "tmemsim's: nodes in the cluster; node 0 is this machine, 1..nodes-1 its peers (all brought up with manual_node_up).",
  },
  {
    name: 'remote_target_nodenum',
    type: 'int',
    default: 1,
    min: -1,
    max: MANUAL_NODES - 1,
    runtime: true,
    doc: 'The peer pages are remotified to (sysfs). -1 (load time only) leaves it unset: no remotification. At runtime a node that is down is ignored, as by the kernel.',
  },
  {
    name: 'eph_remotify_enable',
    type: 'bool',
    default: true,
    runtime: true,
    doc: 'Remotify ephemeral (cleancache) pageframes (sysfs; the kernel starts at 0, the howto sets 1).',
  },
  {
    name: 'pers_remotify_enable',
    type: 'bool',
    default: true,
    runtime: true,
    doc: 'Remotify persistent (frontswap) pageframes (sysfs; the kernel starts at 0, the howto sets 1).',
  },
  {
    name: 'remotify_first_delay_s',
    type: 'int',
    default: 60,
    min: 0,
    max: INT_MAX,
    runtime: false,
    doc: 'Seconds from load to the first remotify run (the kernel: 60); then every second after a run.',
  },
  {
    name: 'remote_node_pages',
    type: 'int',
    default: 16384,
    min: 1,
    max: INT_MAX,
    runtime: false,
    doc: "tmemsim's: pageframes of each peer's RAM its zcache may use for foreign pages (64 MiB by default).",
  },
  {
    name: 'heartbeat_timeout_ms',
    type: 'int',
    default: R2NET_IDLE_TIMEOUT_MS,
    min: 0,
    max: INT_MAX,
    runtime: false,
    doc: "Time from a peer's death until r2net declares it down (RAMster's r2net idle timeout, 30000 ms; its r2hb has no disk heartbeat). Until then messages to it hang.",
  },
];

// duplicates: alike in shape to the other backends' counter lists (REMOTE_NODE_COUNTERS in ramster/node.ts,
// XEN_TMEM_COUNTERS in xen-tmem/xen-tmem.ts, SELFBALLOON_COUNTERS in xen-tmem/selfballoon.ts, ZBUD_COUNTERS in
// zcache/zbud.ts, ZCACHE_COUNTERS in zcache/zcache.ts, ZSWAP_COUNTERS in zswap.ts): kernel-shaped: mirrors
// drivers/staging/zcache/ramster/debug.c (3.10; ramster.c in 3.9), then tmemsim's own; one list per backend, each
// feeding its stats, report and docs.
/** /sys/kernel/debug/ramster/ in the kernel's order, then tmemsim's. */
const RAMSTER_COUNTERS = [
  { name: 'eph_pages_remoted', kind: 'event', doc: 'Ephemeral zpages sent to the target node.' },
  { name: 'pers_pages_remoted', kind: 'event', doc: 'Persistent zpages sent to the target node.' },
  { name: 'eph_pages_remote_failed', kind: 'event', doc: 'Ephemeral remote puts that failed (the zpage stays local).' },
  { name: 'pers_pages_remote_failed', kind: 'event', doc: 'Persistent remote puts that failed (the zpage stays local).' },
  { name: 'remote_eph_pages_succ_get', kind: 'event', doc: 'Gets of remote ephemeral pages that brought the page back.' },
  { name: 'remote_pers_pages_succ_get', kind: 'event', doc: 'Gets of remote persistent pages that brought the page back.' },
  { name: 'remote_eph_pages_unsucc_get', kind: 'event', doc: 'Gets of remote ephemeral pages answered with nothing.' },
  { name: 'remote_pers_pages_unsucc_get', kind: 'event', doc: 'Gets of remote persistent pages answered with nothing.' },
  { name: 'pers_pages_remote_nomem', kind: 'event', doc: 'Repatriate preloads that found no local room.' },
  { name: 'remote_objects_flushed', kind: 'event', doc: 'FLUSH_OBJ messages sent.' },
  { name: 'remote_pages_flushed', kind: 'event', doc: 'FLUSH_PAGE messages sent.' },
  { name: 'remote_object_flushes_failed', kind: 'event', doc: 'FLUSH_OBJ messages that could not be sent.' },
  { name: 'remote_page_flushes_failed', kind: 'event', doc: 'FLUSH_PAGE messages that could not be sent.' },
  { name: 'foreign_eph_pages', kind: 'gauge', doc: 'Ephemeral pages the peers hold for this node (summed over the peers).' },
  { name: 'foreign_eph_pages_max', kind: 'gauge', doc: 'Most such ephemeral pages at once.' },
  { name: 'foreign_pers_pages', kind: 'gauge', doc: 'Persistent pages the peers hold for this node.' },
  { name: 'foreign_pers_pages_max', kind: 'gauge', doc: 'Most such persistent pages at once.' },
  { name: 'net_messages', kind: 'event', doc: "tmemsim's: r2net messages, requests and replies." },
  { name: 'net_bytes', kind: 'event', doc: "tmemsim's: bytes on the wire." },
  { name: 'nodes_down', kind: 'gauge', doc: "tmemsim's: peers down now." },
  { name: 'node_deaths', kind: 'event', doc: "tmemsim's: node_down events." },
  { name: 'remote_pages_lost_on_node_death', kind: 'event', doc: "tmemsim's: live persistent remote pages whose node died (each is lost when loaded)." },
  { name: 'remote_eph_pages_lost_on_node_death', kind: 'event', doc: "tmemsim's: live ephemeral remote pages whose node died." },
  { name: 'remote_pers_pages', kind: 'gauge', doc: "/sys/kernel/mm/ramster/remote_pers_pages (the kernel's own drift included)." },
  { name: 'remote_eph_pages', kind: 'gauge', doc: "tmemsim's: remote ephemeral pages the local tmem refers to whose copy is alive." },
  { name: 'remote_pers_pages_live', kind: 'gauge', doc: "tmemsim's: remote persistent pages the local tmem refers to whose copy is alive." },
  { name: 'remote_gets_failed', kind: 'event', doc: "tmemsim's: gets of remote pages that could not reach the node (-ENOTCONN, -EHOSTDOWN)." },
  { name: 'flnodes', kind: 'gauge', doc: "tmemsim's: flushes queued and not yet sent (ramster_flnodes)." },
  { name: 'eph_zombie_pageframes', kind: 'gauge', doc: "tmemsim's: ephemeral zombie pageframes (remotify failed part-way)." },
  { name: 'pers_zombie_pageframes', kind: 'gauge', doc: "tmemsim's: persistent zombie pageframes." },
  { name: 'remotify_runs', kind: 'event', doc: "tmemsim's: remotify worker runs." },
  { name: 'remotify_stalls', kind: 'event', doc: "tmemsim's: worker runs that blocked on a dead, undetected peer." },
  { name: 'target_set_ignored', kind: 'event', doc: "tmemsim's: remote_target_nodenum writes ignored because the node was not up." },
  { name: 'selfshrink_runs', kind: 'event', doc: "tmemsim's: selfshrink worker runs." },
  ...SELFSHRINK_COUNTERS,
] as const satisfies readonly CounterSpec[];

type RamsterCounters = CountersOf<typeof RAMSTER_COUNTERS>;

/** What RAMster's stats() reports, group by group: the local zcache's, RAMster's, one group per peer. */
const RAMSTER_COUNTER_GROUPS: readonly CounterGroup[] = [
  ...ZCACHE_COUNTER_GROUPS,
  { group: 'ramster', counters: RAMSTER_COUNTERS },
  { group: 'ramster_node<i>', counters: REMOTE_NODE_COUNTERS },
];

interface FlushOp {
  obj: boolean;
  node: number;
  poolId: number;
  oid: number;
  index: number;
}

/** Where a blocked worker run continues. */
interface WorkerPos {
  phase: number;
  i: number;
}

const enum Remotify {
  Empty = 0,
  Done = 1,
  Blocked = 2,
}

function cksumOf(z: Zpage): number {
  const d = z.data.data;
  const n = Math.min(d.length, z.clen);
  let s = 0;
  for (let i = 0; i < n; i++) s += d[i]!;
  return s & 0xff;
}

/** A remote page the local tmem refers to (tests, reports). */
interface RemotePageRef {
  poolId: number;
  oid: number;
  index: number;
  eph: boolean;
}

export class RamsterBackend implements Backend {
  readonly name = RAMSTER_NAME;
  readonly frontswap: FrontswapOps | null;
  readonly cleancache: CleancacheOps | null;
  readonly frontswapExclusiveGets: boolean;
  /** The local node's zcache. */
  readonly zcache: ZcacheBackend;
  /** Peers by node number (index 0, this machine, is null). */
  readonly nodes: readonly (RemoteNode | null)[];
  readonly net: R2net;
  readonly nodeCount: number;

  private readonly values: ParamMap;
  private readonly c: RamsterCounters;
  private readonly useCleancache: boolean;
  private readonly useFrontswap: boolean;
  private readonly exclusiveGets: boolean;
  private readonly timeoutNs: number;
  private target: number;
  private ephEnable: boolean;
  private persEnable: boolean;
  /** The rem_op list (LIFO: list_add at the head, taken from the head). */
  private readonly flushes: FlushOp[] = [];
  /** Remote pampds with a live remote copy, per node. */
  private readonly live: Set<RemotePampd>[] = [];
  private liveEph = 0;
  private livePers = 0;
  private liveBytes = 0;
  private readonly zombies = new Set<ZbudPage>();
  private zombiePruneMark = 1024;
  /** > 0 while tmem frees pampds of a flush_object or destroy_pool (the kernel's NULL oid). */
  private objFlushDepth = 0;
  /** When the worker runs next (ns): a new run, or the continuation of a blocked one. */
  private workerDueNs: number;
  private paused: WorkerPos | null = null;
  private pausedOn = -1;
  /** Where the walk of the LRU of the side being remotified goes on (null: at its end, or no walk). */
  private walk: Links | null = null;
  private readonly selfshrink: RamsterSelfshrink | null;

  constructor(
    private readonly env: BackendEnv,
    params?: ParamMap,
  ) {
    const v = resolveParams(RAMSTER_NAME, RAMSTER_PARAMS, params);
    this.values = v;
    if (v['ramster_enabled'] !== true) {
      throw new UsageError(
        `parameter 'ramster_enabled' of backend ${RAMSTER_NAME} must be true: zcache without RAMster is backend zcache`,
        { field: 'ramster_enabled' },
        'true',
      );
    }
    const nodes = v['nodes'] as number;
    this.nodeCount = nodes;
    const target = v['remote_target_nodenum'] as number;
    if (target === 0 || target >= nodes) {
      throw new UsageError(
        `parameter 'remote_target_nodenum' of backend ${RAMSTER_NAME} must name a peer, 1..${nodes - 1} (or -1 for none), got ${target}`,
        { field: 'remote_target_nodenum' },
        nodes === 2 ? '-1, 1' : `-1, 1..${nodes - 1}`,
      );
    }
    const zparams: ParamMap = {};
    for (const k of ZCACHE_PASSTHROUGH) zparams[k] = v[k]!;
    const pamops: ZcacheRemotePamOps = {
      isRemote: isRemotePampd,
      repatriate: (z, pool, oid, index, out, gaf) => this.repatriate(z as RemotePampd, pool, oid, index, out, gaf),
      free: (z, pool) => this.remoteFree(z as RemotePampd, pool),
    };
    this.zcache = new ZcacheBackend(env, zparams, { remote: pamops });
    this.useCleancache = this.zcache.cleancache !== null;
    this.useFrontswap = this.zcache.frontswap !== null;
    // zcache's shims, but for object and pool flushes, which carry RAMster's free_obj
    this.frontswap = this.useFrontswap
      ? frontswapOps(this.zcache, { frontswapInvalidateArea: (type) => this.frontswapInvalidateArea(type) })
      : null;
    this.cleancache = this.useCleancache
      ? cleancacheOps(this.zcache, {
          cleancacheInvalidateInode: (pool, inode) => this.flushObject(pool, inode),
          cleancacheInvalidateFs: (pool) => this.destroyPool(pool),
        })
      : null;
    this.frontswapExclusiveGets = this.zcache.frontswapExclusiveGets;
    this.exclusiveGets = v['frontswap_has_exclusive_gets'] === true;
    this.timeoutNs = (v['heartbeat_timeout_ms'] as number) * 1e6;
    this.target = target;
    this.ephEnable = v['eph_remotify_enable'] === true;
    this.persEnable = v['pers_remotify_enable'] === true;
    this.net = new R2net(env.meter);
    const peerParams: ParamMap = { zcache_comp_name: v['zcache_comp_name']!, kernel_era: v['kernel_era']! };
    const list: (RemoteNode | null)[] = [null];
    this.live.push(new Set());
    for (let i = 1; i < nodes; i++) {
      list.push(new RemoteNode(i, env.compression, v['remote_node_pages'] as number, env.verifyBytes, () => env.now(), peerParams));
      this.live.push(new Set());
    }
    this.nodes = list;
    this.c = zeroCounters(RAMSTER_COUNTERS);
    const t0 = env.now();
    this.workerDueNs = t0 + (v['remotify_first_delay_s'] as number) * NS_PER_S;
    const selfshrinkOn = v['disable_frontswap_selfshrink'] !== true && this.useFrontswap;
    this.selfshrink = selfshrinkOn ? new RamsterSelfshrink(env, true, t0) : null;
  }

  // ---- Backend ----------------------------------------------------------------

  params(): ParamMap {
    return { ...this.values };
  }

  setParam(name: string, value: ParamValue): void {
    const v = checkRuntimeParam(RAMSTER_NAME, RAMSTER_PARAMS, name, value);
    switch (name) {
      case 'max_pool_percent':
        this.zcache.setParam(name, v);
        break;
      case 'eph_remotify_enable':
        this.ephEnable = v === true;
        break;
      case 'pers_remotify_enable':
        this.persEnable = v === true;
        break;
      case 'remote_target_nodenum': {
        const n = v as number;
        if (n === -1) {
          throw new UsageError(
            `parameter 'remote_target_nodenum' of backend ${RAMSTER_NAME} cannot be unset at runtime (the kernel's sysfs store returns -EINVAL: data may still reside on remote nodes)`,
            { field: name },
            `1..${this.nodeCount - 1}`,
          );
        }
        if (n === 0) {
          throw new UsageError(
            `parameter 'remote_target_nodenum' of backend ${RAMSTER_NAME} must name a peer; node 0 is this machine`,
            { field: name },
            `1..${this.nodeCount - 1}`,
          );
        }
        // "ramster: node %d not up, ignoring setting of remotification target"
        if (n >= this.nodeCount || !this.nodes[n]!.up) {
          this.c.target_set_ignored++;
          return;
        }
        this.target = n;
        break;
      }
    }
    this.values[name] = v;
  }

  /** The local zcache's era: its counters are RAMster's zcache group's. */
  get counterEra(): string {
    return this.zcache.era;
  }

  stats(): Record<string, Record<string, number>> {
    const zs = this.zcache.stats();
    const c = this.c;
    this.sumForeign();
    let down = 0;
    for (const n of this.nodes) if (n !== null && !n.up) down++;
    c.nodes_down = down;
    c.net_messages = this.net.messages;
    c.net_bytes = this.net.bytes;
    c.remote_eph_pages = this.liveEph;
    c.remote_pers_pages_live = this.livePers;
    c.flnodes = this.flushes.length;
    this.pruneZombies();
    let ez = 0;
    let pz = 0;
    for (const p of this.zombies) {
      if (p.eph) ez++;
      else pz++;
    }
    c.eph_zombie_pageframes = ez;
    c.pers_zombie_pageframes = pz;
    if (this.selfshrink !== null) {
      const s = this.selfshrink.counters;
      c.selfshrink_runs = s.selfshrink_runs;
      for (const { name } of SELFSHRINK_COUNTERS) c[name] = s[name];
    }
    const out: Record<string, Record<string, number>> = {
      zcache: zs['zcache']!,
      zbud: { ...zs['zbud']!, pers_zombie_count: pz },
      ramster: { ...c },
    };
    for (const n of this.nodes) if (n !== null) out[`ramster_node${n.id}`] = { ...n.counters() };
    return out;
  }

  /** The kernel's and tmemsim's counters (a live view; foreign_* and the gauges are refreshed by stats()). */
  get counters(): Readonly<RamsterCounters> {
    return this.c;
  }

  poolPages(): number {
    return this.zcache.poolPages();
  }

  /** The local zcache's tmem objs and objnodes in the guest's slab (a peer's are its own). */
  slabPages(): number {
    return this.zcache.slabPages();
  }

  storedBytes(): number {
    return this.zcache.storedBytes() + this.liveBytes;
  }

  storedPages(): number {
    return this.zcache.storedPages() + this.liveEph + this.livePers;
  }

  /**
   * Run the remotify worker and the selfshrink worker at every due time up to
   * `nowNs`, in time order. Once a run of each leaves everything as it found
   * it but its run counter (nothing left to remotify, frontswap empty), every
   * later run until the next event would do the same: they are counted in
   * closed form instead of run one by one, so a gap of any length costs what
   * its changing runs cost.
   */
  tick(nowNs: number): void {
    const ss = this.selfshrink;
    let quietW = false;
    let quietS = ss === null || !(ss.nextDueNs <= nowNs);
    for (;;) {
      const tw = this.workerDueNs;
      const ts = ss !== null ? ss.nextDueNs : Infinity;
      if (quietW && quietS && this.paused === null) {
        const step = REMOTIFY_INTERVAL_S * NS_PER_S;
        const k = idleRunsDue(tw, nowNs, step);
        if (k > 0) {
          this.c.remotify_runs += k;
          this.workerDueNs = tw + k * step;
        }
        ss?.skipTo(nowNs);
        break;
      }
      const workerNext = tw <= ts;
      if (!((workerNext ? tw : ts) <= nowNs)) break;
      // Only a due run reads the state (every event ticks; most find nothing due).
      const before = this.quietState();
      if (workerNext) {
        const r0 = this.c.remotify_runs;
        this.workerRun(tw);
        const same = this.paused === null && this.c.remotify_runs === r0 + 1 && this.quietState() === before;
        if (!same) quietS = ss === null || !(ss.nextDueNs <= nowNs);
        quietW = same;
      } else {
        ss!.run();
        const same = this.quietState() === before;
        if (!same) quietW = false;
        quietS = same;
      }
    }
  }

  /** What a worker run reads and changes, but for the run counters (the same before and after a run: a fixed point). */
  private quietState(): string {
    const ss = this.selfshrink;
    return JSON.stringify([{ ...this.c, remotify_runs: 0 }, ss === null ? null : ss.state(), this.env.frontswapCurrPages(), this.zcache.storedPages(),
      this.zcache.poolPages(), this.liveEph, this.livePers, this.liveBytes, this.flushes.length, this.target, this.net.messages, this.net.bytes]);
  }

  // ---- nodes ---------------------------------------------------------------------

  private peer(node: number, what: string): RemoteNode {
    const n = Number.isInteger(node) && node >= 1 && node < this.nodeCount ? this.nodes[node] : null;
    if (n === null || n === undefined) {
      throw new UsageError(
        `${what}: node ${node} is not a peer of this ${this.nodeCount}-node RAMster cluster (node 0 is this machine)`,
        { field: 'node' },
        this.nodeCount === 2 ? '1' : `1..${this.nodeCount - 1}`,
      );
    }
    return n;
  }

  /**
   * A peer dies at nowNs: the pages it held are gone. r2net notices after
   * heartbeat_timeout_ms. No-op if it is already down.
   */
  nodeDown(node: number, nowNs: number): void {
    const n = this.peer(node, 'node_down');
    if (!n.up) return;
    n.die(nowNs, this.timeoutNs);
    this.c.node_deaths++;
    const set = this.live[node]!;
    for (const rp of set) {
      if (rp.eph) {
        this.c.remote_eph_pages_lost_on_node_death++;
        this.liveEph--;
      } else {
        this.c.remote_pages_lost_on_node_death++;
        this.livePers--;
      }
      this.liveBytes -= rp.clen;
    }
    set.clear();
  }

  /**
   * A peer is up again (rebooted: empty) and reconnects at once. A worker
   * run blocked on it continues now. No-op if it is up.
   */
  nodeUp(node: number, nowNs: number = this.env.now()): void {
    const n = this.peer(node, 'node_up');
    if (n.up) return;
    n.revive();
    if (this.paused !== null && this.pausedOn === node && this.workerDueNs > nowNs) this.workerDueNs = nowNs;
  }

  /** Whether a peer is up. */
  nodeIsUp(node: number): boolean {
    return this.peer(node, 'node state').up;
  }

  /** Remote pages on `node` the local tmem refers to, alive (tests, reports). */
  remotePages(node: number): RemotePageRef[] {
    this.peer(node, 'remote pages');
    const out: RemotePageRef[] = [];
    for (const rp of this.live[node]!) out.push({ poolId: rp.poolId, oid: rp.oid, index: rp.index, eph: rp.eph });
    return out;
  }

  /** Frontswap slots whose page is held alive on `node` (tests: what a death of `node` would lose). */
  remoteFrontswapSlots(node: number): { type: number; offset: number }[] {
    const fsPool = this.zcache.frontswapPoolId;
    const out: { type: number; offset: number }[] = [];
    for (const r of this.remotePages(node)) {
      if (r.eph || r.poolId !== fsPool) continue;
      out.push({ type: r.oid >>> ZCACHE_SWIZ_BITS, offset: r.index * (ZCACHE_SWIZ_MASK + 1) + (r.oid & ZCACHE_SWIZ_MASK) });
    }
    return out;
  }

  // ---- remote pampd bookkeeping ---------------------------------------------------

  private track(rp: RemotePampd): void {
    this.live[rp.node]!.add(rp);
    if (rp.eph) this.liveEph++;
    else this.livePers++;
    this.liveBytes += rp.clen;
  }

  private untrack(rp: RemotePampd): void {
    if (!this.live[rp.node]!.delete(rp)) return;
    if (rp.eph) this.liveEph--;
    else this.livePers--;
    this.liveBytes -= rp.clen;
  }

  /** tmem_pampd_replace_in_obj: put `p` where `old` is, without pamops.free. False if `old` is gone. */
  private replaceInTmem(pool: TmemPool<ZcachePampd>, old: ZcachePampd, p: ZcachePampd): boolean {
    const obj = pool.objs.get(old.oid);
    if (obj === undefined || obj.pampds.get(old.index) !== old) return false;
    obj.pampds.set(old.index, p);
    return true;
  }

  /** ramster_pampd_free (zcache_pampd_free of a remote pampd). */
  private remoteFree(rp: RemotePampd, pool: TmemPool<ZcachePampd>): void {
    this.untrack(rp);
    // a NULL oid (flush_object, destroy_pool): "the remote freeing will be handled elsewhere"
    if (this.objFlushDepth > 0) return;
    // ephemeral: "FIXME remote flush optional but probably good idea"
    if (pool.ephemeral) return;
    this.flushes.push({ obj: false, node: rp.node, poolId: pool.id, oid: rp.oid, index: rp.index });
    this.c.remote_pers_pages--;
  }

  /** zcache_flush_object, with RAMster's pamops.free_obj (a FLUSH_OBJ to the object's node). */
  flushObject(poolId: number, oid: number): boolean {
    const pool = this.zcache.poolById(poolId);
    let node = -1;
    const obj = pool?.objs.get(oid);
    if (obj !== undefined) {
      for (const p of obj.pampds.values()) {
        if (isRemotePampd(p)) {
          node = p.node;
          break;
        }
      }
    }
    this.objFlushDepth++;
    let found: boolean;
    try {
      found = this.zcache.flushObject(poolId, oid);
    } finally {
      this.objFlushDepth--;
    }
    if (node >= 0) this.flushes.push({ obj: true, node, poolId, oid, index: -1 });
    return found;
  }

  /** zcache's destroy_pool (cleancache invalidate_fs): an ephemeral pool, so no remote flush (free_obj). */
  destroyPool(poolId: number): void {
    this.objFlushDepth++;
    try {
      if (poolId >= 0) this.zcache.destroyPool(poolId);
    } finally {
      this.objFlushDepth--;
    }
  }

  /** zcache_frontswap_flush_area: flush_object of the type's 256 oids, highest first. */
  frontswapInvalidateArea(type: number): void {
    const pool = this.zcache.frontswapPoolId;
    for (let ind = ZCACHE_SWIZ_MASK; ind >= 0; ind--) this.flushObject(pool, frontswapOid(type, ind));
  }

  // ---- get of a remote page (tmem_repatriate, r2net_remote_async_get, ramster_localify)

  private repatriate(rp: RemotePampd, pool: TmemPool<ZcachePampd>, oid: number, index: number, out: PageOut, getAndFree: number): boolean {
    const env = this.env;
    const c = this.c;
    const eph = pool.ephemeral;
    const t = env.now();
    const node = this.nodes[rp.node]!;
    // r2net_remote_async_get checks the target's connection, then sends to the holder
    const tgt = this.target >= 1 ? this.nodes[this.target]! : null;
    if (tgt === null || tgt.link(t) === Link.Down || node.link(t) === Link.Down) {
      c.remote_gets_failed++;
      return false; // -ENOTCONN → tmem_get -1
    }
    let free = tmemGetFrees(pool, getAndFree);
    // ramster_pampd_repatriate_preload: persistent pages without exclusive gets come home
    let local: Zbud | null = null;
    if (!eph && !this.exclusiveGets && node.link(t) === Link.Up) {
      const peek = node.peek(THIS_NODE, rp.poolId, oid, index);
      if (peek !== null) {
        local = this.zcache.pampdCreate(pool, oid, index, peek, true, false);
        if (local === null) c.pers_pages_remote_nomem++;
        else {
          c.remote_pers_pages--;
          free = true; // "have local space pre-reserved, so free remote copy"
        }
      }
    }
    if (this.net.request(node, t, RAMSTER_REQ_HDR) !== Link.Up) {
      c.remote_gets_failed++; // the reply never comes: -EHOSTDOWN once the idle timer fires
      return false;
    }
    const got = node.get(THIS_NODE, rp.poolId, oid, index, free);
    this.net.wire(RAMSTER_REQ_HDR + (got !== null ? got.clen : 0));
    // ramster_localify
    if (got === null) {
      // "no remote data, delete the local is_remote pampd" (the kernel BUG()s if persistent)
      if (eph) c.remote_eph_pages_unsucc_get++;
      else c.remote_pers_pages_unsucc_get++;
      this.zcache.tmem.get(pool, oid, index, 1);
      this.untrack(rp);
      return false;
    }
    const comp = this.zcache.comp;
    env.meter.decompress(comp.name, got.clen, PAGE_SIZE);
    if (env.verifyBytes) {
      env.compression.decompress(comp, got.data, out.bytes);
      out.filled = true;
    } else out.filled = false;
    out.tag = got.tag;
    if (eph) c.remote_eph_pages_succ_get++;
    else c.remote_pers_pages_succ_get++;
    if (local !== null) {
      // tmem_localify_finish: the preloaded local zbud replaces the remote pampd
      this.replaceInTmem(pool, rp, local);
      this.zcache.zbud.createFinish(local);
      this.untrack(rp);
    } else if (free) {
      // the remote copy is gone (a get_and_free); tmem_get leaves the remote pampd in place: a later get asks the node
      // again and misses, a later put or flush frees it
      this.untrack(rp);
    }
    return true;
  }

  // ---- the remotify worker ---------------------------------------------------------

  /** ramster_remotify_process, run (or continued) at tNs. */
  private workerRun(tNs: number): void {
    let pos = this.paused;
    this.paused = null;
    this.pausedOn = -1;
    if (pos === null) {
      this.c.remotify_runs++;
      if (this.target < 1) {
        this.workerDueNs = tNs + REMOTIFY_INTERVAL_S * NS_PER_S;
        return;
      }
      pos = { phase: 0, i: 0 };
    }
    for (let phase = pos.phase; phase < 2; phase++) {
      const eph = phase === 0;
      const on = eph ? this.useCleancache && this.ephEnable : this.useFrontswap && this.persEnable;
      if (!on) continue;
      this.walk = this.zcache.zbud.lruFirst(eph);
      for (let i = phase === pos.phase ? pos.i : 0; i < REMOTIFY_ITERATIONS; i++) {
        const fb = this.doRemotifyFlushes(tNs);
        if (fb >= 0) {
          this.pause({ phase, i }, fb);
          return;
        }
        const r = this.remotifyPageframe(eph, tNs);
        if (r === Remotify.Blocked) {
          this.pause({ phase, i: i + 1 }, this.target);
          return;
        }
        // nothing left to send: the remaining iterations would do nothing
        if (r === Remotify.Empty && this.flushes.length === 0) break;
      }
    }
    this.walk = null;
    this.workerDueNs = tNs + REMOTIFY_INTERVAL_S * NS_PER_S;
  }

  /** The worker waits for a reply from a dead peer until r2net gives up on it. */
  private pause(pos: WorkerPos, node: number): void {
    this.paused = pos;
    this.pausedOn = node;
    this.walk = null;
    this.c.remotify_stalls++;
    this.workerDueNs = this.nodes[node]!.detectAtNs;
  }

  /** zcache_do_remotify_flushes. Returns the node a send blocked on, or -1. */
  private doRemotifyFlushes(tNs: number): number {
    const c = this.c;
    while (this.flushes.length > 0) {
      const f = this.flushes.pop()!;
      const node = this.nodes[f.node]!;
      const l = this.net.request(node, tNs, RAMSTER_REQ_HDR);
      if (l === Link.Up) {
        if (f.obj) node.flushObject(THIS_NODE, f.poolId, f.oid);
        else node.flushPage(THIS_NODE, f.poolId, f.oid, f.index);
        this.net.wire(R2NET_MSG_HDR);
        if (f.obj) c.remote_objects_flushed++;
        else c.remote_pages_flushed++;
        continue;
      }
      if (f.obj) c.remote_object_flushes_failed++;
      else c.remote_page_flushes_failed++;
      if (l === Link.Hang) return f.node;
    }
    return -1;
  }

  /** The next evictable pageframe of the LRU walk (zbud_make_zombie_lru's scan); the walk moves past it first. */
  private nextCandidate(): ZbudPage | null {
    while (this.walk !== null) {
      const p = this.walk.page;
      // The walk stands on a pageframe it has not taken yet: the run took no other page off the LRU.
      if (!p.onLru) throw new InvariantError(`ramster: the remotify worker's LRU walk stands on a pageframe that left the LRU`);
      this.walk = this.walk.next;
      // zbud_make_zombie_lru skips an unevictable page (an add in progress, a zombie); a page on
      // the LRU is never dying (eviction takes it off first) and holds a bud (an empty one is freed).
      if (p.unevictable === 0) return p;
    }
    return null;
  }

  /** ramster_remotify_pageframe(eph). */
  private remotifyPageframe(eph: boolean, tNs: number): Remotify {
    const page = this.nextCandidate();
    if (page === null) return Remotify.Empty;
    // zbud_make_zombie_lru: the page leaves the LRU for good; its zbuds are copied out
    page.unevictable += ZOMBIE;
    const buds: Zbud[] = [];
    if (page.bud0 !== null) buds.push(page.bud0);
    if (page.bud1 !== null) buds.push(page.bud1);
    const env = this.env;
    const c = this.c;
    for (const z of buds) env.meter.copy(z.clen);
    for (const z of buds) {
      const zp = z as Zbud & Zpage; // a zbud on the LRU always has data (zero-filled pampds have no pageframe)
      env.meter.meta(z.clen);
      const cksum = cksumOf(zp);
      // r2net_remote_put
      const tgt = this.target >= 1 ? this.nodes[this.target]! : null;
      let l = Link.Down;
      let ok = false;
      if (tgt !== null) {
        l = this.net.request(tgt, tNs, RAMSTER_REQ_HDR + z.clen);
        if (l === Link.Up) {
          ok = tgt.put(THIS_NODE, z.poolId, eph, z.oid, z.index, zp);
          this.net.wire(R2NET_MSG_HDR);
          if (ok) this.noteForeignMax();
        }
      }
      if (!ok) {
        // "some form of a memory leak": this zbud and the rest stay in the zombie page
        if (eph) c.eph_pages_remote_failed++;
        else c.pers_pages_remote_failed++;
        this.addZombie(page);
        return l === Link.Hang ? Remotify.Blocked : Remotify.Done;
      }
      if (!eph) c.remote_pers_pages++;
      if (eph) c.eph_pages_remoted++;
      else c.pers_pages_remoted++;
      // tmem_replace: the slot points to the node where the data landed
      const pool = this.zcache.poolById(z.poolId);
      if (pool === null) continue;
      env.meter.meta(TMEM_OP_CYCLES);
      const rp = new RemotePampd(z.poolId, z.oid, z.index, z.clen, z.tag, tgt!.id, cksum, eph);
      if (this.replaceInTmem(pool, z, rp)) {
        this.track(rp);
        this.zcache.pampdFree(z, pool);
      }
    }
    return Remotify.Done;
  }

  /** A pageframe left a zombie with zbuds in it (pruned of emptied pages as the set grows). */
  private addZombie(page: ZbudPage): void {
    const z = this.zombies;
    z.add(page);
    if (z.size > this.zombiePruneMark) {
      this.pruneZombies();
      this.zombiePruneMark = Math.max(1024, 2 * z.size);
    }
  }

  /** Drop zombie pageframes whose zbuds have all been freed (the pageframe went back to RAM). */
  private pruneZombies(): void {
    for (const p of this.zombies) if (p.bud0 === null && p.bud1 === null) this.zombies.delete(p);
  }

  // duplicates: alike in shape only to zsmalloc.ts's stats() sums over its classes: nothing in common.
  /** foreign_eph_pages and foreign_pers_pages: the pages the peers hold for this node, summed over the peers. */
  private sumForeign(): void {
    let fe = 0;
    let fp = 0;
    for (const n of this.nodes) {
      if (n === null) continue;
      fe += n.foreignEphPages;
      fp += n.foreignPersPages;
    }
    this.c.foreign_eph_pages = fe;
    this.c.foreign_pers_pages = fp;
  }

  /** A remote put succeeded: the foreign page gauges and their maxima. */
  private noteForeignMax(): void {
    this.sumForeign();
    const c = this.c;
    if (c.foreign_eph_pages > c.foreign_eph_pages_max) c.foreign_eph_pages_max = c.foreign_eph_pages;
    if (c.foreign_pers_pages > c.foreign_pers_pages_max) c.foreign_pers_pages_max = c.foreign_pers_pages;
  }
}

export const ramsterFactory: BackendFactory = {
  name: RAMSTER_NAME,
  description:
    'RAMster: zcache whose LRU pageframes a worker moves to a peer node over the network; remote gets fetch them back; a dead peer loses the swap pages it held',
  reclaim: 'lru-3x',
  era: 'drivers/staging/zcache/ramster (ramster.c, r2net.c, tcp.c) with zcache2, Linux 3.9-3.10',
  params: RAMSTER_PARAMS,
  counters: RAMSTER_COUNTER_GROUPS,
  compressorParam: 'zcache_comp_name',
  create(env: BackendEnv, params: ParamMap): Backend {
    return new RamsterBackend(env, params);
  },
};
