/**
 * struct frontswap_ops and struct cleancache_ops built from a backend's own
 * shim methods (the kernel's zcache_frontswap_store, tmem_cleancache_get_page
 * & co.), so no backend writes a forwarding class. A backend that wraps
 * another (RAMster over zcache) passes the methods it replaces in `own`.
 * zswap's own methods are frontswap_ops as they stand (init, store, load,
 * invalidatePage, invalidateArea): it hands itself to the frontend.
 */

import type { CleancacheOps, FrontswapOps } from './backend.js';
import type { Page, PageOut } from '../content/page.js';

/** A tmem shim's frontswap methods (zcache_frontswap_*, tmem_frontswap_*). */
export interface FrontswapMethods {
  frontswapInit(type: number): void;
  frontswapStore(type: number, offset: number, page: Page): boolean;
  frontswapLoad(type: number, offset: number, out: PageOut): boolean;
  frontswapInvalidatePage(type: number, offset: number): void;
  frontswapInvalidateArea(type: number): void;
}

/** A tmem shim's cleancache methods (zcache_cleancache_*, tmem_cleancache_*). */
export interface CleancacheMethods {
  cleancacheInitFs(pageSize: number): number;
  /** Absent: shared pools are unsupported and an init_shared_fs gets a private pool (cleancacheInitFs). */
  cleancacheInitSharedFs?(uuid: string, pageSize: number): number;
  cleancacheGetPage(pool: number, inode: number, index: number, out: PageOut): boolean;
  cleancachePutPage(pool: number, inode: number, index: number, page: Page): void;
  cleancacheInvalidatePage(pool: number, inode: number, index: number): void;
  cleancacheInvalidateInode(pool: number, inode: number): void;
  cleancacheInvalidateFs(pool: number): void;
}

/** struct frontswap_ops over `b`'s methods; those in `own` replace b's. */
export function frontswapOps(b: FrontswapMethods, own: Partial<FrontswapMethods> = {}): FrontswapOps {
  const m: FrontswapMethods = {
    frontswapInit: own.frontswapInit ?? ((type) => b.frontswapInit(type)),
    frontswapStore: own.frontswapStore ?? ((type, offset, page) => b.frontswapStore(type, offset, page)),
    frontswapLoad: own.frontswapLoad ?? ((type, offset, out) => b.frontswapLoad(type, offset, out)),
    frontswapInvalidatePage: own.frontswapInvalidatePage ?? ((type, offset) => b.frontswapInvalidatePage(type, offset)),
    frontswapInvalidateArea: own.frontswapInvalidateArea ?? ((type) => b.frontswapInvalidateArea(type)),
  };
  return {
    init: m.frontswapInit,
    store: m.frontswapStore,
    load: m.frontswapLoad,
    invalidatePage: m.frontswapInvalidatePage,
    invalidateArea: m.frontswapInvalidateArea,
  };
}

/** struct cleancache_ops over `b`'s methods; those in `own` replace b's. */
export function cleancacheOps(b: CleancacheMethods, own: Partial<CleancacheMethods> = {}): CleancacheOps {
  const initFs = own.cleancacheInitFs ?? ((pageSize: number) => b.cleancacheInitFs(pageSize));
  const shared = own.cleancacheInitSharedFs ?? (b.cleancacheInitSharedFs !== undefined ? (uuid: string, pageSize: number) => b.cleancacheInitSharedFs!(uuid, pageSize) : undefined);
  return {
    initFs,
    initSharedFs: shared ?? ((_uuid, pageSize) => initFs(pageSize)),
    getPage: own.cleancacheGetPage ?? ((pool, inode, index, out) => b.cleancacheGetPage(pool, inode, index, out)),
    putPage: own.cleancachePutPage ?? ((pool, inode, index, page) => b.cleancachePutPage(pool, inode, index, page)),
    invalidatePage: own.cleancacheInvalidatePage ?? ((pool, inode, index) => b.cleancacheInvalidatePage(pool, inode, index)),
    invalidateInode: own.cleancacheInvalidateInode ?? ((pool, inode) => b.cleancacheInvalidateInode(pool, inode)),
    invalidateFs: own.cleancacheInvalidateFs ?? ((pool) => b.cleancacheInvalidateFs(pool)),
  };
}
