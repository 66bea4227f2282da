/** `ssd`: an x86 laptop with an NVMe SSD. */

import { X86_CODECS } from './codecs-x86.js';
import { NVME_BLOCK_IO, RACK_10GBE, X86_COPY, dramEnergy } from './shared.js';
import type { Profile } from './profile.js';

// duplicates: alike in shape to the other profiles (hdd-desktop.ts, mobile.ts, mobile-emmc.ts, ssd-server.ts), and its read
// figures to its write figures: data, one file per profile, each figure with its own source; nothing to share but the
// shape.
export const ssd: Profile = {
  name: 'ssd',
  aliases: ['ssd-laptop'],
  description: 'x86 laptop, one core at 3 GHz doing tmem work, NVMe SSD for swap and files',
  cpu: {
    cluster: 'x86 core',
    hz: { value: 3.0e9, source: '[I] a typical laptop core under load' },
    activePowerW: { value: 7.5, source: '[I] peers-and-numbers.md §C: "about 5-10 W per core" on x86; midpoint', range: { lo: 5, hi: 10, source: 'peers-and-numbers.md §C: "about 5-10 W per core" on x86 [R]' } },
  },
  codecs: X86_CODECS,
  copy: X86_COPY,
  storage: {
    name: 'NVMe SSD',
    readLatencyUs: { value: 80, source: '[I] consumer NVMe 4 KiB random read at QD1 (~12.5k IOPS); no citable figure (peers-and-numbers.md §C gap)', range: { lo: 50, hi: 150, source: '[I] consumer NVMe QD1 4 KiB random reads (~7k-20k IOPS at QD1)' } },
    writeLatencyUs: { value: 25, source: '[I] consumer NVMe 4 KiB random write at QD1 into the SLC cache (~40k IOPS)', range: { lo: 10, hi: 80, source: '[I] SLC-cache write (10-30 us) to a drive past its cache' } },
    readEnergyUJ: { value: 280, source: '[I] device power / IOPS: 3.5 W active x 80 µs', range: { lo: 150, hi: 500, source: '[I] 3-4.5 W x 50-110 us' } },
    writeEnergyUJ: { value: 100, source: '[I] device power / IOPS: 4.0 W active x 25 µs', range: { lo: 40, hi: 300, source: '[I] 3.5-4.5 W x 10-70 us' } },
    activePowerW: { value: 3.5, source: '[I] consumer NVMe active read power (M.2 datasheets list 3-4.5 W); writes draw ~4.0 W (writeEnergyUJ)' },
    idlePowerW: { value: 0.005, source: 'Samsung PM981 (MZVLB1T0HBLR) PS4, the APST target: 0.0050 W (smartctl power-state table, linux-hardware.ru probe 543d2dfef7) [R]', range: { lo: 0.005, hi: 0.07, source: 'PM981 PS4 0.005 W to PS3 0.07 W [R, same table]: a kernel or drive that stops at PS3' } },
    powerStates: {
      name: 'NVMe APST to PS4',
      idleTimeoutUs: { value: 100_000, source: 'Linux 6.1 drivers/nvme/host/core.c nvme_configure_apst: apst_primary_timeout_ms = 100 for the deepest non-operational state whose entry + exit latency is within apst_primary_latency_tol_us = 15000 (PM981 PS4: 2000 + 8000 us) [R]', range: { lo: 100_000, hi: 2_000_000, source: 'Linux 6.1: 100 ms (primary) to 2000 ms (apst_secondary_timeout_ms) [R]; before 5.16 the idle time was 50x the state\'s total latency, 500 ms for PS4 [R]' } },
      exitLatencyUs: { value: 8000, source: 'PM981 PS4 exit latency (Ex_Lat) 8000 us [R, smartctl table]; NVMe 1.3 Fig. 113: EXLAT is the maximum time to exit the state [R]', range: { lo: 1200, hi: 8000, source: 'PM981 PS3 1200 us to PS4 8000 us [R]: the drive\'s stated maxima; a drive may wake faster [I]' } },
      activeIdlePowerW: { value: 1.0, source: '[I] a consumer NVMe drive idle in an operational state (PS0-PS2) before APST moves it: well under the 3.5-8 W maxima the PM981 lists for PS0-PS2 [R]', range: { lo: 0.3, hi: 3.5, source: '[I] 0.3 W to the PM981\'s PS2 maximum, 3.5 W [R]' } },
    },
    seqReadMBps: { value: 3000, source: 'Samsung PM981 (a common laptop NVMe): sequential read up to 3000 MB/s [R: ssdmeter.github.io PM981 page]', range: { lo: 1500, hi: 7000, source: '[I] consumer PCIe 3.0 to 4.0 x4 NVMe datasheet rates' } },
    seqWriteMBps: { value: 1600, source: 'Samsung PM981: sequential write up to 1600 MB/s [R: ssdmeter.github.io PM981 page]', range: { lo: 1000, hi: 5000, source: '[I] consumer NVMe SLC-cache write rates' } },
  },
  blockIo: NVME_BLOCK_IO,
  dramEnergyNJPerByte: dramEnergy('DRAMPower LPDDR4-3200 memspec: 0.28 µJ read / 0.17 µJ write per 4 KiB, mean 0.225 µJ / 4096 B [R, peers-and-numbers.md §C]; DDR4 draws more [I]'),
  network: RACK_10GBE,
};
