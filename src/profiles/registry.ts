/** Profiles by name and alias. */

import { UsageError } from '../sim/errors.js';
import { hddDesktop } from './hdd-desktop.js';
import { mobile } from './mobile.js';
import { mobileEmmc } from './mobile-emmc.js';
import type { Profile } from './profile.js';
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

export function getProfile(name: string, field = 'profile'): Profile {
  const p = ALIASES.get(name);
  if (!p) throw new UsageError(`unknown profile '${name}'`, { field }, profileNames().join(', '));
  return p;
}
