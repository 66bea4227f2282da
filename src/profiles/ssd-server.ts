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
    activePowerW: { value: 5, source: '[I] ~250 W package / 48 busy cores, within peers-and-numbers.md §C "5-10 W per core"', range: { lo: 3, hi: 10, source: '[I] 250-350 W packages over 32-96 cores; peers-and-numbers.md §C: 5-10 W per core [R]' } },
  },
  codecs: X86_CODECS,
  copy: { value: 3200 / 24075, source: 'lzbench 2.4 memcpy 24075 MB/s at 3.2 GHz [R]', range: { lo: 3200 / 24075 * 0.5, hi: 3200 / 24075 * 2, source: '[I] memcpy of one 4 KiB page in the kernel against lzbench\'s large-buffer memcpy rate: x0.5-x2' } },
  storage: {
    name: 'enterprise NVMe SSD',
    readLatencyUs: { value: 80, source: '[I] enterprise NVMe 4 KiB random read at QD1 (~12.5k IOPS)', range: { lo: 50, hi: 120, source: '[I] enterprise NVMe QD1 reads' } },
    writeLatencyUs: { value: 15, source: '[I] enterprise NVMe 4 KiB write at QD1 into its power-protected cache', range: { lo: 10, hi: 30, source: '[I] power-protected write cache' } },
    readEnergyUJ: { value: 960, source: '[I] device power / IOPS at QD1: ~12 W active x 80 µs', range: { lo: 500, hi: 2000, source: '[I] 10-25 W x 50-80 us' } },
    writeEnergyUJ: { value: 180, source: '[I] ~12 W active x 15 µs', range: { lo: 100, hi: 750, source: '[I] 10-25 W x 10-30 us' } },
    activePowerW: { value: 12, source: '[I] enterprise U.2 NVMe active power (datasheets list 10-25 W)' },
    idlePowerW: { value: 5, source: '[I] enterprise NVMe idle (datasheets list ~5 W; servers disable deep power states)', range: { lo: 3, hi: 8, source: '[I] enterprise NVMe idle figures in datasheets' } },
    seqReadMBps: { value: 6800, source: '[I] enterprise PCIe 4.0 U.2 NVMe sequential read (datasheets list 3000-7000 MB/s)', range: { lo: 3000, hi: 7000, source: '[I] enterprise PCIe 3.0-4.0 datasheet rates' } },
    seqWriteMBps: { value: 4000, source: '[I] enterprise PCIe 4.0 NVMe sequential write', range: { lo: 2000, hi: 5000, source: '[I] enterprise datasheet rates' } },
  },
  blockIo: {
    submitCycles: { value: 3000, source: '[I] bio allocation, blk-mq tag and plug/unplug, ~1 µs at 3 GHz; no per-stage figure found to cite', range: { lo: 1500, hi: 6000, source: '[I] x0.5-x2 of the estimate' } },
    driverCycles: { value: 1500, source: '[I] nvme_queue_rq: command build, DMA/PRP mapping, doorbell write', range: { lo: 750, hi: 3000, source: '[I] x0.5-x2' } },
    irqCycles: { value: 3000, source: '[I] MSI-X interrupt entry and exit, nvme_irq completion-queue walk', range: { lo: 1500, hi: 6000, source: '[I] x0.5-x2' } },
    completeCycles: { value: 4500, source: '[I] blk_mq_end_request, bio end_io, unlock_page and waking the faulting task (a context switch)', range: { lo: 2250, hi: 9000, source: '[I] x0.5-x2' } },
  },
  dramEnergyNJPerByte: { value: 0.055, source: 'DRAMPower LPDDR4-3200 memspec mean 0.225 µJ per 4 KiB [R, peers-and-numbers.md §C]; server DDR4/5 draws more [I]', range: { lo: 0.04, hi: 0.15, source: 'DRAMPower LPDDR4-3200: 0.17 µJ (write) to 0.28 µJ (read) per 4 KiB = 0.042-0.068 nJ/B [R, peers-and-numbers.md §C], widened up to 0.15 for activate/precharge (not in those figures) and DDR4/5 [I]' } },
  network: {
    latencyUs: { value: 20, source: '[I] 10 GbE round trip within a rack', range: { lo: 20 * 0.5, hi: 20 * 3, source: '[I] network round trip: x0.5-x3' } },
    bandwidthMBps: { value: 1170, source: '[I] 10 GbE payload rate', range: { lo: 1170 * 0.3, hi: 1170 * 1.2, source: '[I] effective throughput: x0.3-x1.2' } },
    energyNJPerByte: { value: 5, source: '[I] NIC + switch energy per byte, order of magnitude', range: { lo: 5 * 0.3, hi: 5 * 3, source: '[I] order-of-magnitude radio/NIC figure: x0.3-x3' } },
  },
};
