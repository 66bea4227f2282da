/**
 * The progress line of long runs, on stderr: the pass, a bar and percentage
 * of the trace bytes read over all passes, events, events/s and the ETA.
 * Shown when stderr is a terminal, from the first PROGRESS_EVERY (16384)
 * events of a pass on (shorter traces never show it), redrawn in place at
 * most 10 times a second and cleared at the end; with --progress also when
 * stderr is not a terminal (a line a second). --no-progress or --quiet turn
 * it off. Never written to stdout.
 *
 * The line fits the terminal's width (100 columns when it has none): the
 * bar takes what the text leaves. The ETA divides the bytes left by a
 * smoothed rate: an exponentially weighted moving average of the rate over
 * each interval between redraws, with a time constant of RATE_TAU_MS, so one
 * slow interval does not swing it and a steady run's ETA only falls.
 */

import { statSync } from 'node:fs';
import type { RunProgress } from '../sim/progress.js';
import { outputWidth } from '../report/layout.js';
import { cut } from '../errors.js';
import { grouped } from '../report/numbers.js';

/** The progress of a run given its flags: undefined when there is to be no line. */
export function progressFor(flag: boolean | undefined, quiet: boolean | undefined, stream: NodeJS.WriteStream = process.stderr): RunProgress | undefined {
  if (quiet === true || flag === false) return undefined;
  const tty = stream.isTTY === true;
  if (flag !== true && !tty) return undefined;
  return new LineProgress(stream, { tty, width: outputWidth(stream) });
}

const num = (x: number): string => grouped(Math.round(x), 0);

/** Seconds as m:ss or h:mm:ss. */
export function formatEta(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '-';
  const t = Math.round(s);
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const sec = String(t % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** Time constant of the smoothed rate, ms. */
const RATE_TAU_MS = 5000;

/**
 * A smoothed rate: each sample is the rate over the interval since the last
 * one, weighted 1 − e^(−dt/τ), so the weight follows elapsed time however
 * often it is sampled.
 */
export class SmoothedRate {
  private rate: number | null = null;
  private lastT = 0;
  private lastV = 0;

  constructor(private readonly tauMs = RATE_TAU_MS) {}

  /** Starts (or restarts) at value v, time t (ms). */
  reset(t: number, v: number): void {
    this.lastT = t;
    this.lastV = v;
  }

  /** The value is v at time t (ms); returns the smoothed rate per second (null before the first interval). */
  sample(t: number, v: number): number | null {
    const dt = t - this.lastT;
    if (dt <= 0) return this.rate;
    const inst = ((v - this.lastV) * 1000) / dt;
    const w = 1 - Math.exp(-dt / this.tauMs);
    this.rate = this.rate === null ? inst : this.rate + w * (inst - this.rate);
    this.lastT = t;
    this.lastV = v;
    return this.rate;
  }

  get value(): number | null {
    return this.rate;
  }
}

interface LineOptions {
  tty: boolean;
  width: number;
  /** Clock, ms (tests give their own). */
  now?: () => number;
  /** Trace size in bytes (default: read from the file at begin). */
  size?: number;
}

/** The progress line, drawn in place on a terminal or a line at a time on a pipe. */
export class LineProgress implements RunProgress {
  private size = 0;
  private passes = 1;
  private passNo = 1;
  private label = '';
  private passT0 = 0;
  /** Worker threads running the passes side by side (0: one pass after another). */
  private jobs = 0;
  private lastDraw = -Infinity;
  private drawn = false;
  private readonly rate = new SmoothedRate();
  private readonly now: () => number;

  constructor(
    private readonly stream: { write(s: string): unknown },
    private readonly o: LineOptions,
  ) {
    this.now = o.now ?? Date.now;
  }

  begin(trace: string, passes: number): void {
    if (this.o.size !== undefined) this.size = this.o.size;
    else {
      try {
        this.size = statSync(trace).size;
      } catch {
        this.size = 0;
      }
    }
    this.passes = Math.max(1, passes);
    this.rate.reset(this.now(), 0);
  }

  pass(pass: number, label: string): void {
    this.passNo = pass;
    this.label = label;
    this.passT0 = this.now();
    // The first tick of each pass draws, so every pass is seen however fast it runs.
    this.lastDraw = -Infinity;
  }

  threads(jobs: number): void {
    this.jobs = jobs;
    this.passT0 = this.now();
    this.lastDraw = -Infinity;
  }

  tick(events: number, bytesRead: number): void {
    const now = this.now();
    const known = this.size > 0 && bytesRead >= 0;
    const done = !known ? 0 : this.jobs > 0 ? Math.min(bytesRead, this.size * this.passes) : (this.passNo - 1) * this.size + Math.min(bytesRead, this.size);
    if (now - this.lastDraw < (this.o.tty ? 100 : 1000)) return;
    const rate = known ? this.rate.sample(now, done) : null;
    this.lastDraw = now;
    const s = (now - this.passT0) / 1000;
    const line = this.format({
      events,
      eventRate: s > 0 ? events / s : null,
      fraction: known ? done / (this.size * this.passes) : null,
      etaS: known && rate !== null && rate > 0 ? (this.size * this.passes - done) / rate : null,
    });
    this.stream.write(this.o.tty ? `\r${line}\x1b[K` : `${line}\n`);
    this.drawn = true;
  }

  /** The line for these figures, within the width: the bar takes what the text leaves. */
  format(f: { events: number; eventRate: number | null; fraction: number | null; etaS: number | null }): string {
    const width = Math.max(40, this.o.width) - 1; // the cursor's column
    const head = this.jobs > 0 ? `${this.passes} passes on ${this.jobs} threads` : `pass ${this.passNo}/${this.passes} ${this.label}`;
    const rate = f.eventRate === null ? '-' : num(f.eventRate);
    if (f.fraction === null) return cut(`${head} | ${num(f.events)} events | ${rate} events/s`, width);
    const pct = `${Math.floor(100 * Math.min(1, f.fraction))}%`;
    const tail = ` ${pct} | ${num(f.events)} events | ${rate} events/s | ETA ${f.etaS === null ? '-' : formatEta(f.etaS)}`;
    const barWidth = Math.min(30, width - head.length - tail.length - 3);
    if (barWidth < 5) return cut(`${head}${tail}`, width);
    const full = Math.round(barWidth * Math.min(1, f.fraction));
    return `${head} |${'█'.repeat(full)}${'░'.repeat(barWidth - full)}|${tail}`;
  }

  end(): void {
    if (this.drawn && this.o.tty) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }
}
