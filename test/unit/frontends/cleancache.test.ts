import { describe, expect, it } from 'vitest';
import { Cleancache, FS_NO_BACKEND } from '../../../src/frontends/cleancache.js';
import { newPage, newPageOut } from '../../../src/content/page.js';
import { RefBackend } from '../../helpers/ref-backend.js';

const page = (tag: number) => ({ ...newPage(), tag });

describe('cleancache lazy initialization (3.11 form)', () => {
  it('gives fake pool ids 1000+i and 2000+i and maps them once a backend registers', () => {
    const c = new Cleancache();
    c.mount(1);
    c.mount(2, 'uuid-a');
    c.mount(3);
    expect(c.poolidOf(1)).toBe(1000);
    expect(c.poolidOf(2)).toBe(2000);
    expect(c.poolidOf(3)).toBe(1001);
    expect(c.realPoolid(1000)).toBe(FS_NO_BACKEND);
    const b = new RefBackend();
    c.register(b);
    expect(b.calls).toEqual(['init_fs 0', 'init_shared_fs uuid-a 1', 'init_fs 2']);
    expect(c.realPoolid(1000)).toBe(0);
    expect(c.realPoolid(2000)).toBe(1);
    expect(c.realPoolid(1001)).toBe(2);
  });

  it('with no backend: get counts failed_gets, put counts puts (the quirk) and stores nothing', () => {
    const c = new Cleancache();
    c.mount(1);
    c.put(1, 5, 0, page(1));
    expect(c.get(1, 5, 0, newPageOut())).toBe(false);
    expect(c.counters).toEqual({ succ_gets: 0, failed_gets: 1, puts: 1, invalidates: 0 });
    c.invalidatePage(1, 5, 0);
    expect(c.counters.invalidates).toBe(0);
  });

  it('with a backend: a superblock beyond 32 mounts stays off and its ops are uncounted', () => {
    const c = new Cleancache();
    c.register(new RefBackend());
    for (let fs = 0; fs < 33; fs++) c.mount(fs);
    expect(c.poolidOf(32)).toBe(-1);
    c.put(32, 1, 1, page(1));
    c.get(32, 1, 1, newPageOut());
    expect(c.counters).toEqual({ succ_gets: 0, failed_gets: 0, puts: 0, invalidates: 0 });
  });

  it('private pools are exclusive; shared pools keep the page on a get', () => {
    const c = new Cleancache();
    c.register(new RefBackend());
    c.mount(1);
    c.mount(2, 'u');
    c.put(1, 7, 3, page(10));
    c.put(2, 7, 3, page(11));
    const out = newPageOut();
    expect(c.get(1, 7, 3, out)).toBe(true);
    expect(out.tag).toBe(10);
    expect(c.get(1, 7, 3, out)).toBe(false);
    expect(c.get(2, 7, 3, out)).toBe(true);
    expect(c.get(2, 7, 3, out)).toBe(true);
    expect(c.counters).toEqual({ succ_gets: 3, failed_gets: 1, puts: 2, invalidates: 0 });
  });

  it('invalidate_fs surrenders the pool id: the slot is reused and the new pool is empty', () => {
    const c = new Cleancache();
    const b = new RefBackend();
    c.register(b);
    c.mount(1);
    c.put(1, 1, 1, page(5));
    c.umount(1);
    expect(b.calls).toContain('invalidate_fs 0');
    c.mount(4);
    expect(c.poolidOf(4)).toBe(1000);
    expect(c.get(4, 1, 1, newPageOut())).toBe(false);
  });

  it('invalidate_fs with no backend: the real id is unknown and the backend is not called', () => {
    const c = new Cleancache();
    c.mount(1);
    c.invalidateFs(1);
    expect(c.poolidOf(1)).toBe(-1);
    const b = new RefBackend();
    c.register(b);
    expect(b.calls).toEqual([]);
  });

  it('invalidate_inode is never counted; invalidate_page only when the backend is called', () => {
    const c = new Cleancache();
    c.register(new RefBackend());
    c.mount(1);
    c.put(1, 2, 0, page(1));
    c.put(1, 2, 1, page(2));
    c.invalidateInode(1, 2);
    c.invalidatePage(1, 2, 0);
    expect(c.counters.invalidates).toBe(1);
    expect(c.get(1, 2, 1, newPageOut())).toBe(false);
  });

  it('after unregister, the next backend gets fresh pools (no real id of the dead one is reused)', () => {
    const c = new Cleancache();
    const b1 = new RefBackend();
    c.register(b1);
    c.mount(1);
    c.put(1, 1, 1, page(1));
    c.unregister();
    const b2 = new RefBackend();
    c.register(b2);
    expect(b2.calls).toEqual(['init_fs 0']);
    expect(c.get(1, 1, 1, newPageOut())).toBe(false);
  });
});
