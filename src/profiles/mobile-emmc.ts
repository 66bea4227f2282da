/** `mobile-emmc`: a budget Android phone, tmem work on a LITTLE core, eMMC 4.5 flash. */

import { ARM_CYCLE_FACTOR, ARM_FACTOR_RANGE, X86_CODECS, scaleCodecs } from './codecs-x86.js';
import { blockCycles, copyCost, dramEnergy, network } from './shared.js';
import type { Profile } from './profile.js';

/** An in-order Cortex-A53 needs about 1.8x the cycles of an out-of-order A72 on codec loops [I]. */
const A53_OVER_A72 = 1.8;

// duplicates: alike in shape to the other profiles (hdd-desktop.ts, mobile.ts, ssd.ts, ssd-server.ts), and its read figures to
// its write figures: data, one file per profile, each figure with its own source; nothing to share but the shape.
export const mobileEmmc: Profile = {
  name: 'mobile-emmc',
  aliases: ['emmc'],
  description: 'budget Android phone: tmem work on a LITTLE Cortex-A53 core at 1.2 GHz, eMMC 4.5 flash, LPDDR4',
  cpu: {
    cluster: 'LITTLE (Cortex-A53)',
    hz: { value: 1.2e9, source: '[I] A53 at 1.2 GHz, 0.9 V (peers-and-numbers.md §C)' },
    activePowerW: { value: 0.14, source: '[I] P = C V^2 f with dynamic-power-coefficient 140 µW/MHz/V^2 (Juno / meson-axg A53 device trees [R]) at 1.2 GHz, 0.9 V', range: { lo: 0.1, hi: 0.3, source: '[I] C = 140-263 uW/MHz/V^2 (Juno/meson-axg vs MT8173 A53 device trees [R]) at 1.2 GHz, 0.9 V gives 0.14-0.26 W; widened' } },
  },
  codecs: scaleCodecs(X86_CODECS, ARM_CYCLE_FACTOR * A53_OVER_A72, 'ARM factor x A53/A72 factor [I]', {
    lo: (ARM_FACTOR_RANGE.lo * 1.3) / (ARM_CYCLE_FACTOR * A53_OVER_A72),
    hi: (ARM_FACTOR_RANGE.hi * 2.5) / (ARM_CYCLE_FACTOR * A53_OVER_A72),
    source: '[I] ARM factor 1.2-4.0 times an A53/A72 factor of 1.3-2.5 (no published A53/A55 per-codec figure found; codecs-x86.ts)',
  }),
  copy: copyCost((3200 / 24075) * ARM_CYCLE_FACTOR * A53_OVER_A72, 'lzbench memcpy [R] x ARM and A53 factors [I]'),
  storage: {
    name: 'eMMC 4.5',
    readLatencyUs: { value: 250, source: 'eMMC 4.5: 4000 random-read 4K IOPS [R: Li et al., FAST\'14]', range: { lo: 150, hi: 400, source: '[I] eMMC 4.5-5.1 QD1 reads around the FAST\'14 4000 IOPS [R]' } },
    writeLatencyUs: { value: 500, source: 'eMMC 4.5: 2000 random-write 4K IOPS [R: FAST\'14]', range: { lo: 300, hi: 1500, source: '[I] eMMC writes around the FAST\'14 2000 IOPS [R], slower under garbage collection' } },
    readEnergyUJ: { value: 62.5, source: '<= 0.25 W / 4000 IOPS, device only [I from R: FAST\'14, peers-and-numbers.md §C]', range: { lo: 30, hi: 100, source: '[I] 0.2-0.25 W x 150-400 us' } },
    writeEnergyUJ: { value: 125, source: '<= 0.25 W / 2000 IOPS, device only [I from R: FAST\'14]', range: { lo: 60, hi: 375, source: '[I] 0.2-0.25 W x 300-1500 us' } },
    activePowerW: { value: 0.25, source: 'eMMC 4.5 draws under 250 mW at peak [R: Li et al., FAST\'14, peers-and-numbers.md §C]' },
    idlePowerW: { value: 0.002, source: '[I] eMMC standby between commands: a few hundred µA at 1.8-3.3 V (6.1 puts the card to sleep only on hosts with MMC_CAP_AGGRESSIVE_PM: mmc_runtime_suspend [R])', range: { lo: 0.0005, hi: 0.01, source: '[I] eMMC sleep (a few hundred uA) to standby with the bus clocked' } },
    seqReadMBps: { value: 70, source: 'eMMC 4.5: 70 MB/s sequential read [R: Li et al., FAST\'14]', range: { lo: 50, hi: 250, source: '[I] eMMC 4.5 to 5.1 datasheet rates' } },
    seqWriteMBps: { value: 40, source: 'eMMC 4.5: 40 MB/s sequential write [R: Li et al., FAST\'14]', range: { lo: 20, hi: 125, source: '[I] eMMC 4.5 to 5.1 datasheet rates' } },
  },
  blockIo: {
    submitCycles: blockCycles(6000, '[I] bio, blk-mq and plug on an in-order A53 (~5 µs at 1.2 GHz)'),
    driverCycles: blockCycles(8000, '[I] mmc block queue, mmc core and the SDHCI host driver (command, ADMA descriptors)'),
    irqCycles: blockCycles(5000, '[I] GIC interrupt entry/exit and the SDHCI handler (command and transfer-complete interrupts)'),
    completeCycles: blockCycles(6000, '[I] mmc request done, bio end_io, waking the faulting task', '[I] x0.5-x2; Li et al. (FAST\'14): storage software costs 5-200x the device energy [R]'),
  },
  dramEnergyNJPerByte: dramEnergy('DRAMPower LPDDR4-3200 memspec: mean 0.225 µJ per 4 KiB moved [R, peers-and-numbers.md §C]'),
  network: network(3000, '[I] Wi-Fi 4 round trip', 10, '[I] Wi-Fi 4 effective throughput', 150, '[I] Wi-Fi radio energy per byte, order of magnitude'),
};
