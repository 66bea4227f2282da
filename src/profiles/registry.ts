/**
 * Profiles by name and alias. The built-ins are data, profiles/builtin/NAME.json
 * (builtin.ts reads them on first use; npm test checks each against the schema), listed here in the order
 * `tmemsim profiles` shows them.
 */

import { UsageError } from '../errors.js';
import { loadBuiltinProfiles } from './builtin.js';
import { onCluster, type Profile } from './profile.js';

const BUILTIN = ['ssd', 'mobile', 'ssd-server', 'hdd-desktop', 'mobile-emmc'] as const;

let byName: Map<string, Profile> | undefined;
let byAlias: Map<string, Profile> | undefined;

function loaded(): Map<string, Profile> {
  if (!byName) {
    byName = new Map(loadBuiltinProfiles(BUILTIN, undefined, false).map((p) => [p.name, p]));
    byAlias = new Map();
    for (const p of byName.values()) {
      byAlias.set(p.name, p);
      for (const a of p.aliases) byAlias.set(a, p);
    }
  }
  return byName;
}

function aliases(): Map<string, Profile> {
  loaded();
  return byAlias!;
}

/** The built-in profiles by name, read on first use. */
export const PROFILES: ReadonlyMap<string, Profile> = new Proxy(new Map<string, Profile>(), {
  get(_target, key) {
    const m = loaded();
    const v = Reflect.get(m, key, m) as unknown;
    return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(m) : v;
  },
});

export function profileNames(): string[] {
  return [...aliases().keys()];
}

/**
 * A profile by name or alias; `NAME:CLUSTER` runs tmem work on another cluster of
 * the same device (e.g. mobile-ufs:LITTLE): the cluster's clock, power, codec and
 * copy cycles, the device's storage, block path, DRAM and network.
 */
export function getProfile(name: string, field = 'profile'): Profile {
  const colon = name.indexOf(':');
  const base = colon < 0 ? name : name.slice(0, colon);
  const p = aliases().get(base);
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
