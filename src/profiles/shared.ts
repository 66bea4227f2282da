/**
 * Pieces the profile files share: the spreads they give a kind of constant
 * (a factor either side of its value: a memcpy cost, a block-path cycle
 * estimate, the network figures), the DRAM energy figure, the x86 memcpy
 * cost, the NVMe block path and rack 10 GbE (each typed once).
 */

import type { Profile, Range, Sourced } from './profile.js';

/** `value` with the range value x loF .. value x hiF (computed in that order), `rangeSource` saying why. */
function ranged(value: number, source: string, loF: number, hiF: number, rangeSource: string): Sourced<number> {
  return { value, source, range: { lo: value * loF, hi: value * hiF, source: rangeSource } };
}

/** DRAM energy per byte moved (every profile): the range of the LPDDR4 figures, widened. */
const DRAM_RANGE: Range = {
  lo: 0.04,
  hi: 0.15,
  source: 'DRAMPower LPDDR4-3200: 0.17 µJ (write) to 0.28 µJ (read) per 4 KiB = 0.042-0.068 nJ/B [R, peers-and-numbers.md §C], widened up to 0.15 for activate/precharge (not in those figures) and DDR4/5 [I]',
};

/** DRAMPower's LPDDR4-3200 mean, 0.225 µJ per 4 KiB = 0.055 nJ/B, with `source` saying how it applies to the profile's machine. */
export function dramEnergy(source: string): Sourced<number> {
  return { value: 0.055, source, range: DRAM_RANGE };
}

/** The range note of a memcpy cost taken from lzbench. */
const COPY_RANGE_NOTE = '[I] memcpy of one 4 KiB page in the kernel against lzbench\'s large-buffer memcpy rate: x0.5-x2';

/** A memcpy cost in cycles per byte taken from lzbench's memcpy rate, with its x0.5-x2 spread (every profile's `copy`). */
export function copyCost(cyclesPerByte: number, source: string): Sourced<number> {
  return ranged(cyclesPerByte, source, 0.5, 2, COPY_RANGE_NOTE);
}

/** memcpy cycles per byte on x86: lzbench's memcpy rate. */
export const X86_COPY: Sourced<number> = copyCost(3200 / 24075, 'lzbench 2.4 memcpy 24075 MB/s at 3.2 GHz [R]');

/** A block-path cycle estimate with the spread every profile gives it, x0.5-x2; `rangeSource` where a profile says more. */
export function blockCycles(cycles: number, source: string, rangeSource = '[I] x0.5-x2'): Sourced<number> {
  return ranged(cycles, source, 0.5, 2, rangeSource);
}

/** Block path cycles of an x86 NVMe SSD (ssd and ssd-server). */
export const NVME_BLOCK_IO: Profile['blockIo'] = {
  submitCycles: blockCycles(3000, '[I] bio allocation, blk-mq tag and plug/unplug, ~1 µs at 3 GHz; no per-stage figure found to cite', '[I] x0.5-x2 of the estimate'),
  driverCycles: blockCycles(1500, '[I] nvme_queue_rq: command build, DMA/PRP mapping, doorbell write'),
  irqCycles: blockCycles(3000, '[I] MSI-X interrupt entry and exit, nvme_irq completion-queue walk'),
  completeCycles: blockCycles(4500, '[I] blk_mq_end_request, bio end_io, unlock_page and waking the faulting task (a context switch)'),
};

/** A network's figures, each with the usual spread: round trip x0.5-x3, throughput x0.3-x1.2, energy per byte x0.3-x3. */
export function network(latencyUs: number, latencySource: string, bandwidthMBps: number, bandwidthSource: string, energyNJPerByte: number, energySource: string): Profile['network'] {
  return {
    latencyUs: ranged(latencyUs, latencySource, 0.5, 3, '[I] network round trip: x0.5-x3'),
    bandwidthMBps: ranged(bandwidthMBps, bandwidthSource, 0.3, 1.2, '[I] effective throughput: x0.3-x1.2'),
    energyNJPerByte: ranged(energyNJPerByte, energySource, 0.3, 3, '[I] order-of-magnitude radio/NIC figure: x0.3-x3'),
  };
}

/** 10 GbE within a rack (ssd and ssd-server). */
export const RACK_10GBE: Profile['network'] = network(20, '[I] 10 GbE round trip within a rack', 1170, '[I] 10 GbE payload rate', 5, '[I] NIC + switch energy per byte, order of magnitude');
