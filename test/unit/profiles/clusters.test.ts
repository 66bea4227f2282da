/** The cluster that runs tmem work is a parameter of a big.LITTLE profile: NAME:CLUSTER. */

import { describe, expect, it } from 'vitest';
import { PROFILES, getProfile } from '../../../src/profiles/registry.js';
import { clusterOf, onCluster } from '../../../src/profiles/profile.js';
import { UsageError } from '../../../src/errors.js';
import { tmemsim } from '../../helpers/cli.js';

describe('NAME:CLUSTER', () => {
  it('mobile-ufs:LITTLE has the LITTLE cluster\'s clock, power and codec cycles and the device\'s storage, block path and DRAM', () => {
    const big = getProfile('mobile-ufs');
    const little = getProfile('mobile-ufs:LITTLE');
    const emmc = getProfile('mobile-emmc');
    expect(little.name).toBe('mobile:LITTLE');
    expect(little.cpu).toEqual(emmc.cpu);
    expect(little.codecs).toEqual(emmc.codecs);
    expect(little.copy).toEqual(emmc.copy);
    expect(little.storage).toBe(big.storage);
    expect(little.blockIo).toBe(big.blockIo);
    expect(little.dramEnergyNJPerByte).toBe(big.dramEnergyNJPerByte);
    // The default cluster is the profile itself.
    expect(getProfile('mobile-ufs:big')).toBe(big);
    expect(big.cpu.cluster).toBe(big.clusters!['big']!.cluster);
  });

  it('an unknown cluster, or a cluster of a one-cluster profile, is a usage error naming what is accepted', () => {
    expect(() => getProfile('mobile-ufs:medium')).toThrow(UsageError);
    expect(() => getProfile('mobile-ufs:medium')).toThrow(/no cluster 'medium'/);
    expect(() => getProfile('ssd:LITTLE')).toThrow(/no cluster 'LITTLE'/);
  });

  it('the CLI takes it in --profile and refuses a bad one in one line, exit 2', async () => {
    const bad = await tmemsim('run', 'workloads/xen-selfshrink.json', '--profile', 'mobile-ufs:medium', '-q');
    expect(bad.code).toBe(2);
    expect(bad.err.trim().split('\n')).toHaveLength(1);
    expect(bad.err).toContain('accepted: big, LITTLE');
    const ok = await tmemsim('run', 'workloads/xen-selfshrink.json', '--profile', 'mobile-ufs:LITTLE', '--fast', '--format', 'json', '-q');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out).runs[0].model.cpu_cluster).toBe('LITTLE (Cortex-A53)');
  });
});

describe('clusterOf and onCluster', () => {
  it('move the same five figures between a profile and a cluster, both ways, for every built-in and every cluster', () => {
    for (const p of PROFILES.values()) {
      const c = clusterOf(p);
      // Field by field, as the ClusterProfile doc names them.
      expect(c).toStrictEqual({ cluster: p.cpu.cluster, hz: p.cpu.hz, activePowerW: p.cpu.activePowerW, codecs: p.codecs, copy: p.copy });
      expect(onCluster(c)).toStrictEqual({ cpu: p.cpu, codecs: p.codecs, copy: p.copy });
      for (const [name, k] of Object.entries(p.clusters ?? {})) {
        const on = onCluster(k);
        expect(Object.keys(on)).toEqual(['cpu', 'codecs', 'copy']);
        expect(on.cpu).toStrictEqual({ cluster: k.cluster, hz: k.hz, activePowerW: k.activePowerW });
        expect(clusterOf({ ...p, ...on })).toStrictEqual(k);
        // The profile's own figures are those of its tmem cluster.
        if (name === p.tmemCluster) expect(on).toStrictEqual({ cpu: p.cpu, codecs: p.codecs, copy: p.copy });
      }
    }
  });
});
