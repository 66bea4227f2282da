/**
 * zsmalloc: size-class slab allocator over "zspages" (chains of 1..k pool
 * pages), the densest zpool. It cannot evict: zpool_shrink → -EINVAL.
 *
 * Kernel source and era: TL:mm/zsmalloc.c. Default rules ('4.x', used for
 * zswap's 4.x and 6.x eras: 4.x–6.2): pages_per_zspage k <= 4 chosen by the
 * largest integer used-percentage, two partial fullness groups (almost_empty:
 * inuse <= 3/4 of the objects, almost_full), a zspage inserted behind the list
 * head when it holds fewer objects than the head. Option era '6.3' (6.3+,
 * CONFIG_ZSMALLOC_CHAIN_SIZE = 8): k <= 8 chosen by the least wasted bytes
 * (power-of-two class sizes take 1 page), ten 10 % inuse-ratio groups, plain
 * head insertion.
 *
 * Density rule:
 *   size 0 or size > 4096 → -EINVAL (zs_malloc fails; 4.x returned a bare -1)
 *   s = size + 8 (ZS_HANDLE_SIZE: the handle is kept in front of the object)
 *   class index i = s <= 32 ? 0 : min(254, ceil((s - 32) / 16)); class size 32 + 16 i
 *   (255 classes at 4 KiB pages; sizes 4089..4096 land in the 4096 class)
 *   per class: k = pages_per_zspage as above, objs = k * 4096 / class_size
 *   classes are built from the largest down; a class with the same (k, objs)
 *   as the next larger one is merged into it (uses its size)
 *   k = 1, objs = 1: the "huge" class, one object per page
 *   pages = Σ over zspages of k; with every zspage full, Σ_class ceil(n_c / objs_c) · k_c
 *
 *   malloc: the first zspage of the fullest partial group of the class
 *           (almost_full before almost_empty; 6.3: ratio 99 % down to 10 %), or a
 *           new zspage of k pages from the PageSource (all or none: -ENOMEM).
 *   free:   the zspage's inuse drops; an empty zspage gives its k pages back at
 *           once; otherwise it moves between fullness groups. Freeing therefore
 *           leaves partly used zspages behind, as the kernel does without
 *           compaction.
 *   compact(): __zs_compact per class: move objects from the emptiest partial
 *           zspage into the fullest one while a whole zspage's worth of slots is
 *           free (zs_can_compact), freeing emptied zspages (pages_compacted).
 *           Only when asked: zs_compact is called by the pool's shrinker
 *           (zs_shrinker_scan, registered with the VM since 4.1; zs_shrinker_count
 *           = compactable()) and by zram's sysfs knob; zswap never calls it
 *           directly. zswap.ts registers the shrinker (backends/shrinker.ts).
 *
 * Kernel memory (slabPages): zs_create_pool makes two kmem caches of its own
 * (create_cache): zs_handle, one ZS_HANDLE_SIZE (8-byte) object per
 * allocated object (cache_alloc_handle in zs_malloc), and zspage, one
 * struct zspage per zspage (alloc_zspage). Both are created with no flags,
 * so their pages count as unreclaimable slab. Charged as ceil(handles / 512)
 * + ceil(zspages / floor(4096 / 56)): sizeof(struct zspage) is 56 on x86-64
 * in 6.1 (the bit-field word, inuse, freeobj, first_page, the fullness
 * list_head, pool, and the CONFIG_COMPACTION rwlock_t), SLUB packing whole
 * objects into order-0 slabs with no partly used slabs kept.
 *
 * Deviations: which slot inside a zspage an object takes is not modelled
 * (only counts are); no zspage migration/isolation (page compaction of the
 * VM), no deferred frees, no locking. The zspage cache is charged in every
 * era, though before 4.8 the zspage's metadata lived in its first struct
 * page and took no slab.
 */

import { EINVAL, ENOMEM, type EvictFn, type PageSource, type Zpool, type ZpoolFactory } from './zpool.js';
import { PAGE_SIZE } from '../content/page.js';

type ZsmallocEra = '4.x' | '6.3';

const ZS_HANDLE_SIZE = 8;
/** sizeof(struct zspage) on x86-64 in 6.1 (CONFIG_COMPACTION: with its rwlock_t): one zspage-cache object per zspage. */
const ZSPAGE_STRUCT_SIZE = 56;
const ZS_MIN_ALLOC_SIZE = 32;
const ZS_MAX_ALLOC_SIZE = PAGE_SIZE;
/** ZS_SIZE_CLASS_DELTA = PAGE_SIZE >> 8. */
const ZS_SIZE_CLASS_DELTA = PAGE_SIZE >> 8;
/** 255 at 4 KiB pages. */
export const ZS_SIZE_CLASSES = Math.ceil((ZS_MAX_ALLOC_SIZE - ZS_MIN_ALLOC_SIZE) / ZS_SIZE_CLASS_DELTA) + 1;
/** Longest zspage chain per era. */
const ZS_MAX_PAGES_PER_ZSPAGE: Readonly<Record<ZsmallocEra, number>> = { '4.x': 4, '6.3': 8 };

interface ZsSizeClass {
  /** Index of the class (the largest index among merged ones). */
  readonly index: number;
  readonly size: number;
  readonly pagesPerZspage: number;
  readonly objsPerZspage: number;
  readonly huge: boolean;
}

/** get_pages_per_zspage (≤ 6.2): the k <= 4 with the largest integer used percentage, smallest k on ties. */
function pagesPerZspageUsedPct(classSize: number, maxPages: number): number {
  let maxUsedPc = 0;
  let best = 1;
  for (let i = 1; i <= maxPages; i++) {
    const zspageSize = i * PAGE_SIZE;
    const waste = zspageSize % classSize;
    const usedPc = Math.floor(((zspageSize - waste) * 100) / zspageSize);
    if (usedPc > maxUsedPc) {
      maxUsedPc = usedPc;
      best = i;
    }
  }
  return best;
}

/** calculate_zspage_chain_size (6.3+): the k <= 8 with the least wasted bytes; powers of two take 1. */
function pagesPerZspageMinWaste(classSize: number, maxPages: number): number {
  if ((classSize & (classSize - 1)) === 0) return 1;
  let minWaste = Infinity;
  let best = 1;
  for (let i = 1; i <= maxPages; i++) {
    const waste = (i * PAGE_SIZE) % classSize;
    if (waste < minWaste) {
      minWaste = waste;
      best = i;
    }
  }
  return best;
}

/** pages_per_zspage of a class size under an era's rule. */
export function zsPagesPerZspage(classSize: number, era: ZsmallocEra = '4.x'): number {
  const max = ZS_MAX_PAGES_PER_ZSPAGE[era];
  return era === '4.x' ? pagesPerZspageUsedPct(classSize, max) : pagesPerZspageMinWaste(classSize, max);
}

const classTables = new Map<ZsmallocEra, readonly ZsSizeClass[]>();

/**
 * The size class used for each class index 0..254 (zs_create_pool): merged
 * indices share the larger class's object.
 */
export function zsSizeClasses(era: ZsmallocEra = '4.x'): readonly ZsSizeClass[] {
  let t = classTables.get(era);
  if (t !== undefined) return t;
  const table = new Array<ZsSizeClass>(ZS_SIZE_CLASSES);
  let prev: ZsSizeClass | null = null;
  for (let i = ZS_SIZE_CLASSES - 1; i >= 0; i--) {
    let size = ZS_MIN_ALLOC_SIZE + i * ZS_SIZE_CLASS_DELTA;
    if (size > ZS_MAX_ALLOC_SIZE) size = ZS_MAX_ALLOC_SIZE;
    const k = zsPagesPerZspage(size, era);
    const objs = Math.floor((k * PAGE_SIZE) / size);
    if (prev !== null && prev.pagesPerZspage === k && prev.objsPerZspage === objs) {
      table[i] = prev;
      continue;
    }
    prev = { index: i, size, pagesPerZspage: k, objsPerZspage: objs, huge: k === 1 && objs === 1 };
    table[i] = prev;
  }
  t = table;
  classTables.set(era, t);
  return t;
}

/** get_size_class_index of an allocation size that already includes the handle. */
export function zsClassIndex(sizeWithHandle: number): number {
  let idx = 0;
  if (sizeWithHandle > ZS_MIN_ALLOC_SIZE) idx = Math.ceil((sizeWithHandle - ZS_MIN_ALLOC_SIZE) / ZS_SIZE_CLASS_DELTA);
  return idx < ZS_SIZE_CLASSES - 1 ? idx : ZS_SIZE_CLASSES - 1;
}

/** The class an object of `size` bytes (as given to malloc) goes to, or null if it cannot be stored. */
export function zsClassFor(size: number, era: ZsmallocEra = '4.x'): ZsSizeClass | null {
  if (!(size > 0) || size > ZS_MAX_ALLOC_SIZE) return null;
  return zsSizeClasses(era)[zsClassIndex(size + ZS_HANDLE_SIZE)]!;
}

/** Fullness groups: 0 = empty, groups-1 = full, the ones between are partial (lowest use first). */
interface FullnessRule {
  readonly groups: number;
  group(inuse: number, objs: number): number;
  /** 4.x: a zspage with fewer objects than the list head goes behind it. */
  readonly behindFullerHead: boolean;
}

const FULLNESS: Readonly<Record<ZsmallocEra, FullnessRule>> = {
  // ZS_EMPTY, ZS_ALMOST_EMPTY, ZS_ALMOST_FULL, ZS_FULL (fullness_threshold_frac = 4)
  '4.x': {
    groups: 4,
    group(inuse, objs) {
      if (inuse === 0) return 0;
      if (inuse === objs) return 3;
      return inuse <= Math.floor((3 * objs) / 4) ? 1 : 2;
    },
    behindFullerHead: true,
  },
  // ZS_INUSE_RATIO_0, _10 .. _99, _100
  '6.3': {
    groups: 12,
    group(inuse, objs) {
      if (inuse === 0) return 0;
      if (inuse === objs) return 11;
      return Math.floor(Math.floor((100 * inuse) / objs) / 10) + 1;
    },
    behindFullerHead: false,
  },
};

class Zspage {
  inuse = 0;
  group = -1;
  prev: Zspage | null = null;
  next: Zspage | null = null;
  /** Handles of the objects held (order irrelevant). */
  readonly handles: number[] = [];
  constructor(readonly cls: ZsClass) {}
}

class ZsClass {
  readonly heads: (Zspage | null)[];
  objAllocated = 0;
  objUsed = 0;
  zspages = 0;
  constructor(
    readonly info: ZsSizeClass,
    groups: number,
  ) {
    this.heads = new Array<Zspage | null>(groups).fill(null);
  }
}

interface ZsObj {
  zspage: Zspage;
  /** Position in zspage.handles. */
  slot: number;
  size: number;
}

interface ZsmallocOptions {
  /** Which kernel's class and fullness rules: '4.x' (4.x–6.2, default) or '6.3' (6.3+). */
  era?: ZsmallocEra;
}

// duplicates: its fields and totalPages/objects are alike in shape to ZbudPool's (allocators/zbud.ts) and Z3foldPool's
// (allocators/z3fold.ts): kernel-shaped, each zpool driver (mm/zsmalloc.c, mm/zbud.c, mm/z3fold.c) serves the zpool ops
// from its own structures. Its stats() loop over the classes is alike in shape only to RAMster's over its nodes
// (backends/ramster/ramster.ts).
export class ZsmallocPool implements Zpool {
  readonly name = 'zsmalloc';
  readonly evictable = false;
  readonly era: ZsmallocEra;
  private readonly rule: FullnessRule;
  private readonly classes: (ZsClass | undefined)[] = new Array<ZsClass | undefined>(ZS_SIZE_CLASSES);
  private readonly objs = new Map<number, ZsObj>();
  private nextHandle = 1;
  private pagesAllocated = 0;
  private zspageCount = 0;
  private bytes = 0;
  private hugeObjects = 0;
  private pagesCompacted = 0;
  /** Bytes migrate_zspage copied (class size per moved object). */
  migratedBytes = 0;
  private failNomem = 0;
  private failInval = 0;

  constructor(
    private readonly pages: PageSource,
    opts: ZsmallocOptions = {},
  ) {
    this.era = opts.era ?? '4.x';
    this.rule = FULLNESS[this.era];
  }

  private classOf(info: ZsSizeClass): ZsClass {
    let c = this.classes[info.index];
    if (c === undefined) {
      c = new ZsClass(info, this.rule.groups);
      this.classes[info.index] = c;
    }
    return c;
  }

  // ---- fullness lists -----------------------------------------------------------

  private partial(g: number): boolean {
    return g > 0 && g < this.rule.groups - 1;
  }

  private insert(zs: Zspage, g: number): void {
    zs.group = g;
    if (!this.partial(g)) return;
    const c = zs.cls;
    const head = c.heads[g]!;
    if (head !== null && this.rule.behindFullerHead && zs.inuse < head.inuse) {
      zs.prev = head;
      zs.next = head.next;
      if (head.next !== null) head.next.prev = zs;
      head.next = zs;
      return;
    }
    zs.prev = null;
    zs.next = head;
    if (head !== null) head.prev = zs;
    c.heads[g] = zs;
  }

  private remove(zs: Zspage): void {
    if (this.partial(zs.group)) {
      if (zs.prev !== null) zs.prev.next = zs.next;
      else zs.cls.heads[zs.group] = zs.next;
      if (zs.next !== null) zs.next.prev = zs.prev;
      zs.prev = zs.next = null;
    }
    zs.group = -1;
  }

  /** fix_fullness_group. */
  private fix(zs: Zspage): void {
    const g = this.rule.group(zs.inuse, zs.cls.info.objsPerZspage);
    if (g === zs.group) return;
    this.remove(zs);
    this.insert(zs, g);
  }

  /** isolate_zspage: the first zspage of the emptiest (source) or fullest (target) partial group. */
  private isolate(c: ZsClass, source: boolean): Zspage | null {
    const n = this.rule.groups;
    for (let k = 1; k < n - 1; k++) {
      const g = source ? k : n - 1 - k;
      const zs = c.heads[g]!;
      if (zs !== null) {
        this.remove(zs);
        return zs;
      }
    }
    return null;
  }

  // ---- zpool ----------------------------------------------------------------------

  malloc(size: number): number {
    const info = zsClassFor(size, this.era);
    if (info === null) {
      this.failInval++;
      return EINVAL;
    }
    const c = this.classOf(info);
    let zs: Zspage | null = null;
    for (let g = this.rule.groups - 2; g >= 1 && zs === null; g--) zs = c.heads[g]!;
    if (zs === null) {
      const k = info.pagesPerZspage;
      for (let i = 0; i < k; i++) {
        if (!this.pages.allocPage()) {
          for (let j = 0; j < i; j++) this.pages.freePage();
          this.failNomem++;
          return ENOMEM;
        }
      }
      zs = new Zspage(c);
      this.pagesAllocated += k;
      this.zspageCount++;
      c.zspages++;
      c.objAllocated += info.objsPerZspage;
    }
    const handle = this.nextHandle++;
    zs.inuse++;
    this.objs.set(handle, { zspage: zs, slot: zs.handles.length, size });
    zs.handles.push(handle);
    c.objUsed++;
    this.bytes += size;
    if (info.huge) this.hugeObjects++;
    this.fix(zs);
    return handle;
  }

  free(handle: number): void {
    const o = this.objs.get(handle);
    if (o === undefined) return;
    this.objs.delete(handle);
    const zs = o.zspage;
    this.detach(zs, o.slot);
    this.bytes -= o.size;
    if (zs.cls.info.huge) this.hugeObjects--;
    zs.cls.objUsed--;
    if (zs.inuse === 0) this.freeZspage(zs);
    else this.fix(zs);
  }

  /** Drops slot `slot` of a zspage's handle list (swap-remove). */
  private detach(zs: Zspage, slot: number): void {
    const hs = zs.handles;
    const last = hs.pop()!;
    if (slot < hs.length) {
      hs[slot] = last;
      this.objs.get(last)!.slot = slot;
    }
    zs.inuse--;
  }

  private freeZspage(zs: Zspage): void {
    this.remove(zs);
    const c = zs.cls;
    const k = c.info.pagesPerZspage;
    c.zspages--;
    c.objAllocated -= c.info.objsPerZspage;
    this.zspageCount--;
    this.pagesAllocated -= k;
    for (let i = 0; i < k; i++) this.pages.freePage();
  }

  shrink(_pages: number, _evict: EvictFn): number {
    return EINVAL;
  }

  /** zs_can_compact: pages a class could give back by compaction. */
  private canCompact(c: ZsClass): number {
    if (c.objAllocated <= c.objUsed) return 0;
    return Math.floor((c.objAllocated - c.objUsed) / c.info.objsPerZspage) * c.info.pagesPerZspage;
  }

  /** zs_shrinker_count: pages compaction could free, over every class. */
  compactable(): number {
    let n = 0;
    for (const c of this.classes) if (c !== undefined) n += this.canCompact(c);
    return n;
  }

  /** zs_compact: compacts every class; returns the pages freed. */
  compact(): number {
    let freed = 0;
    for (let i = ZS_SIZE_CLASSES - 1; i >= 0; i--) {
      const c = this.classes[i];
      if (c !== undefined) freed += this.compactClass(c);
    }
    this.pagesCompacted += freed;
    return freed;
  }

  /** __zs_compact. */
  private compactClass(c: ZsClass): number {
    const objs = c.info.objsPerZspage;
    let freed = 0;
    let src: Zspage | null;
    while ((src = this.isolate(c, true)) !== null) {
      if (this.canCompact(c) === 0) break;
      let dst: Zspage | null;
      while ((dst = this.isolate(c, false)) !== null) {
        // migrate_zspage: move objects until src is empty or dst is full
        while (src.inuse > 0 && dst.inuse < objs) {
          const h = src.handles[src.handles.length - 1]!;
          this.detach(src, src.handles.length - 1);
          const o = this.objs.get(h)!;
          o.zspage = dst;
          o.slot = dst.handles.length;
          this.migratedBytes += c.info.size;
          dst.handles.push(h);
          dst.inuse++;
        }
        if (src.inuse === 0) break;
        this.insert(dst, this.rule.group(dst.inuse, objs));
      }
      if (dst === null) break;
      this.insert(dst, this.rule.group(dst.inuse, objs));
      this.insert(src, this.rule.group(src.inuse, objs));
      if (src.inuse === 0) {
        this.freeZspage(src);
        freed += c.info.pagesPerZspage;
      }
      src = null;
    }
    if (src !== null) this.insert(src, this.rule.group(src.inuse, objs));
    return freed;
  }

  totalPages(): number {
    return this.pagesAllocated;
  }

  objects(): number {
    return this.objs.size;
  }

  /** The zs_handle and zspage caches: whole slabs of 512 handles and of floor(4096 / 56) zspages. */
  slabPages(): number {
    return Math.ceil(this.objs.size / Math.floor(PAGE_SIZE / ZS_HANDLE_SIZE)) + Math.ceil(this.zspageCount / Math.floor(PAGE_SIZE / ZSPAGE_STRUCT_SIZE));
  }

  stats(): Record<string, number> {
    let objAllocated = 0;
    let objUsed = 0;
    let freeable = 0;
    for (const c of this.classes) {
      if (c === undefined) continue;
      objAllocated += c.objAllocated;
      objUsed += c.objUsed;
      freeable += this.canCompact(c);
    }
    return {
      pages_used: this.pagesAllocated,
      zspages: this.zspageCount,
      obj_allocated: objAllocated,
      obj_used: objUsed,
      freeable,
      huge_objects: this.hugeObjects,
      object_bytes: this.bytes,
      pages_compacted: this.pagesCompacted,
      alloc_fail_nomem: this.failNomem,
      alloc_fail_inval: this.failInval,
    };
  }
}

/** A zsmalloc factory following one era's rules (all named 'zsmalloc'). */
export function zsmallocFactoryFor(era: ZsmallocEra): ZpoolFactory {
  const k = ZS_MAX_PAGES_PER_ZSPAGE[era];
  return {
    name: 'zsmalloc',
    movable: true,
    description: `zsmalloc (mm/zsmalloc.c, ${era === '4.x' ? '4.x–6.2' : '6.3+'}): 255 size classes of 16 bytes, zspages of up to ${k} pages, no eviction`,
    create(pages: PageSource): Zpool {
      return new ZsmallocPool(pages, { era });
    },
  };
}

export const zsmallocFactory: ZpoolFactory = zsmallocFactoryFor('4.x');
