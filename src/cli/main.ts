/**
 * The tmemsim command line. It parses, calls the library, prints, and sets
 * the exit code: 0 ok, 1 an invariant failed (stale or lost pages) or an
 * internal error, 2 bad input (one line on stderr, no stack trace).
 */

import { Command, CommanderError } from 'commander';
import { InvariantError, UsageError } from '../sim/errors.js';
import { registerRun } from './run.js';
import { registerLists } from './lists.js';
import { registerTrace } from './trace.js';
import { registerCorpus } from './corpus.js';
import { registerSweep } from './sweep.js';
import { registerCompare } from './compare.js';
import { registerCalibrate } from './calibrate.js';
import { registerValidate } from './validate.js';
import { VERSION } from '../version.js';

export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const setExit = (c: number): void => {
    exitCode = Math.max(exitCode, c);
  };
  const program = new Command();
  program
    .name('tmemsim')
    .description('Workload simulator and power/CPU trade-off analyzer for Linux transcendent memory')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeErr: () => undefined })
    .showHelpAfterError(false);
  registerRun(program, setExit);
  registerLists(program);
  registerTrace(program);
  registerCorpus(program);
  registerSweep(program, setExit);
  registerCompare(program, setExit);
  registerCalibrate(program);
  registerValidate(program, setExit);
  // Every command, nested ones too (trace convert, corpus stats): errors reach the catch below.
  const quiet = (cmd: Command): void => {
    for (const c of cmd.commands) {
      c.exitOverride().configureOutput({ writeErr: () => undefined });
      quiet(c);
    }
  };
  quiet(program);
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      const msg = e.message.replace(/^error: /, '');
      process.stderr.write(`tmemsim: ${msg} (see tmemsim --help)\n`);
      return 2;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`tmemsim: ${e.message}\n`);
      return 2;
    }
    if (e instanceof InvariantError) {
      process.stderr.write(`tmemsim: invariant failed: ${e.message}\n`);
      return 1;
    }
    process.stderr.write(`tmemsim: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}
