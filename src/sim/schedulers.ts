/**
 * The fair schedulers that share the one CPU between the workload, kswapd and the kworker, by
 * the kernel whose kernel/sched/fair.c each models (RunOverrides.scheduler, `--sched`). They
 * schedule kswapd as a task, so they need a reclaim model that runs it as one (ReclaimFactory.kswapdTask).
 */

import { UsageError } from '../errors.js';
import { Eevdf } from './eevdf.js';
import { Cfs, type FairSched } from './sched.js';

export interface SchedulerFactory {
  readonly name: string;
  create(tickPhaseNs: number): FairSched;
}

export const CFS_61: SchedulerFactory = { name: 'cfs-6.1', create: (phase) => new Cfs(phase) };
const EEVDF_612: SchedulerFactory = { name: 'eevdf-6.12', create: (phase) => new Eevdf(phase) };

const SCHEDULERS: readonly SchedulerFactory[] = [CFS_61, EEVDF_612];

export function schedulerNames(): string[] {
  return SCHEDULERS.map((s) => s.name);
}

export function getScheduler(name: string, field = '--sched'): SchedulerFactory {
  const s = SCHEDULERS.find((x) => x.name === name);
  if (s === undefined) throw new UsageError(`unknown scheduler ${JSON.stringify(name)}`, { field }, schedulerNames().join(', '));
  return s;
}
