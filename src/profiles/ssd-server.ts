/** `ssd-server`: an x86 server core with an enterprise NVMe SSD and 10 GbE (RAMster's peers). */

import { X86_CODECS } from './codecs-x86.js';
import { NVME_BLOCK_IO, RACK_10GBE, X86_COPY, dramEnergy } from './shared.js';
import type { Profile } from './profile.js';

// duplicates: alike in shape to the other profiles (hdd-desktop.ts, mobile.ts, mobile-emmc.ts, ssd.ts), and its read figures to
// its write figures: data, one file per profile, each figure with its own source; nothing to share but the shape.
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
  copy: X86_COPY,
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
  blockIo: NVME_BLOCK_IO,
  dramEnergyNJPerByte: dramEnergy('DRAMPower LPDDR4-3200 memspec mean 0.225 µJ per 4 KiB [R, peers-and-numbers.md §C]; server DDR4/5 draws more [I]'),
  network: RACK_10GBE,
};
