/** `ssd`: an x86 laptop with an NVMe SSD. */

import { X86_CODECS } from './codecs-x86.js';
import type { Profile } from './profile.js';

export const ssd: Profile = {
  name: 'ssd',
  aliases: ['ssd-laptop'],
  description: 'x86 laptop, one core at 3 GHz doing tmem work, NVMe SSD for swap and files',
  cpu: {
    cluster: 'x86 core',
    hz: { value: 3.0e9, source: '[I] a typical laptop core under load' },
    activePowerW: { value: 7.5, source: '[I] peers-and-numbers.md §C: "about 5-10 W per core" on x86; midpoint' },
  },
  codecs: X86_CODECS,
  copy: { value: 3200 / 24075, source: 'lzbench 2.4 memcpy 24075 MB/s at 3.2 GHz [R]' },
  storage: {
    name: 'NVMe SSD',
    readLatencyUs: { value: 80, source: '[I] consumer NVMe 4 KiB random read at QD1 (~12.5k IOPS); no citable figure (peers-and-numbers.md §C gap)' },
    writeLatencyUs: { value: 25, source: '[I] consumer NVMe 4 KiB random write at QD1 into the SLC cache (~40k IOPS)' },
    readEnergyUJ: { value: 280, source: '[I] device power / IOPS: 3.5 W active x 80 µs' },
    writeEnergyUJ: { value: 100, source: '[I] device power / IOPS: 4.0 W active x 25 µs' },
    activePowerW: { value: 3.5, source: '[I] consumer NVMe active read power (M.2 datasheets list 3-4.5 W); writes draw ~4.0 W (writeEnergyUJ)' },
    idlePowerW: { value: 0.05, source: '[I] consumer NVMe in an APST non-operational power state (datasheet PS3 figures are 30-70 mW) between faults on a laptop' },
    seqReadMBps: { value: 3000, source: 'Samsung PM981 (a common laptop NVMe): sequential read up to 3000 MB/s [R: ssdmeter.github.io PM981 page]', range: { lo: 1500, hi: 7000, source: '[I] consumer PCIe 3.0 to 4.0 x4 NVMe datasheet rates' } },
    seqWriteMBps: { value: 1600, source: 'Samsung PM981: sequential write up to 1600 MB/s [R: ssdmeter.github.io PM981 page]', range: { lo: 1000, hi: 5000, source: '[I] consumer NVMe SLC-cache write rates' } },
  },
  blockIo: {
    submitCycles: { value: 3000, source: '[I] bio allocation, blk-mq tag and plug/unplug, ~1 µs at 3 GHz; no per-stage figure found to cite', range: { lo: 1500, hi: 6000, source: '[I] x0.5-x2 of the estimate' } },
    driverCycles: { value: 1500, source: '[I] nvme_queue_rq: command build, DMA/PRP mapping, doorbell write', range: { lo: 750, hi: 3000, source: '[I] x0.5-x2' } },
    irqCycles: { value: 3000, source: '[I] MSI-X interrupt entry and exit, nvme_irq completion-queue walk', range: { lo: 1500, hi: 6000, source: '[I] x0.5-x2' } },
    completeCycles: { value: 4500, source: '[I] blk_mq_end_request, bio end_io, unlock_page and waking the faulting task (a context switch)', range: { lo: 2250, hi: 9000, source: '[I] x0.5-x2' } },
  },
  dramEnergyNJPerByte: { value: 0.055, source: 'DRAMPower LPDDR4-3200 memspec: 0.28 µJ read / 0.17 µJ write per 4 KiB, mean 0.225 µJ / 4096 B [R, peers-and-numbers.md §C]; DDR4 draws more [I]' },
  network: {
    latencyUs: { value: 20, source: '[I] 10 GbE round trip within a rack' },
    bandwidthMBps: { value: 1170, source: '[I] 10 GbE payload rate' },
    energyNJPerByte: { value: 5, source: '[I] NIC + switch energy per byte, order of magnitude' },
  },
};
