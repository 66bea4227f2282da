/**
 * The simulator loop: one pass of a trace through a Machine for one profile,
 * with the configured backend or without any (the baseline).
 *
 *   for each event (streamed):
 *     clock = max(clock, event.t)  (config.time 'cpu': clock += event.t - the workload's CPU time so far, if more)
 *     dispatch (HANDLERS, one per op):
 *               control → machine lifecycle / swap / mounts
 *               tmem level → frontswap / cleancache exactly as issued
 *               mm level → the memory model, which decides swap and cache traffic
 *     kswapd balance; clock += modelled work
 */

import { getBackendFactory } from '../backends/registry.js';
import { CachingCompressionService } from '../compressors/cache.js';
import type { CompressionService } from '../compressors/service.js';
import { Corpus } from '../content/corpus.js';
import { ContentSource, type ContentSourceOptions } from '../content/source.js';
import { costModelOf } from '../cost/model.js';
import type { Profile } from '../profiles/profile.js';
import type { DataSpec, EventOf, EventOp, LocatedEvent, NodeDownEvent, NodeUpEvent, TraceEvent, TraceSource } from '../trace/events.js';
import { openTrace, type SyncTraceSource } from '../trace/reader.js';
import type { FormatOptions } from '../trace/formats/import/options.js';
import { runOnWorkers, workerScript } from '../threads.js';
import { resolveConfig, type Injection, type RunConfig, type RunOverrides } from './config.js';
import { UsageError, setNoticeSink, type Where } from '../errors.js';
import { Machine } from './machine.js';
import type { SwapArea } from '../mm/swap.js';
import { snapshotMark } from './marks.js';
import { summarize, type PassSummary } from './summary.js';
import { PROGRESS_EVERY, type RunProgress } from './progress.js';
import { Sampler, type Series } from './sampler.js';
import * as fs from 'node:fs';
import * as path from 'node:path';

interface PassOptions {
  profile: Profile;
  withBackend: boolean;
  /** The rmmod strategy every rmmod uses in this pass (null: the trace's own). */
  variant: string | null;
  /** Events in the trace (for --at N%), or 0 when not needed. */
  total: number;
  /** The trace's corpus, opened once for every pass of a run (default: each pass opens it). */
  corpus?: () => Corpus | null;
  /** Told of the events done every few thousand events (a progress bar). */
  progress?: RunProgress;
  /** Samples the pass over time (plots); see sampler.ts. */
  sampler?: Pick<Sampler, 'tick' | 'finish'>;
  /** What the pass is built from, when the caller replaces the defaults. */
  collaborators?: Collaborators;
}

/**
 * The collaborators a pass's Machine is built from, for a library caller to
 * replace (RunOptions.collaborators): a test double, an instrumented codec
 * service, another content generator. Each is made afresh for every pass; the
 * defaults are what the CLI uses.
 */
export interface Collaborators {
  /** The codec service the backend compresses through (default: a new CachingCompressionService). */
  compression?: () => CompressionService;
  /** The page-content source: every page's bytes from the run seed and its seeded generators (default: new ContentSource(o)). */
  content?: (o: ContentSourceOptions) => ContentSource;
  /**
   * The wall clock in milliseconds (default: performance.now). It only decides
   * when a long replay gives the event loop a turn, never what it computes.
   */
  now?: () => number;
  /**
   * Whether the replay skips the end of an event that would find nothing to do (a plain
   * page-cache hit after a quiet event's end; runPass, quietAt). Default true; false runs every
   * event's end, to check that skipping them changes nothing (it only saves time).
   */
  quietEvents?: boolean;
}

export interface ProfileRun {
  profile: string;
  /** The profile's constants (a built-in or one loaded from a file). */
  profileDef: Profile;
  /** The rmmod strategy this run compares (null: the trace's own). */
  variant: string | null;
  backend: PassSummary;
  baseline: PassSummary | null;
  /** Time series of the passes, when asked for (RunOverrides.series). */
  series?: { backend: Series; baseline: Series | null };
}

export interface RunResult {
  trace: string;
  config: RunConfig;
  runs: ProfileRun[];
}

/** Opens the trace again for each pass (a TraceSource streams once per events() call). */
type SourceOpener = () => TraceSource;

/** One pass of a run: a profile (its index in the config), with the backend or without, and the rmmod variant. */
interface PassPlan {
  profile: number;
  withBackend: boolean;
  variant: string | null;
  /** What the progress display calls it, after the profile's name. */
  what: string;
}

/** The passes of a run, in the order they run in one thread: per profile, the baseline, then each variant. */
function planPasses(cfg: RunConfig): PassPlan[] {
  const plans: PassPlan[] = [];
  cfg.profiles.forEach((_, profile) => {
    if (cfg.noBackend) {
      // --backend none: the one pass is the no-backend pass; there is nothing to compare it with.
      plans.push({ profile, withBackend: false, variant: null, what: 'no backend' });
      return;
    }
    if (cfg.baseline) plans.push({ profile, withBackend: false, variant: null, what: 'baseline' });
    for (const variant of cfg.variants) plans.push({ profile, withBackend: true, variant, what: variant ?? 'backend' });
  });
  return plans;
}

/** Where a worker thread opens the trace again (the path a SourceOpener reads, and how). */
interface TraceLocation {
  path: string;
  inputFormat?: string;
  formatOptions?: FormatOptions;
}

/**
 * Worker threads for a run's passes: each pass reads the trace on its own and builds its own
 * machine, so passes run side by side and the result is the same, pass for pass, as in one
 * thread (structured-cloned summaries). Used only without collaborators (a caller's objects
 * cannot cross threads).
 */
interface PassThreads {
  jobs: number;
  trace: TraceLocation;
  /**
   * Threads only once they pay: the passes run in this thread, the costlier backend passes
   * first, and once one has run AUTO_THREADS_MS of wall time the passes after it start on
   * jobs - 1 worker threads while it goes on here (a worker's start, loading the simulator,
   * costs a few hundred ms: a short run starts none). Without it every pass goes to the
   * threads from the start. Only when the passes run, never what they compute.
   */
  auto: boolean;
  /** 'auto''s wait, ms (default AUTO_THREADS_MS). */
  autoAfterMs?: number;
}

/** See PassThreads.auto: a pass this long makes the rest worth threads. */
const AUTO_THREADS_MS = 500;

/** One pass for a worker thread (src/sim/pass-worker.ts): plain data. */
interface PassTask {
  trace: TraceLocation;
  overrides: RunOverrides;
  /** The pass's index in planPasses' list. */
  pass: number;
  /** Events in the trace (for --at N%), or 0. */
  total: number;
}

interface PassTaskResult {
  summary: PassSummary;
  series: Series | null;
}

/** A worker's progress message: events done in its pass, bytes of the trace read (-1: unknown). */
interface PassTick {
  events: number;
  bytes: number;
}

export async function simulateTrace(open: SourceOpener, overrides: RunOverrides = {}, progress?: RunProgress, collaborators?: Collaborators, threads?: PassThreads): Promise<RunResult> {
  const first = open();
  const cfg = resolveConfig(first.header, first.path, overrides, first.notes);
  const total = cfg.injections.some((i) => i.at.kind === 'percent') ? countEvents(open()) : 0;
  const plans = planPasses(cfg);
  const jobs = threads !== undefined && collaborators === undefined ? threads.jobs : 1;
  const results = new Array<PassTaskResult>(plans.length);
  // With threads to come ('auto'), the costlier backend passes first: the first pass then says
  // best whether the rest are worth threads. The results keep the plans' order.
  const exec = plans.map((_, k) => k);
  if (threads?.auto) exec.sort((a, b) => Number(plans[b]!.withBackend) - Number(plans[a]!.withBackend) || a - b);
  // A notice is given once per thread (errors.ts): with passes on threads, once per run, as
  // in one thread (this thread's and the workers' alike).
  const given = new Set<string>();
  const sink = jobs > 1 ? setNoticeSink((text) => (given.has(text) ? undefined : (given.add(text), sink!(text)))) : null;
  progress?.begin(first.path, plans.length);
  try {
    // The corpus is read once (when the first pass needs it) and shared: its bytes never change.
    let shared: Corpus | null | undefined;
    const corpus = (): Corpus | null => (shared === undefined ? (shared = openCorpus(cfg, first.path)) : shared);
    try {
      if (jobs > 1 && !threads!.auto) {
        // --jobs N: every pass on the threads from the start, this thread one of them.
        const here = (t: PassTask, tick: (data: unknown) => void): Promise<PassTaskResult> => threadedPass(open, cfg, plans[t.pass]!, total, tick, corpus);
        const got = await passesOnThreads(plans, exec, { trace: threads!.trace, overrides, total }, Math.min(jobs, exec.length), progress, () => 0, here);
        exec.forEach((k, j) => (results[k] = got[j]!));
      } else {
        // One pass after another in this thread; with 'auto', once a pass has run its wait the
        // passes after it start on the other threads while it goes on here (its own progress
        // then shows when it ends).
        let done = 0;
        let pool: Promise<void> | null = null;
        for (let i = 0; i < exec.length && pool === null; i++) {
          const p = plans[exec[i]!]!;
          const profile = cfg.profiles[p.profile]!;
          progress?.pass(i + 1, `${profile.name} ${p.what}`);
          const s = cfg.seriesPoints > 0 ? new Sampler(cfg.seriesPoints, true) : undefined;
          const t0 = performance.now();
          const rest = exec.slice(i + 1);
          let passProgress = progress;
          if (jobs > 1 && rest.length > 0) {
            const watch = progress;
            passProgress = {
              begin() {},
              pass() {},
              end() {},
              tick: (events, bytes) => {
                if (pool === null && performance.now() - t0 >= (threads!.autoAfterMs ?? AUTO_THREADS_MS)) {
                  const n = Math.min(jobs - 1, rest.length);
                  pool = passesOnThreads(plans, rest, { trace: threads!.trace, overrides, total }, n, watch, () => done, undefined, n + 1).then((got) => {
                    rest.forEach((k, j) => (results[k] = got[j]!));
                  });
                  // An early failure is the run's: it is awaited below, after this pass.
                  pool.catch(() => undefined);
                }
                if (pool === null) watch?.tick(events, bytes);
              },
            };
          }
          const summary = await runPass(open(), cfg, { profile, withBackend: p.withBackend, variant: p.variant, total, corpus, collaborators, progress: passProgress, sampler: s });
          results[exec[i]!] = { summary, series: s ? s.series : null };
          done++;
          if (pool !== null) await pool;
        }
      }
    } finally {
      shared?.close();
    }
  } finally {
    progress?.end();
    if (sink !== null) setNoticeSink(sink);
  }
  return { trace: first.path, config: cfg, runs: assembleRuns(cfg, plans, results) };
}

/** The passes' results as the run's runs: per profile and variant, with the profile's baseline beside each. */
function assembleRuns(cfg: RunConfig, plans: PassPlan[], results: PassTaskResult[]): ProfileRun[] {
  const runs: ProfileRun[] = [];
  // The baseline has no backend, so every variant of its profile shares it (it comes first).
  const baselines = new Map<number, PassTaskResult>();
  plans.forEach((p, i) => {
    const r = results[i]!;
    const profile = cfg.profiles[p.profile]!;
    const run = (backend: PassTaskResult, base: PassTaskResult | null, variant: string | null): ProfileRun => {
      const x: ProfileRun = { profile: profile.name, profileDef: profile, variant, backend: backend.summary, baseline: base ? base.summary : null };
      if (backend.series) x.series = { backend: backend.series, baseline: base ? base.series : null };
      return x;
    };
    if (cfg.noBackend) runs.push(run(r, null, null));
    else if (!p.withBackend) baselines.set(p.profile, r);
    else runs.push(run(r, baselines.get(p.profile) ?? null, p.variant));
  });
  return runs;
}

/**
 * The passes `passes` (indexes into `plans`, those not run yet) on `jobs` threads (with `local`,
 * this thread one of them), the backend passes (the costlier) handed out first; their results
 * in that order. The progress display is told of the threads (RunProgress.threads) and sees the
 * threaded passes' events and the bytes every pass read summed (`doneElsewhere`: how many of
 * the other passes are done).
 */
async function passesOnThreads(plans: PassPlan[], passes: number[], base: Omit<PassTask, 'pass'>, jobs: number, progress: RunProgress | undefined, doneElsewhere: () => number, local: ((t: PassTask, tick: (data: unknown) => void) => Promise<PassTaskResult>) | undefined, threadsShown = jobs): Promise<PassTaskResult[]> {
  const tasks: PassTask[] = passes.map((pass) => ({ ...base, pass }));
  const order = passes.map((_, i) => i).sort((a, b) => Number(plans[passes[b]!]!.withBackend) - Number(plans[passes[a]!]!.withBackend) || a - b);
  const ticks = passes.map((): PassTick => ({ events: 0, bytes: 0 }));
  const finished = passes.map(() => false);
  // The other passes count as read once they are done (in this thread, before these or beside them).
  const others = plans.length - passes.length;
  let size = -1;
  progress?.threads?.(threadsShown);
  const show = (): void => {
    if (progress === undefined) return;
    if (size < 0) {
      try {
        size = fs.statSync(base.trace.path).size;
      } catch {
        size = 0;
      }
    }
    let events = 0;
    let bytes = Math.min(doneElsewhere(), others) * size;
    let unknown = size === 0;
    for (let i = 0; i < ticks.length; i++) {
      const t = ticks[i]!;
      events += t.events;
      if (finished[i]) bytes += size;
      else if (t.bytes < 0) unknown = true;
      else bytes += Math.min(t.bytes, size);
    }
    progress.tick(events, unknown ? -1 : bytes);
  };
  return runOnWorkers<PassTask, PassTaskResult>(workerScript('pass-worker'), tasks, jobs, {
    order,
    ...(local ? { local } : {}),
    onTick: (id, tick) => {
      const t = tick as PassTick;
      if (t.events < 0) finished[id] = true;
      else ticks[id] = t;
      show();
    },
  });
}

/** A pass's progress as PassTick messages (a threaded pass's). */
function tickProgress(tick: (data: unknown) => void): RunProgress {
  return {
    begin() {},
    pass() {},
    tick: (events, bytes) => tick({ events, bytes } satisfies PassTick),
    end() {},
  };
}

/** A worker thread's pass (PassTask): the trace opened again, the run's config resolved again, one pass. */
export async function runPassTask(t: PassTask, tick: (data: unknown) => void): Promise<PassTaskResult> {
  const open = (): TraceSource => openTrace(t.trace.path, { format: t.trace.inputFormat, formatOptions: t.trace.formatOptions });
  const first = open();
  const cfg = resolveConfig(first.header, first.path, t.overrides, first.notes);
  return threadedPass(open, cfg, planPasses(cfg)[t.pass]!, t.total, tick);
}

/** One pass of a threaded run, on whichever thread: its progress as PassTick messages, and a last one when it is done. */
async function threadedPass(open: SourceOpener, cfg: RunConfig, p: PassPlan, total: number, tick: (data: unknown) => void, corpus?: () => Corpus | null): Promise<PassTaskResult> {
  const sampler = cfg.seriesPoints > 0 ? new Sampler(cfg.seriesPoints, true) : undefined;
  const summary = await runPass(open(), cfg, { profile: cfg.profiles[p.profile]!, withBackend: p.withBackend, variant: p.variant, total, corpus, progress: tickProgress(tick), sampler });
  // The pass is done: its whole trace counts as read (events < 0 marks it).
  tick({ events: -1, bytes: -1 } satisfies PassTick);
  return { summary, series: sampler ? sampler.series : null };
}

function countEvents(src: TraceSource): number {
  let n = 0;
  if (isSync(src)) for (const _ of src.eventsSync()) n++;
  return n;
}

function openCorpus(cfg: RunConfig, tracePath: string): Corpus | null {
  return cfg.content.corpus ? Corpus.open(path.resolve(path.dirname(tracePath), cfg.content.corpus)) : null;
}

/** One pass over the trace. */
export async function runPass(src: TraceSource, cfg: RunConfig, o: PassOptions): Promise<PassSummary> {
  const corpus = o.corpus !== undefined ? o.corpus() : openCorpus(cfg, src.path);
  const c = o.collaborators ?? {};
  const contentOptions: ContentSourceOptions = { seed: cfg.seed, corpus, defaultMix: cfg.content.default };
  const content = c.content ? c.content(contentOptions) : new ContentSource(contentOptions);
  const m = new Machine({
    ramPages: cfg.ramPages,
    kernelPages: cfg.kernelPages,
    swappiness: cfg.swappiness,
    reclaim: cfg.reclaim,
    ...(cfg.zones ? { zones: cfg.zones } : {}),
    verifyBytes: cfg.verifyBytes,
    writethrough: cfg.writethrough || (o.withBackend && o.variant === 'writethrough'),
    swapZeromap: cfg.swapZeromap,
    tickPhaseNs: cfg.tickPhaseNs,
    scheduler: cfg.scheduler,
    content,
    compression: c.compression ? c.compression() : new CachingCompressionService({}),
    costModel: costModelOf(o.profile),
    backendFactory: getBackendFactory,
  });
  const withBackend = o.withBackend;
  // Boot: a built-in backend registers before filesystems are mounted and swap is on.
  if (withBackend && cfg.backend !== null) m.insmod(cfg.backend, cfg.params);
  m.lifecycle.length = 0; // boot-time registration is not a lifecycle event
  for (const s of cfg.swap) m.swapon(s.type, s.slots, s.rotational ?? false);
  for (const f of cfg.mounts) {
    m.mount(f.fs, f.uuid);
    if (f.block_device === true) m.memory.setBlockDevice(f.fs);
  }
  m.memory.setFileReadahead(cfg.readAheadKb, cfg.files);
  let events = 0;
  const sampler = o.sampler;
  const pending = [...cfg.injections].sort((a, b) => dueOrder(a, o.total) - dueOrder(b, o.total));
  const inject = (index: number, final: boolean): void => {
    while (pending.length > 0 && (final || isDue(pending[0]!, index, m.clock, o.total))) {
      const inj = pending.shift()!;
      dispatch(m, { le: { event: inj.event, loc: { file: '--at', line: 0, index } }, file: '--at', o, cfg }, inj.spec);
      m.afterEvent();
      m.advance(0);
      m.audit();
    }
  };
  // One At for the pass; step() points it at each event before dispatching.
  const at: At = { le: { event: { op: 'umount', fs: 0 }, loc: { file: src.path, line: 0, index: 0 } }, file: src.path, o, cfg };
  /**
   * The clock at which the last event's end found nothing to do and changed nothing, or -1.
   * A plain page-cache hit after it, at the same clock with nothing charged, leaves every input
   * of an event's end as it was (the free pages, the watermarks, kswapd's and the scheduler's
   * state, the work queue, the clock), so that end would find nothing again: it is skipped
   * (the quiet events of the fast path below; the same report, test/unit/sim/quiet-events.test.ts).
   */
  let quietAt = -1;
  const skipQuiet = c.quietEvents !== false;
  /** What every event ends with: kswapd, the clock, the completeness check. */
  const settle = (): void => {
    const quiet = m.afterEvent() && m.settled(m.clock);
    m.advance(0);
    m.audit();
    quietAt = quiet ? m.clock : -1;
    events++;
    if (sampler) sampler.tick(m, events);
  };
  // An event with a time happens at that time (or once the workload has had that much CPU time:
  // config.time 'cpu'): the clock (and periodic workers) move there first.
  const toEventTime = cfg.time === 'cpu' ? m.advanceCpu.bind(m) : m.advance.bind(m);
  const step = (le: LocatedEvent): void => {
    if (le.event.t !== undefined) toEventTime(le.event.t * 1000);
    if (pending.length > 0) inject(le.loc.index, false);
    at.le = le;
    dispatch(m, at);
    settle();
  };
  // A synchronous source spares a promise per event.
  const prog = o.progress;
  if (isSync(src)) {
    // A trace of page-cache accesses only (an imported one) spares the event object too: the same
    // steps as step() and HANDLERS.file, from the cursor's fields.
    const fc = src.fileAccesses?.();
    const it: (IterableIterator<LocatedEvent> & { bytesRead?: number }) | undefined = fc === undefined ? src.eventsSync() : undefined;
    const le: LocatedEvent | undefined = fc === undefined ? undefined : { event: { op: 'umount', fs: 0 }, loc: fc.loc };
    const one = fc !== undefined && le !== undefined
      ? (): boolean => {
        if (!fc.next()) return false;
        if (fc.refilled === true) m.memory.warmFiles(fc.fs, fc.aheadInodes!, fc.aheadIndexes!, fc.aheadCount!);
        if (fc.t >= 0) toEventTime(fc.t * 1000);
        if (pending.length > 0) {
          quietAt = -1;
          inject(fc.loc.index, false);
        }
        m.eventIndex = fc.loc.index;
        let plain = false;
        try {
          plain = fileAccess(m, fc.fs, fc.inode, fc.index, fc.write, undefined, le, src.path);
        } catch (e) {
          relocated(e, le, src.path);
        }
        if (plain && skipQuiet && quietAt >= 0 && m.settled(quietAt)) {
          events++;
          if (sampler) sampler.tick(m, events);
        } else settle();
        return true;
      }
      : (): boolean => {
        const r = it!.next();
        if (r.done === true) return false;
        step(r.value);
        return true;
      };
    const now = c.now ?? ((): number => performance.now());
    let lastYield = now();
    try {
      while (one()) {
        if (prog !== undefined && events % PROGRESS_EVERY === 0) prog.tick(events, it?.bytesRead ?? -1);
        // Give the event loop a turn every YIELD_MS of wall time: signal handlers (the output
        // file's temp clean-up), a host's timers and messages (a test runner's) run during a long
        // replay. Only when the loop runs changes, never what the replay computes.
        if ((events & (YIELD_CHECK_EVERY - 1)) === 0 && now() - lastYield > YIELD_MS) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          lastYield = now();
        }
      }
    } catch (e) {
      // As a for-of loop leaves its iterator: the file is closed.
      fc?.close();
      it?.return?.();
      throw e;
    }
  } else {
    for await (const le of src.events()) {
      step(le);
      if (prog !== undefined && events % PROGRESS_EVERY === 0) prog.tick(events, -1);
    }
  }
  inject(events, true);
  m.endRun();
  sampler?.finish(m, events);
  return summarize(m, { events, profile: o.profile, withBackend });
}

/** Events between two looks at the clock, a power of two. */
const YIELD_CHECK_EVERY = 4096;
const YIELD_MS = 100;

function dueOrder(i: Injection, total: number): number {
  return i.at.kind === 'index' ? i.at.value : i.at.kind === 'percent' ? Math.floor((i.at.value / 100) * total) : Number.MAX_SAFE_INTEGER;
}

function isDue(i: Injection, index: number, clock: number, total: number): boolean {
  if (i.at.kind === 'time') return clock >= i.at.value;
  return index >= dueOrder(i, total);
}

function isSync(s: TraceSource): s is SyncTraceSource {
  return typeof (s as Partial<SyncTraceSource>).eventsSync === 'function';
}

function fail(what: string, le: LocatedEvent, file: string, field?: string, accepted?: string): never {
  const where: Where = { file, line: le.loc.line, event: le.loc.index };
  if (field) where.field = field;
  throw new UsageError(what, where, accepted);
}

/** The swap area of `type`, or one line naming the areas that are on. */
function swapArea(m: Machine, le: LocatedEvent, file: string, type: number): SwapArea {
  const a = m.swap.get(type);
  if (!a) fail(`swap type ${type} is not switched on`, le, file, 'type', `${m.swap.types().join(', ') || 'none (add a swapon event or config.swap)'}`);
  return a;
}

/** The swap area of a tmem-level slot event, once its offset is in range and no anon page owns the slot. */
function checkSlot(m: Machine, le: LocatedEvent, file: string, type: number, offset: number): SwapArea {
  const a = swapArea(m, le, file, type);
  if (offset >= a.slots) fail(`offset ${offset} is beyond swap area ${type}`, le, file, 'offset', `0..${a.slots - 1}`);
  if (m.memory.hasSlotOwner(type, offset)) {
    fail(`slot ${offset} of swap area ${type} holds a page the memory model swapped out`, le, file, 'offset',
      'a slot no anon page owns: give tmem-level frontswap events their own swap area (swapped on after the one anon pages use)');
  }
  return a;
}

function checkFs(m: Machine, le: LocatedEvent, file: string, fs: number): void {
  if (!m.cleancache.isMounted(fs)) fail(`filesystem ${fs} is not mounted`, le, file, 'fs', `${m.cleancache.mountedFs().join(', ') || 'none (add a mount event or config.mounts)'}`);
}

/** What a handler sees besides the machine and its event: where the event is, and the pass it runs in. */
interface At {
  le: LocatedEvent;
  file: string;
  o: PassOptions;
  cfg: RunConfig;
}

type Handler<K extends EventOp> = (m: Machine, ev: EventOf<K>, at: At) => void;

/**
 * The trace dispatch: one handler per op of the op table (trace/events.ts
 * OP_TABLE; an op without a handler here is a type error). mm-level touches
 * go to the memory model, tmem-level ops to the frontends exactly as issued,
 * control ops to the machine.
 */
export const HANDLERS: { readonly [K in EventOp]: Handler<K> } = {
  anon(m, ev, { le }) {
    const desc = ev.write ? m.content.resolve(ev.data, le.loc.index) : 0;
    m.memory.anonAccess(ev.pid ?? 0, ev.page, ev.write ?? false, desc);
  },
  file(m, ev, { le, file }) {
    fileAccess(m, ev.fs, ev.inode, ev.index, ev.write ?? false, ev.data, le, file);
  },
  frontswap_store(m, ev, { le, file }) {
    checkSlot(m, le, file, ev.type, ev.offset).claim(ev.offset);
    m.swapWrite(ev.type, ev.offset, m.content.resolve(ev.data, le.loc.index));
  },
  frontswap_load(m, ev, { le, file }) {
    checkSlot(m, le, file, ev.type, ev.offset);
    m.swapRead(ev.type, ev.offset);
  },
  frontswap_invalidate_page(m, ev, { le, file }) {
    checkSlot(m, le, file, ev.type, ev.offset);
    m.swapFree(ev.type, ev.offset);
  },
  frontswap_invalidate_area(m, ev, { le, file }) {
    // Accepted while the memory model's pages own slots in the area (the kernel issues it only
    // after swapoff brought them back): what a trace's earlier invalidate loses, the audit counts.
    swapArea(m, le, file, ev.type);
    m.invalidateArea(ev.type);
  },
  cleancache_put(m, ev, { le, file }) {
    checkFs(m, le, file, ev.fs);
    m.filePut(ev.fs, ev.inode, ev.index, m.content.resolve(ev.data, le.loc.index));
  },
  cleancache_get(m, ev, { le, file }) {
    checkFs(m, le, file, ev.fs);
    m.fileRead(ev.fs, ev.inode, ev.index);
  },
  cleancache_invalidate_page(m, ev, { le, file }) {
    checkFs(m, le, file, ev.fs);
    m.fileInvalidatePage(ev.fs, ev.inode, ev.index);
  },
  cleancache_invalidate_inode(m, ev, { le, file }) {
    checkFs(m, le, file, ev.fs);
    m.fileInvalidateInode(ev.fs, ev.inode);
  },
  cleancache_invalidate_fs(m, ev, { le, file }) {
    checkFs(m, le, file, ev.fs);
    m.invalidateFs(ev.fs);
  },
  swapon(m, ev, { le, file }) {
    if (m.swap.get(ev.type)) fail(`swap type ${ev.type} is already on`, le, file, 'type');
    m.swapon(ev.type, ev.slots);
  },
  swapoff(m, ev, { le, file }) {
    swapArea(m, le, file, ev.type);
    m.swapoff(ev.type);
  },
  mount(m, ev, { le, file }) {
    if (m.cleancache.isMounted(ev.fs)) fail(`filesystem ${ev.fs} is already mounted`, le, file, 'fs');
    m.mount(ev.fs, ev.uuid);
  },
  umount(m, ev, { le, file }) {
    checkFs(m, le, file, ev.fs);
    m.umount(ev.fs);
  },
  insmod(m, ev, { o, cfg }) {
    if (!o.withBackend) return;
    // insmod while a backend is loaded fails with EEXIST/EBUSY, as in the kernel; the run goes on.
    // a backend that does not exist is bad input whether or not another is loaded
    getBackendFactory(cfg.backendOverride ?? ev.backend);
    if (m.backend) m.lifecycleError('insmod', cfg.backendOverride ?? ev.backend, 'EEXIST');
    else m.insmod(cfg.backendOverride ?? ev.backend, { ...(ev.params ?? {}), ...cfg.paramOverrides });
  },
  rmmod(m, ev, { o, cfg }) {
    if (!o.withBackend) return;
    if (!m.backend) m.lifecycleError('rmmod', '-', 'ENOENT');
    else m.rmmod(o.variant ?? ev.strategy ?? 'flush', ev.rate ?? cfg.zombieRate);
  },
  node_down: nodeEvent,
  node_up: nodeEvent,
  param(m, ev, { le, file, o }) {
    if (!o.withBackend) return;
    if (!m.backend) fail(`no backend is loaded to take parameter '${ev.name}'`, le, file, 'name');
    m.backend.setParam(ev.name, ev.value);
    m.touchAll(); // a parameter may flush or write back pages: the completeness check walks every area
  },
  mark(m, ev) {
    m.marks.push(snapshotMark(m, ev.name));
  },
};

/** A `file` event: a read or write of a page-cache page; true for a plain hit (Memory.fileAccess). */
function fileAccess(m: Machine, fs: number, inode: number, index: number, write: boolean, data: DataSpec | undefined, le: LocatedEvent, file: string): boolean {
  checkFs(m, le, file, fs);
  const desc = write ? m.content.resolve(data, le.loc.index) : 0;
  return m.memory.fileAccess(fs, inode, index, write, desc);
}

function nodeEvent(m: Machine, ev: NodeDownEvent | NodeUpEvent, { le, file, o }: At): void {
  if (!o.withBackend || !m.backend) return;
  const b = m.backend;
  const f = ev.op === 'node_down' ? b.nodeDown : b.nodeUp;
  if (!f) fail(`backend ${b.name} has no remote nodes`, le, file, 'op', 'node_down and node_up need a backend with remote memory (ramster)');
  f.call(b, ev.node, m.clock);
  m.touchAll();
}

function dispatch(m: Machine, at: At, injected?: string): void {
  const le = at.le;
  const ev: TraceEvent = le.event;
  m.eventIndex = le.loc.index;
  try {
    (HANDLERS[ev.op] as Handler<EventOp>)(m, ev as never, at);
  } catch (e) {
    relocated(e, le, at.file, injected);
  }
}

/** Rethrows what an event's handler threw: a UsageError with no place of its own is placed at the event (or at --at). */
function relocated(e: unknown, le: LocatedEvent, file: string, injected?: string): never {
  if (e instanceof UsageError && injected !== undefined) {
    throw new UsageError(`${e.what} (injected by --at ${injected})`, { field: '--at' }, e.accepted);
  }
  if (e instanceof UsageError && e.where.file === undefined && e.where.event === undefined) {
    fail(e.what, le, file, e.where.field, e.accepted);
  }
  throw e;
}

export type { PassSummary };
