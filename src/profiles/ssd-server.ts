/** `ssd-server`: an x86 server core with an enterprise NVMe SSD and 10 GbE (RAMster's peers). */

import { X86_CODECS } from './codecs-x86.js';
import type { Profile } from './profile.js';

export const ssdServer: Profile = {
  name: 'ssd-server',
  aliases: [],
  description: 'x86 server: one core at 2.5 GHz doing tmem work, enterprise NVMe SSD, 10 GbE',
  cpu: {
    cluster: 'x86 server core',
    hz: { value: 2.5e9, source: '[I] a server core at all-core turbo' },
    activePowerW: { value: 5, source: '[I] ~250 W package / 48 busy cores, within peers-and-numbers.md §C "5-10 W per core"' },
  },
  codecs: X86_CODECS,
  copy: { value: 3200 / 24075, source: 'lzbench 2.4 memcpy 24075 MB/s at 3.2 GHz [R]' },
  storage: {
    name: 'enterprise NVMe SSD',
    readLatencyUs: { value: 80, source: '[I] enterprise NVMe 4 KiB random read at QD1 (~12.5k IOPS)' },
    writeLatencyUs: { value: 15, source: '[I] enterprise NVMe 4 KiB write at QD1 into its power-protected cache' },
    readEnergyUJ: { value: 960, source: '[I] device power / IOPS at QD1: ~12 W active x 80 µs' },
    writeEnergyUJ: { value: 180, source: '[I] ~12 W active x 15 µs' },
    activePowerW: { value: 12, source: '[I] enterprise U.2 NVMe active power (datasheets list 10-25 W)' },
    idlePowerW: { value: 5, source: '[I] enterprise NVMe idle (datasheets list ~5 W; servers disable deep power states)' },
    seqReadMBps: { value: 6800, source: '[I] enterprise PCIe 4.0 U.2 NVMe sequential read (datasheets list 3000-7000 MB/s)', range: { lo: 3000, hi: 7000, source: '[I] enterprise PCIe 3.0-4.0 datasheet rates' } },
    seqWriteMBps: { value: 4000, source: '[I] enterprise PCIe 4.0 NVMe sequential write', range: { lo: 2000, hi: 5000, source: '[I] enterprise datasheet rates' } },
  },
  blockIo: {
    submitCycles: { value: 3000, source: '[I] bio allocation, blk-mq tag and plug/unplug, ~1 µs at 3 GHz; no per-stage figure found to cite', range: { lo: 1500, hi: 6000, source: '[I] x0.5-x2 of the estimate' } },
    driverCycles: { value: 1500, source: '[I] nvme_queue_rq: command build, DMA/PRP mapping, doorbell write', range: { lo: 750, hi: 3000, source: '[I] x0.5-x2' } },
    irqCycles: { value: 3000, source: '[I] MSI-X interrupt entry and exit, nvme_irq completion-queue walk', range: { lo: 1500, hi: 6000, source: '[I] x0.5-x2' } },
    completeCycles: { value: 4500, source: '[I] blk_mq_end_request, bio end_io, unlock_page and waking the faulting task (a context switch)', range: { lo: 2250, hi: 9000, source: '[I] x0.5-x2' } },
  },
  dramEnergyNJPerByte: { value: 0.055, source: 'DRAMPower LPDDR4-3200 memspec mean 0.225 µJ per 4 KiB [R, peers-and-numbers.md §C]; server DDR4/5 draws more [I]' },
  network: {
    latencyUs: { value: 20, source: '[I] 10 GbE round trip within a rack' },
    bandwidthMBps: { value: 1170, source: '[I] 10 GbE payload rate' },
    energyNJPerByte: { value: 5, source: '[I] NIC + switch energy per byte, order of magnitude' },
  },
};
