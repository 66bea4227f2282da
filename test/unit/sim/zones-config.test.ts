/**
 * config.zones and config.min_free_kbytes: the layout the memory model gets, the RAM set
 * apart from the header resizing the highest zone, and one clear error for a layout the
 * kernel cannot have (zones out of order, or lower zones holding all the RAM).
 */

import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/sim/config.js';
import { UsageError } from '../../../src/errors.js';
import type { TraceHeader } from '../../../src/trace/events.js';

const header = (config: object): TraceHeader => ({ format: 'tmemsim-trace', version: 1, config } as TraceHeader);

describe('config.zones', () => {
  it('gives the memory model the zones, lowest first, and min_free_kbytes', () => {
    const c = resolveConfig(header({ ram_pages: 52685, zones: [{ name: 'DMA', pages: 3840 }, { name: 'DMA32', pages: 48845 }], min_free_kbytes: 1824 }), 't.json');
    expect(c.zones).toEqual({ managed: [3840, 48845], names: ['DMA', 'DMA32'], minFreeKbytes: 1824 });
  });

  it('absent: one zone, the default min_free_kbytes; min_free_kbytes alone: one zone with it', () => {
    expect(resolveConfig(header({ ram_pages: 4096 }), 't.json').zones).toBeUndefined();
    expect(resolveConfig(header({ ram_pages: 4096, min_free_kbytes: 4096 }), 't.json').zones).toEqual({ managed: [4096], minFreeKbytes: 4096 });
  });

  it('RAM from the command line resizes the highest zone', () => {
    const c = resolveConfig(header({ ram_pages: 52685, zones: [{ name: 'DMA', pages: 3840 }, { name: 'DMA32', pages: 48845 }] }), 't.json', { ramPages: 100000 });
    expect(c.zones).toEqual({ managed: [3840, 96160], names: ['DMA', 'DMA32'] });
  });

  it('refuses zones out of order, or lower zones holding all the RAM, with one line naming the field', () => {
    const bad = (config: object): UsageError => {
      try {
        resolveConfig(header(config), 't.json');
      } catch (e) {
        return e as UsageError;
      }
      throw new Error('accepted');
    };
    const order = bad({ ram_pages: 8192, zones: [{ name: 'DMA32', pages: 4096 }, { name: 'DMA', pages: 4096 }] });
    expect(order).toBeInstanceOf(UsageError);
    expect(order.message).toContain('config.zones[1]');
    expect(order.message).toContain('DMA, DMA32, Normal');
    expect(order.message.split('\n')).toHaveLength(1);
    const twice = bad({ ram_pages: 8192, zones: [{ name: 'DMA', pages: 10 }, { name: 'DMA', pages: 8182 }] });
    expect(twice.message).toContain('config.zones[1]');
    const full = bad({ ram_pages: 8192, zones: [{ name: 'DMA', pages: 8192 }, { name: 'DMA32', pages: 1 }] });
    expect(full.message).toContain('config.zones');
    expect(full.message).toContain('8192');
  });

  it('passes a zone\'s boot state to the buddy allocator, and refuses free blocks that cannot fit their pageblocks', () => {
    const free = (o10: number): number[] => [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, o10];
    const boot = { blocks: { unmovable: 1, movable: 4, reclaimable: 1 }, free: { unmovable: free(0), movable: free(2), reclaimable: free(0) } };
    const c = resolveConfig(header({ ram_pages: 8192, zones: [{ name: 'DMA', pages: 3000 }, { name: 'DMA32', pages: 5192, boot }] }), 't.json');
    expect(c.zones?.boot).toEqual([undefined, boot]);
    let err: unknown;
    try {
      resolveConfig(header({ ram_pages: 8192, zones: [{ name: 'DMA', pages: 3000 }, { name: 'DMA32', pages: 5192, boot: { ...boot, free: { ...boot.free, movable: free(3) } } }] }), 't.json');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    const msg = (err as UsageError).message;
    expect(msg).toContain('config.zones[1].boot');
    expect(msg).toContain('movable free blocks');
    expect(msg.split('\n')).toHaveLength(1);
  });
});
