/** `mobile-emmc`: a budget Android phone, tmem work on a LITTLE core, eMMC 4.5 flash. */

import { ARM_CYCLE_FACTOR, X86_CODECS, scaleCodecs } from './codecs-x86.js';
import type { Profile } from './profile.js';

/** An in-order Cortex-A53 needs about 1.8x the cycles of an out-of-order A72 on codec loops [I]. */
const A53_OVER_A72 = 1.8;

export const mobileEmmc: Profile = {
  name: 'mobile-emmc',
  aliases: ['emmc'],
  description: 'budget Android phone: tmem work on a LITTLE Cortex-A53 core at 1.2 GHz, eMMC 4.5 flash, LPDDR4',
  cpu: {
    cluster: 'LITTLE (Cortex-A53)',
    hz: { value: 1.2e9, source: '[I] A53 at 1.2 GHz, 0.9 V (peers-and-numbers.md §C)' },
    activePowerW: { value: 0.14, source: '[I] P = C V^2 f with dynamic-power-coefficient 140 µW/MHz/V^2 (Juno / meson-axg A53 device trees [R]) at 1.2 GHz, 0.9 V' },
  },
  codecs: scaleCodecs(X86_CODECS, ARM_CYCLE_FACTOR * A53_OVER_A72, 'ARM factor x A53/A72 factor [I]'),
  copy: { value: (3200 / 24075) * ARM_CYCLE_FACTOR * A53_OVER_A72, source: 'lzbench memcpy [R] x ARM and A53 factors [I]' },
  storage: {
    name: 'eMMC 4.5',
    readLatencyUs: { value: 250, source: 'eMMC 4.5: 4000 random-read 4K IOPS [R: Li et al., FAST\'14]' },
    writeLatencyUs: { value: 500, source: 'eMMC 4.5: 2000 random-write 4K IOPS [R: FAST\'14]' },
    readEnergyUJ: { value: 62.5, source: '<= 0.25 W / 4000 IOPS, device only [I from R: FAST\'14, peers-and-numbers.md §C]' },
    writeEnergyUJ: { value: 125, source: '<= 0.25 W / 2000 IOPS, device only [I from R: FAST\'14]' },
    activePowerW: { value: 0.25, source: 'eMMC 4.5 draws under 250 mW at peak [R: Li et al., FAST\'14, peers-and-numbers.md §C]' },
    idlePowerW: { value: 0.002, source: '[I] eMMC standby/sleep: a few hundred µA at 1.8-3.3 V' },
    seqReadMBps: { value: 70, source: 'eMMC 4.5: 70 MB/s sequential read [R: Li et al., FAST\'14]', range: { lo: 50, hi: 250, source: '[I] eMMC 4.5 to 5.1 datasheet rates' } },
    seqWriteMBps: { value: 40, source: 'eMMC 4.5: 40 MB/s sequential write [R: Li et al., FAST\'14]', range: { lo: 20, hi: 125, source: '[I] eMMC 4.5 to 5.1 datasheet rates' } },
  },
  blockIo: {
    submitCycles: { value: 6000, source: '[I] bio, blk-mq and plug on an in-order A53 (~5 µs at 1.2 GHz)', range: { lo: 3000, hi: 12000, source: '[I] x0.5-x2' } },
    driverCycles: { value: 8000, source: '[I] mmc block queue, mmc core and the SDHCI host driver (command, ADMA descriptors)', range: { lo: 4000, hi: 16000, source: '[I] x0.5-x2' } },
    irqCycles: { value: 5000, source: '[I] GIC interrupt entry/exit and the SDHCI handler (command and transfer-complete interrupts)', range: { lo: 2500, hi: 10000, source: '[I] x0.5-x2' } },
    completeCycles: { value: 6000, source: '[I] mmc request done, bio end_io, waking the faulting task', range: { lo: 3000, hi: 12000, source: '[I] x0.5-x2; Li et al. (FAST\'14): storage software costs 5-200x the device energy [R]' } },
  },
  dramEnergyNJPerByte: { value: 0.055, source: 'DRAMPower LPDDR4-3200 memspec: mean 0.225 µJ per 4 KiB moved [R, peers-and-numbers.md §C]' },
  network: {
    latencyUs: { value: 3000, source: '[I] Wi-Fi 4 round trip' },
    bandwidthMBps: { value: 10, source: '[I] Wi-Fi 4 effective throughput' },
    energyNJPerByte: { value: 150, source: '[I] Wi-Fi radio energy per byte, order of magnitude' },
  },
};
