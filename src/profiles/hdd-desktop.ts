/** `hdd-desktop`: an x86 desktop swapping to a 7200 rpm hard disk: where compression wins most. */

import { X86_CODECS } from './codecs-x86.js';
import type { Profile } from './profile.js';

export const hddDesktop: Profile = {
  name: 'hdd-desktop',
  aliases: ['hdd'],
  description: 'x86 desktop: one core at 3.6 GHz, 7200 rpm hard disk for swap and files',
  cpu: {
    cluster: 'x86 desktop core',
    hz: { value: 3.6e9, source: '[I] a desktop core under load' },
    activePowerW: { value: 10, source: '[I] upper end of peers-and-numbers.md §C "5-10 W per core"', range: { lo: 5, hi: 15, source: '[I] desktop core at turbo' } },
  },
  codecs: X86_CODECS,
  copy: { value: 3200 / 24075, source: 'lzbench 2.4 memcpy 24075 MB/s at 3.2 GHz [R]', range: { lo: 3200 / 24075 * 0.5, hi: 3200 / 24075 * 2, source: '[I] memcpy of one 4 KiB page in the kernel against lzbench\'s large-buffer memcpy rate: x0.5-x2' } },
  storage: {
    name: '7200 rpm HDD',
    readLatencyUs: { value: 12500, source: '[I] average seek ~8.3 ms + half a rotation at 7200 rpm (4.17 ms)', range: { lo: 8000, hi: 16000, source: '[I] 4 KiB random read: seek 4-9 ms + half a rotation 4.2 ms' } },
    writeLatencyUs: { value: 12500, source: '[I] as a read: random 4 KiB writes pay the seek and rotation too', range: { lo: 8000, hi: 16000, source: '[I] as reads' } },
    readEnergyUJ: { value: 85000, source: '[I] ~6.8 W active (typical 3.5" desktop drive) x 12.5 ms', range: { lo: 50000, hi: 120000, source: '[I] 6-8 W x 8-16 ms' } },
    writeEnergyUJ: { value: 85000, source: '[I] ~6.8 W active x 12.5 ms', range: { lo: 50000, hi: 120000, source: '[I] 6-8 W x 8-16 ms' } },
    activePowerW: { value: 6.8, source: '[I] typical 3.5" 7200 rpm desktop drive, seeking and transferring' },
    idlePowerW: { value: 4.5, source: '[I] the same drive idle with platters spinning (datasheets list 4-5 W); no spin-down modelled', range: { lo: 3.5, hi: 6, source: '[I] datasheet idle (spinning) figures' } },
    seqReadMBps: { value: 180, source: '[I] 7200 rpm 3.5" drive sequential rate (datasheets list 150-250 MB/s outer to inner)', range: { lo: 100, hi: 250, source: '[I] inner to outer tracks' } },
    seqWriteMBps: { value: 180, source: '[I] as reads', range: { lo: 100, hi: 250, source: '[I] inner to outer tracks' } },
  },
  blockIo: {
    submitCycles: { value: 3000, source: '[I] bio allocation, blk-mq and the I/O scheduler, ~1 µs at 3 GHz', range: { lo: 1500, hi: 6000, source: '[I] x0.5-x2' } },
    driverCycles: { value: 4000, source: '[I] SCSI midlayer, libata and AHCI command setup (heavier than NVMe)', range: { lo: 2000, hi: 8000, source: '[I] x0.5-x2' } },
    irqCycles: { value: 3000, source: '[I] interrupt entry/exit and the AHCI handler', range: { lo: 1500, hi: 6000, source: '[I] x0.5-x2' } },
    completeCycles: { value: 4500, source: '[I] SCSI completion softirq, bio end_io, waking the task', range: { lo: 2250, hi: 9000, source: '[I] x0.5-x2' } },
  },
  dramEnergyNJPerByte: { value: 0.055, source: 'DRAMPower LPDDR4-3200 memspec mean 0.225 µJ per 4 KiB [R, peers-and-numbers.md §C]; DDR4 draws more [I]', range: { lo: 0.04, hi: 0.15, source: 'DRAMPower LPDDR4-3200: 0.17 µJ (write) to 0.28 µJ (read) per 4 KiB = 0.042-0.068 nJ/B [R, peers-and-numbers.md §C], widened up to 0.15 for activate/precharge (not in those figures) and DDR4/5 [I]' } },
  network: {
    latencyUs: { value: 100, source: '[I] 1 GbE LAN round trip', range: { lo: 100 * 0.5, hi: 100 * 3, source: '[I] network round trip: x0.5-x3' } },
    bandwidthMBps: { value: 117, source: '[I] 1 GbE payload rate', range: { lo: 117 * 0.3, hi: 117 * 1.2, source: '[I] effective throughput: x0.3-x1.2' } },
    energyNJPerByte: { value: 10, source: '[I] NIC + switch energy per byte, order of magnitude', range: { lo: 10 * 0.3, hi: 10 * 3, source: '[I] order-of-magnitude radio/NIC figure: x0.3-x3' } },
  },
};
