/**
 * A reference tmem backend for frontend tests: it keeps each page's tag in a
 * Map, exactly, with switchable failure injection. Options let a test make it
 * reject stores/puts, or misbehave (return an old tag, drop a persistent page)
 * so that the oracle's detection can be tested.
 */

import type { Backend, CleancacheOps, FrontswapOps } from '../../src/backends/backend.js';
import type { Page, PageOut } from '../../src/content/page.js';
import type { ParamMap, ParamValue } from '../../src/trace/events.js';

export interface RefOptions {
  exclusiveGets?: boolean;
  /** Decide whether a store/put is rejected (called per op). */
  reject?: (kind: 'store' | 'put', key: string) => boolean;
  /** Keep old versions instead of replacing (a buggy backend: returns stale data). */
  keepOld?: boolean;
  /** The 4.7–6.5 frontend: a duplicate is invalidated before the store. */
  dupFirst?: boolean;
}

export class RefBackend implements Backend {
  readonly name = 'ref';
  readonly swap = new Map<string, number>();
  readonly cc = new Map<string, number>();
  readonly pools = new Map<number, boolean>(); // pool id -> shared
  private nextPool = 0;
  calls: string[] = [];
  frontswap: FrontswapOps;
  cleancache: CleancacheOps;
  get frontswapExclusiveGets(): boolean {
    return this.o.exclusiveGets ?? false;
  }
  get frontswapDupFirst(): boolean {
    return this.o.dupFirst ?? false;
  }

  constructor(private readonly o: RefOptions = {}) {
    const self = this;
    this.frontswap = {
      init(type) {
        self.calls.push(`init ${type}`);
      },
      store(type, off, page: Page) {
        const k = `${type}:${off}`;
        if (self.o.reject?.('store', k)) return false;
        if (!(self.o.keepOld && self.swap.has(k))) self.swap.set(k, page.tag);
        return true;
      },
      load(type, off, out: PageOut) {
        const k = `${type}:${off}`;
        const t = self.swap.get(k);
        if (t === undefined) return false;
        out.tag = t;
        out.filled = false;
        if (self.o.exclusiveGets) self.swap.delete(k);
        return true;
      },
      invalidatePage(type, off) {
        self.swap.delete(`${type}:${off}`);
      },
      invalidateArea(type) {
        for (const k of [...self.swap.keys()]) if (k.startsWith(`${type}:`)) self.swap.delete(k);
      },
    };
    this.cleancache = {
      initFs() {
        const id = self.nextPool++;
        self.pools.set(id, false);
        self.calls.push(`init_fs ${id}`);
        return id;
      },
      initSharedFs(uuid) {
        const id = self.nextPool++;
        self.pools.set(id, true);
        self.calls.push(`init_shared_fs ${uuid} ${id}`);
        return id;
      },
      getPage(pool, inode, index, out) {
        const k = `${pool}:${inode}:${index}`;
        const t = self.cc.get(k);
        if (t === undefined) return false;
        out.tag = t;
        out.filled = false;
        if (!self.pools.get(pool)) self.cc.delete(k);
        return true;
      },
      putPage(pool, inode, index, page) {
        const k = `${pool}:${inode}:${index}`;
        if (self.o.keepOld && self.cc.has(k)) return;
        self.cc.delete(k);
        if (self.o.reject?.('put', k)) return;
        self.cc.set(k, page.tag);
      },
      invalidatePage(pool, inode, index) {
        self.cc.delete(`${pool}:${inode}:${index}`);
      },
      invalidateInode(pool, inode) {
        for (const k of [...self.cc.keys()]) if (k.startsWith(`${pool}:${inode}:`)) self.cc.delete(k);
      },
      invalidateFs(pool) {
        self.calls.push(`invalidate_fs ${pool}`);
        if (pool < 0) return;
        for (const k of [...self.cc.keys()]) if (k.startsWith(`${pool}:`)) self.cc.delete(k);
        self.pools.delete(pool);
      },
    };
  }

  params(): ParamMap {
    return {};
  }
  setParam(_n: string, _v: ParamValue): void {}
  stats(): Record<string, Record<string, number>> {
    return { ref: { swap_pages: this.swap.size, cc_pages: this.cc.size } };
  }
  poolPages(): number {
    return 0;
  }
  storedBytes(): number {
    return 0;
  }
  storedPages(): number {
    return this.swap.size + this.cc.size;
  }
}
