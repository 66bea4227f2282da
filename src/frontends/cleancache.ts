/**
 * cleancache: the page-cache-side tmem frontend (TL:mm/cleancache.c).
 *
 * Era: 3.11–4.2, the merged form of the Erlangen lazy-initialization patch
 * (linux-mm, 31 Oct 2012): fake pool ids 1000+i (private) and 2000+i
 * (shared) for 32 slots, mapped to real ids on every operation.
 *
 *   init_fs(sb):   i = first UNKNOWN slot; sb.poolid = 1000+i
 *                  map[i] = ops ? ops.init_fs(PAGE_SIZE) : NO_BACKEND   (no slot: sb.poolid = -1)
 *   register(ops): every NO_BACKEND slot: map[i] = ops.init_fs / init_shared_fs(uuids[i])
 *   get:  !ops: failed_gets++ ; fake<0: return ; real<0: failed_gets++
 *         else ops.get → succ_gets++ | failed_gets++
 *   put:  !ops: puts++ (nothing is stored: the kernel's quirk) ; fake<0 or real<0: return
 *         else ops.put; puts++
 *   invalidate_page: counted only when the backend is called; invalidate_inode never counted
 *   invalidate_fs(sb): old = map[i]; map[i] = UNKNOWN; sb.poolid = -1; ops?.invalidate_fs(old)
 *
 * Exclusive gets on private pools and put-put-get coherency are the
 * backend's part (tmem); the frontend passes through.
 *
 * tmemsim extension: unregister() sets every mapped slot back to NO_BACKEND,
 * so the next register() creates fresh pools in the new backend instance —
 * real ids of a dead backend are never reused (no stale data after a reload).
 */

import type { Backend, CleancacheOps } from '../backends/backend.js';
import { PAGE_SIZE, type Page, type PageOut } from '../content/page.js';

const MAX_INITIALIZABLE_FS = 32;
const FAKE_FS_POOLID_OFFSET = 1000;
const FAKE_SHARED_FS_POOLID_OFFSET = 2000;
export const FS_NO_BACKEND = -1;
const FS_UNKNOWN = -2;

export interface CleancacheCounters {
  succ_gets: number;
  failed_gets: number;
  puts: number;
  invalidates: number;
}

export class Cleancache {
  /** Whether a backend with these ops was registered at any time (a report's hit ratio is n/a otherwise). */
  everRegistered = false;
  readonly counters: CleancacheCounters = { succ_gets: 0, failed_gets: 0, puts: 0, invalidates: 0 };
  private ops: CleancacheOps | null = null;
  private readonly fsMap = new Int32Array(MAX_INITIALIZABLE_FS).fill(FS_UNKNOWN);
  private readonly sharedMap = new Int32Array(MAX_INITIALIZABLE_FS).fill(FS_UNKNOWN);
  private readonly uuids: (string | null)[] = new Array<string | null>(MAX_INITIALIZABLE_FS).fill(null);
  /**
   * sb->cleancache_poolid by fs (fake id, -1 when off; undefined: not
   * mounted). An array: it is read on every operation, where a Map would hash.
   */
  private readonly sbPoolidAt: (number | undefined)[] = [];

  isMounted(fs: number): boolean {
    return this.sbPoolidAt[fs] !== undefined;
  }

  mountedFs(): number[] {
    const out: number[] = [];
    this.sbPoolidAt.forEach((id, fs) => {
      if (id !== undefined) out.push(fs);
    });
    return out;
  }

  /** The superblock's (fake) pool id, or undefined if not mounted. */
  poolidOf(fs: number): number | undefined {
    return this.sbPoolidAt[fs];
  }

  /** A mounted filesystem whose pages go to backend pool `poolId`, or -1. */
  fsOfPool(poolId: number): number {
    for (let fs = 0; fs < this.sbPoolidAt.length; fs++) {
      const fake = this.sbPoolidAt[fs];
      if (fake !== undefined && fake >= 0 && this.realPoolid(fake) === poolId) return fs;
    }
    return -1;
  }

  /** The backend pool id a fake id maps to (get_poolid_from_fake). */
  realPoolid(fake: number): number {
    if (fake >= FAKE_SHARED_FS_POOLID_OFFSET) return this.sharedMap[fake - FAKE_SHARED_FS_POOLID_OFFSET]!;
    if (fake >= FAKE_FS_POOLID_OFFSET) return this.fsMap[fake - FAKE_FS_POOLID_OFFSET]!;
    return -1;
  }

  /** mount → cleancache_init_fs / cleancache_init_shared_fs. */
  mount(fs: number, uuid?: string): void {
    let poolid = -1;
    if (uuid === undefined) {
      for (let i = 0; i < MAX_INITIALIZABLE_FS; i++) {
        if (this.fsMap[i] === FS_UNKNOWN) {
          poolid = i + FAKE_FS_POOLID_OFFSET;
          this.fsMap[i] = this.ops ? this.ops.initFs(PAGE_SIZE) : FS_NO_BACKEND;
          break;
        }
      }
    } else {
      for (let i = 0; i < MAX_INITIALIZABLE_FS; i++) {
        if (this.sharedMap[i] === FS_UNKNOWN) {
          poolid = i + FAKE_SHARED_FS_POOLID_OFFSET;
          this.uuids[i] = uuid;
          this.sharedMap[i] = this.ops ? this.ops.initSharedFs(uuid, PAGE_SIZE) : FS_NO_BACKEND;
          break;
        }
      }
    }
    this.sbPoolidAt[fs] = poolid;
  }

  /** umount → cleancache_invalidate_fs, then the superblock is gone. */
  umount(fs: number): void {
    this.invalidateFs(fs);
    this.sbPoolidAt[fs] = undefined;
  }

  // duplicates: alike in shape to Frontswap.register in frontends/frontswap.ts: kernel-shaped, cleancache_register_ops
  // (mm/cleancache.c) and frontswap_register_ops (mm/frontswap.c) each replay the inits recorded before a backend came.
  /** cleancache_register_ops: lazily create the recorded pools. Returns the old ops. */
  register(backend: Backend): CleancacheOps | null {
    const ops = backend.cleancache;
    if (!ops) return this.ops;
    this.everRegistered = true;
    const old = this.ops;
    for (let i = 0; i < MAX_INITIALIZABLE_FS; i++) {
      if (this.fsMap[i] === FS_NO_BACKEND) this.fsMap[i] = ops.initFs(PAGE_SIZE);
      if (this.sharedMap[i] === FS_NO_BACKEND) this.sharedMap[i] = ops.initSharedFs(this.uuids[i] ?? '', PAGE_SIZE);
    }
    this.ops = ops;
    return old;
  }

  /** tmemsim: the backend is gone; its pools with it. Mapped slots wait for the next backend. */
  unregister(): void {
    this.ops = null;
    for (let i = 0; i < MAX_INITIALIZABLE_FS; i++) {
      if (this.fsMap[i]! !== FS_UNKNOWN) this.fsMap[i] = FS_NO_BACKEND;
      if (this.sharedMap[i]! !== FS_UNKNOWN) this.sharedMap[i] = FS_NO_BACKEND;
    }
  }

  // duplicates: get and put below open alike: kernel-shaped, __cleancache_get_page and __cleancache_put_page in
  // mm/cleancache.c do the same ops check and pool id lookup.
  /** __cleancache_get_page. A miss means the page must be read from the filesystem. */
  get(fs: number, inode: number, index: number, out: PageOut): boolean {
    if (!this.ops) {
      this.counters.failed_gets++;
      return false;
    }
    const fake = this.sbPoolidAt[fs] ?? -1;
    if (fake < 0) return false;
    const pool = this.realPoolid(fake);
    if (pool >= 0 && this.ops.getPage(pool, inode, index, out)) {
      this.counters.succ_gets++;
      return true;
    }
    this.counters.failed_gets++;
    return false;
  }

  /** __cleancache_put_page. Returns whether the backend was called (not whether it kept the page). */
  put(fs: number, inode: number, index: number, page: Page): boolean {
    if (!this.ops) {
      this.counters.puts++;
      return false;
    }
    const fake = this.sbPoolidAt[fs] ?? -1;
    if (fake < 0) return false;
    const pool = this.realPoolid(fake);
    if (pool < 0) return false;
    this.ops.putPage(pool, inode, index, page);
    this.counters.puts++;
    return true;
  }

  invalidatePage(fs: number, inode: number, index: number): void {
    if (!this.ops) return;
    const fake = this.sbPoolidAt[fs] ?? -1;
    if (fake < 0) return;
    const pool = this.realPoolid(fake);
    if (pool < 0) return;
    this.ops.invalidatePage(pool, inode, index);
    this.counters.invalidates++;
  }

  invalidateInode(fs: number, inode: number): void {
    if (!this.ops) return;
    const fake = this.sbPoolidAt[fs] ?? -1;
    if (fake < 0) return;
    const pool = this.realPoolid(fake);
    if (pool < 0) return;
    this.ops.invalidateInode(pool, inode);
  }

  /** __cleancache_invalidate_fs: surrenders the pool id; the superblock stays mounted but off. */
  invalidateFs(fs: number): void {
    const fake = this.sbPoolidAt[fs];
    if (fake === undefined) return;
    let old = fake;
    if (fake >= FAKE_SHARED_FS_POOLID_OFFSET) {
      const i = fake - FAKE_SHARED_FS_POOLID_OFFSET;
      old = this.sharedMap[i]!;
      this.sharedMap[i] = FS_UNKNOWN;
      this.uuids[i] = null;
    } else if (fake >= FAKE_FS_POOLID_OFFSET) {
      const i = fake - FAKE_FS_POOLID_OFFSET;
      old = this.fsMap[i]!;
      this.fsMap[i] = FS_UNKNOWN;
    }
    this.sbPoolidAt[fs] = -1;
    if (this.ops) this.ops.invalidateFs(old);
  }
}
