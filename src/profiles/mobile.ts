/** `mobile`: an Android phone, big.LITTLE ARM, UFS flash. */

import { ARM_CYCLE_FACTOR, X86_CODECS, scaleCodecs } from './codecs-x86.js';
import type { Profile } from './profile.js';

export const mobile: Profile = {
  name: 'mobile',
  aliases: ['mobile-ufs'],
  description: 'Android phone: tmem work on a big Cortex-A72-class core at 2 GHz, UFS flash, LPDDR4',
  cpu: {
    cluster: 'big (Cortex-A72 class)',
    hz: { value: 2.0e9, source: '[I] A72 at 2.0 GHz, 1.1 V (peers-and-numbers.md §C)' },
    activePowerW: { value: 1.28, source: '[I] P = C V^2 f with dynamic-power-coefficient 530 µW/MHz/V^2 (MT8173 A72 device tree [R]) at 2.0 GHz, 1.1 V' },
  },
  codecs: scaleCodecs(X86_CODECS, ARM_CYCLE_FACTOR, 'ARM cycles factor [I]'),
  copy: { value: (3200 / 24075) * ARM_CYCLE_FACTOR, source: 'lzbench memcpy [R] x ARM factor [I]' },
  storage: {
    name: 'UFS flash',
    readLatencyUs: { value: 100, source: '[I] UFS 2.x/3.x 4 KiB random read at QD1 (~10k IOPS); eMMC 4.5 does 4000 IOPS (250 µs) [R: Li et al. FAST\'14]' },
    writeLatencyUs: { value: 70, source: '[I] UFS 4 KiB random write at QD1 (~14k IOPS); eMMC 4.5: 2000 IOPS [R: FAST\'14]' },
    readEnergyUJ: { value: 60, source: '[I] device power / IOPS as peers-and-numbers.md §C: ~0.6 W x 100 µs (eMMC: <=62.5 µJ [I])' },
    writeEnergyUJ: { value: 84, source: '[I] ~1.2 W x 70 µs (eMMC: <=125 µJ [I])' },
    activePowerW: { value: 0.6, source: '[I] UFS active read power, as readEnergyUJ (~0.6 W; writes ~1.2 W)' },
    idlePowerW: { value: 0.005, source: '[I] UFS link in hibern8 between requests: a few mW at most' },
  },
  dramEnergyNJPerByte: { value: 0.055, source: 'DRAMPower LPDDR4-3200 memspec: mean 0.225 µJ per 4 KiB moved [R, peers-and-numbers.md §C]' },
  network: {
    latencyUs: { value: 2000, source: '[I] Wi-Fi round trip' },
    bandwidthMBps: { value: 50, source: '[I] Wi-Fi 5 effective throughput' },
    energyNJPerByte: { value: 100, source: '[I] Wi-Fi radio energy per byte, order of magnitude' },
  },
};
