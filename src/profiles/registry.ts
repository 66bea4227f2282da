/** Profiles by name and alias. */

import { UsageError } from '../errors.js';
import { hddDesktop } from './hdd-desktop.js';
import { mobile } from './mobile.js';
import { mobileEmmc } from './mobile-emmc.js';
import { onCluster, type Profile } from './profile.js';
import { ssd } from './ssd.js';
import { ssdServer } from './ssd-server.js';

export const PROFILES: ReadonlyMap<string, Profile> = new Map([ssd, mobile, ssdServer, hddDesktop, mobileEmmc].map((p) => [p.name, p]));

const ALIASES = new Map<string, Profile>();
for (const p of PROFILES.values()) {
  ALIASES.set(p.name, p);
  for (const a of p.aliases) ALIASES.set(a, p);
}

export function profileNames(): string[] {
  return [...ALIASES.keys()];
}

/**
 * A profile by name or alias; `NAME:CLUSTER` runs tmem work on another cluster of
 * the same device (e.g. mobile-ufs:LITTLE): the cluster's clock, power, codec and
 * copy cycles, the device's storage, block path, DRAM and network.
 */
export function getProfile(name: string, field = 'profile'): Profile {
  const colon = name.indexOf(':');
  const base = colon < 0 ? name : name.slice(0, colon);
  const p = ALIASES.get(base);
  if (!p) throw new UsageError(`unknown profile '${base}'`, { field }, profileNames().join(', '));
  return colon < 0 ? p : withCluster(p, name.slice(colon + 1), field);
}

/** `p` with tmem work on its cluster `cluster`. */
function withCluster(p: Profile, cluster: string, field = 'profile'): Profile {
  const c = p.clusters?.[cluster];
  if (!c) {
    const have = Object.keys(p.clusters ?? {});
    throw new UsageError(`profile '${p.name}' has no cluster '${cluster}'`, { field }, have.length > 0 ? have.join(', ') : `none: '${p.name}' has one CPU cluster`);
  }
  if (cluster === p.tmemCluster) return p;
  return { ...p, name: `${p.name}:${cluster}`, aliases: [], description: `${p.description}; tmem work on the ${cluster} cluster`, ...onCluster(c), tmemCluster: cluster };
}
