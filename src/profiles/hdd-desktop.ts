/** `hdd-desktop`: an x86 desktop swapping to a 7200 rpm hard disk: where compression wins most. */

import { X86_CODECS } from './codecs-x86.js';
import { X86_COPY, blockCycles, dramEnergy, network } from './shared.js';
import type { Profile } from './profile.js';

// duplicates: alike in shape to the other profiles (mobile.ts, mobile-emmc.ts, ssd.ts, ssd-server.ts), and its read figures to
// its write figures: data, one file per profile, each figure with its own source; nothing to share but the shape.
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
  copy: X86_COPY,
  storage: {
    name: '7200 rpm HDD',
    readLatencyUs: { value: 12500, source: '[I] average seek ~8.3 ms + half a rotation at 7200 rpm (4.17 ms)', range: { lo: 8000, hi: 16000, source: '[I] 4 KiB random read: seek 4-9 ms + half a rotation 4.2 ms' } },
    writeLatencyUs: { value: 12500, source: '[I] as a read: random 4 KiB writes pay the seek and rotation too', range: { lo: 8000, hi: 16000, source: '[I] as reads' } },
    readEnergyUJ: { value: 85000, source: '[I] ~6.8 W active (typical 3.5" desktop drive) x 12.5 ms', range: { lo: 50000, hi: 120000, source: '[I] 6-8 W x 8-16 ms' } },
    writeEnergyUJ: { value: 85000, source: '[I] ~6.8 W active x 12.5 ms', range: { lo: 50000, hi: 120000, source: '[I] 6-8 W x 8-16 ms' } },
    activePowerW: { value: 6.8, source: '[I] typical 3.5" 7200 rpm desktop drive, seeking and transferring' },
    idlePowerW: { value: 4.5, source: '[I] the same drive idle with platters spinning (datasheets list 4-5 W); no spin-down: libata issues no STANDBY itself, the drive timer (hdparm -S) is off by default', range: { lo: 3.5, hi: 6, source: '[I] datasheet idle (spinning) figures' } },
    seqReadMBps: { value: 180, source: '[I] 7200 rpm 3.5" drive sequential rate (datasheets list 150-250 MB/s outer to inner)', range: { lo: 100, hi: 250, source: '[I] inner to outer tracks' } },
    seqWriteMBps: { value: 180, source: '[I] as reads', range: { lo: 100, hi: 250, source: '[I] inner to outer tracks' } },
  },
  blockIo: {
    submitCycles: blockCycles(3000, '[I] bio allocation, blk-mq and the I/O scheduler, ~1 µs at 3 GHz'),
    driverCycles: blockCycles(4000, '[I] SCSI midlayer, libata and AHCI command setup (heavier than NVMe)'),
    irqCycles: blockCycles(3000, '[I] interrupt entry/exit and the AHCI handler'),
    completeCycles: blockCycles(4500, '[I] SCSI completion softirq, bio end_io, waking the task'),
  },
  dramEnergyNJPerByte: dramEnergy('DRAMPower LPDDR4-3200 memspec mean 0.225 µJ per 4 KiB [R, peers-and-numbers.md §C]; DDR4 draws more [I]'),
  network: network(100, '[I] 1 GbE LAN round trip', 117, '[I] 1 GbE payload rate', 10, '[I] NIC + switch energy per byte, order of magnitude'),
};
