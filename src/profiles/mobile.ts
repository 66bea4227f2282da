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
    seqReadMBps: { value: 800, source: '[I] UFS 2.1 sequential read (phone reviews and datasheets give 700-900 MB/s; UFS 3.1 ~2000)', range: { lo: 500, hi: 2100, source: '[I] UFS 2.1 to UFS 3.1' } },
    seqWriteMBps: { value: 250, source: '[I] UFS 2.1 sequential write (~200-300 MB/s; UFS 3.1 with WriteBooster ~1200)', range: { lo: 150, hi: 1200, source: '[I] UFS 2.1 to UFS 3.1' } },
  },
  blockIo: {
    submitCycles: { value: 5000, source: '[I] bio, blk-mq and plug on an A72 (~2.5 µs at 2 GHz); no per-stage figure found to cite', range: { lo: 2500, hi: 10000, source: '[I] x0.5-x2' } },
    driverCycles: { value: 6000, source: '[I] SCSI midlayer and ufshcd: UPIU build, DMA mapping, doorbell', range: { lo: 3000, hi: 12000, source: '[I] x0.5-x2' } },
    irqCycles: { value: 4000, source: '[I] GIC interrupt entry/exit and the ufshcd handler', range: { lo: 2000, hi: 8000, source: '[I] x0.5-x2' } },
    completeCycles: { value: 5000, source: '[I] SCSI completion softirq, bio end_io, waking the faulting task', range: { lo: 2500, hi: 10000, source: '[I] x0.5-x2; Li et al. (FAST\'14) find the storage software stack costs 5-200x the device\'s own energy on a phone [R], so this term is not negligible' } },
  },
  dramEnergyNJPerByte: { value: 0.055, source: 'DRAMPower LPDDR4-3200 memspec: mean 0.225 µJ per 4 KiB moved [R, peers-and-numbers.md §C]' },
  network: {
    latencyUs: { value: 2000, source: '[I] Wi-Fi round trip' },
    bandwidthMBps: { value: 50, source: '[I] Wi-Fi 5 effective throughput' },
    energyNJPerByte: { value: 100, source: '[I] Wi-Fi radio energy per byte, order of magnitude' },
  },
};
