/**
 * The progress bar of long runs, on stderr (cli-progress draws it): the
 * pass, a bar and percentage of the trace bytes read over all passes,
 * events/s, and the ETA. Shown when stderr is a terminal, from the first
 * PROGRESS_EVERY (16384) events of a pass on (shorter traces never show it)
 * and cleared at the end; with --progress also when stderr is not a
 * terminal (a line a second). --no-progress or --quiet turn it off. Never
 * written to stdout.
 */

import { statSync } from 'node:fs';
import cliProgress from 'cli-progress';
import type { RunProgress } from '../sim/progress.js';

/** The progress of a run given its flags: undefined when there is to be no bar. */
export function progressFor(flag: boolean | undefined, quiet: boolean | undefined, stream: NodeJS.WriteStream = process.stderr): RunProgress | undefined {
  if (quiet === true || flag === false) return undefined;
  const tty = stream.isTTY === true;
  if (flag !== true && !tty) return undefined;
  return new BarProgress(stream, tty);
}

const num = (x: number): string => Math.round(x).toLocaleString('en-US');

class BarProgress implements RunProgress {
  private bar: cliProgress.SingleBar | null = null;
  private size = 0;
  private passes = 1;
  private passNo = 1;
  private label = '';
  private passT0 = 0;
  private lastRender = 0;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly tty: boolean,
  ) {}

  begin(trace: string, passes: number): void {
    try {
      this.size = statSync(trace).size;
    } catch {
      this.size = 0;
    }
    this.passes = Math.max(1, passes);
  }

  pass(pass: number, label: string): void {
    this.passNo = pass;
    this.label = label;
    this.passT0 = Date.now();
  }

  tick(events: number, bytesRead: number): void {
    const now = Date.now();
    const known = this.size > 0 && bytesRead >= 0;
    if (this.bar === null) {
      this.bar = new cliProgress.SingleBar(
        {
          format: known
            ? 'pass {pass} {label} |{bar}| {percentage}% | {events} events | {rate} events/s | ETA {eta_formatted}'
            : 'pass {pass} {label} | {events} events | {rate} events/s',
          stream: this.stream,
          noTTYOutput: !this.tty,
          notTTYSchedule: 1000,
          clearOnComplete: this.tty,
          hideCursor: false,
          etaBuffer: 64,
        },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(known ? this.size * this.passes : 1, 0, this.payload(events, now));
      this.lastRender = now;
    }
    const value = known ? (this.passNo - 1) * this.size + Math.min(bytesRead, this.size) : 0;
    this.bar.update(value, this.payload(events, now));
    // Not a terminal: cli-progress redraws on a timer, which a synchronous run never lets fire.
    if (!this.tty && now - this.lastRender >= 1000) {
      this.bar.render();
      this.lastRender = now;
    }
  }

  private payload(events: number, now: number): Record<string, string> {
    const s = (now - this.passT0) / 1000;
    return { pass: `${this.passNo}/${this.passes}`, label: this.label, events: num(events), rate: s > 0 ? num(events / s) : '-' };
  }

  end(): void {
    this.bar?.stop();
    this.bar = null;
  }
}
