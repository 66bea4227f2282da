/** `mobile`: an Android phone, big.LITTLE ARM, UFS flash. */

import { ARM_CYCLE_FACTOR, ARM_FACTOR_RANGE, X86_CODECS, scaleCodecs } from './codecs-x86.js';
import { mobileEmmc } from './mobile-emmc.js';
import { blockCycles, copyCost, dramEnergy, network } from './shared.js';
import { clusterOf, onCluster, type ClusterProfile, type Profile } from './profile.js';

const BIG: ClusterProfile = {
  cluster: 'big (Cortex-A72 class)',
  hz: { value: 2.0e9, source: '[I] A72 at 2.0 GHz, 1.1 V (peers-and-numbers.md §C)' },
  activePowerW: { value: 1.28, source: '[I] P = C V^2 f with dynamic-power-coefficient 530 µW/MHz/V^2 (MT8173 A72 device tree [R]) at 2.0 GHz, 1.1 V', range: { lo: 0.9, hi: 1.9, source: '[I] the same P = C V^2 f at 0.95-1.15 V (0.96-1.40 W), widened for leakage and A76-class big cores' } },
  codecs: scaleCodecs(X86_CODECS, ARM_CYCLE_FACTOR, 'ARM cycles factor [I]', {
    lo: ARM_FACTOR_RANGE.lo / ARM_CYCLE_FACTOR,
    hi: ARM_FACTOR_RANGE.hi / ARM_CYCLE_FACTOR,
    source: '[I] an ARM factor of 1.2-4.0 on the x86 cycles (no published A72/A76 per-codec figure found; codecs-x86.ts)',
  }),
  copy: copyCost((3200 / 24075) * ARM_CYCLE_FACTOR, 'lzbench memcpy [R] x ARM factor [I]'),
};

/** The LITTLE cluster of the same SoC: a Cortex-A53 at 1.2 GHz, with mobile-emmc's CPU figures (an A53 needs ~1.8x the A72's codec cycles [I]). */
const LITTLE: ClusterProfile = clusterOf(mobileEmmc);

// duplicates: alike in shape to the other profiles (hdd-desktop.ts, mobile-emmc.ts, ssd.ts, ssd-server.ts), and its read figures
// to its write figures: data, one file per profile, each figure with its own source; nothing to share but the shape.
export const mobile: Profile = {
  name: 'mobile',
  aliases: ['mobile-ufs'],
  description: 'Android phone: tmem work on a big Cortex-A72-class core at 2 GHz, UFS flash, LPDDR4',
  ...onCluster(BIG),
  clusters: { big: BIG, LITTLE },
  tmemCluster: 'big',
  storage: {
    name: 'UFS flash',
    readLatencyUs: { value: 100, source: '[I] UFS 2.x/3.x 4 KiB random read at QD1 (~10k IOPS); eMMC 4.5 does 4000 IOPS (250 µs) [R: Li et al. FAST\'14]', range: { lo: 60, hi: 250, source: '[I] UFS 3.1 (~60 us) to eMMC 4.5 (250 us [R: FAST\'14]) 4 KiB QD1 reads' } },
    writeLatencyUs: { value: 70, source: '[I] UFS 4 KiB random write at QD1 (~14k IOPS); eMMC 4.5: 2000 IOPS [R: FAST\'14]', range: { lo: 40, hi: 200, source: '[I] UFS write cache hit (~40 us) to a slow UFS 2.0 part' } },
    readEnergyUJ: { value: 60, source: '[I] device power / IOPS as peers-and-numbers.md §C: ~0.6 W x 100 µs (eMMC: <=62.5 µJ [I])', range: { lo: 20, hi: 150, source: '[I] 0.3-1.0 W device power x 60-150 us; eMMC device-only <= 62.5 uJ [I from R: FAST\'14]' } },
    writeEnergyUJ: { value: 84, source: '[I] ~1.2 W x 70 µs (eMMC: <=125 µJ [I])', range: { lo: 30, hi: 250, source: '[I] 0.6-1.5 W x 40-170 us; eMMC device-only <= 125 uJ [I from R: FAST\'14]' } },
    activePowerW: { value: 0.6, source: '[I] UFS active read power, as readEnergyUJ (~0.6 W; writes ~1.2 W)' },
    idlePowerW: { value: 0.005, source: '[I] UFS device and link in hibern8 between requests: a few mW at most', range: { lo: 0.001, hi: 0.02, source: '[I] UFS hibern8 (~1 mW) to ~20 mW' } },
    powerStates: {
      name: 'UFS auto-hibern8',
      idleTimeoutUs: { value: 10_000, source: 'Linux 6.1 drivers/ufs/host/ufs-mediatek.c sets the auto-hibern8 idle timer (AHIT) to 10 ms [R]; ufshcd_init\'s default is 150 ms [R]', range: { lo: 5_000, hi: 150_000, source: 'a vendor ufs-qcom.c sets 5 ms [R, code search]; 150 ms: ufshcd.c default [R]' } },
      exitLatencyUs: { value: 500, source: '[I] hibern8 exit (M-PHY and UniPro link wake-up) before the first UPIU; no citable per-device figure found', range: { lo: 100, hi: 2000, source: '[I] 0.1-2 ms' } },
      activeIdlePowerW: { value: 0.05, source: '[I] UFS device idle with the link up (HS-Gear burst ended, not in hibern8): tens of mW', range: { lo: 0.02, hi: 0.2, source: '[I] 20-200 mW' } },
    },
    seqReadMBps: { value: 800, source: '[I] UFS 2.1 sequential read (phone reviews and datasheets give 700-900 MB/s; UFS 3.1 ~2000)', range: { lo: 500, hi: 2100, source: '[I] UFS 2.1 to UFS 3.1' } },
    seqWriteMBps: { value: 250, source: '[I] UFS 2.1 sequential write (~200-300 MB/s; UFS 3.1 with WriteBooster ~1200)', range: { lo: 150, hi: 1200, source: '[I] UFS 2.1 to UFS 3.1' } },
  },
  blockIo: {
    submitCycles: blockCycles(5000, '[I] bio, blk-mq and plug on an A72 (~2.5 µs at 2 GHz); no per-stage figure found to cite'),
    driverCycles: blockCycles(6000, '[I] SCSI midlayer and ufshcd: UPIU build, DMA mapping, doorbell'),
    irqCycles: blockCycles(4000, '[I] GIC interrupt entry/exit and the ufshcd handler'),
    completeCycles: blockCycles(5000, '[I] SCSI completion softirq, bio end_io, waking the faulting task', '[I] x0.5-x2; Li et al. (FAST\'14) find the storage software stack costs 5-200x the device\'s own energy on a phone [R], so this term is not negligible'),
  },
  dramEnergyNJPerByte: dramEnergy('DRAMPower LPDDR4-3200 memspec: mean 0.225 µJ per 4 KiB moved [R, peers-and-numbers.md §C]'),
  network: network(2000, '[I] Wi-Fi round trip', 50, '[I] Wi-Fi 5 effective throughput', 100, '[I] Wi-Fi radio energy per byte, order of magnitude'),
};
