/**
 * The tmemsim command line. It parses, calls the library, prints, and sets
 * the exit code: 0 ok, 1 an invariant failed (stale or lost pages) or an
 * internal error, 2 bad input. Every error is one line on stderr; an
 * internal error's stack trace only with TMEMSIM_DEBUG=1.
 */

import { Command, CommanderError } from 'commander';
import { InvariantError, UsageError, oneLine, setNoticeSink } from '../errors.js';
import { registerRun } from './run.js';
import { registerLists } from './lists.js';
import { registerTrace } from './trace.js';
import { registerCorpus } from './corpus.js';
import { registerSweep } from './sweep.js';
import { registerCompare } from './compare.js';
import { registerCalibrate } from './calibrate.js';
import { registerValidate } from './validate.js';
import { VERSION } from '../version.js';
import { addHelpTexts } from './help.js';
import { aliasOption } from './options.js';

/** Other spellings each command accepts (`run --profiles` as `--profile`, `sweep --profile` as `--profiles`, ...). */
const ALIASES: [string, string, string][] = [
  ['run', '--profiles', '--profile'],
  ['run', '--backends', '--backend'],
  ['run', '--compressors', '--compressor'],
  ['sweep', '--profile', '--profiles'],
  ['sweep', '--backend', '--backends'],
  ['sweep', '--compressor', '--compressors'],
  ['sweep', '--zpool', '--zpools'],
  ['calibrate', '--compressor', '--compressors'],
  ['corpus stats', '--compressors', '--compressor'],
];

function commandAt(program: Command, path: string): Command | undefined {
  let c: Command | undefined = program;
  for (const name of path.split(' ')) c = c?.commands.find((x) => x.name() === name);
  return c;
}

/**
 * Help goes to stdout (commander writes the help of a bare `tmemsim`,
 * `tmemsim trace` or `tmemsim corpus` with writeErr); errors are not written
 * by commander but by the catch below, as one line.
 */
const OUTPUT = {
  writeOut: (s: string): void => void process.stdout.write(s),
  writeErr: (s: string): void => void process.stdout.write(s),
  outputError: (): void => undefined,
};

/** A commander message as one line: "(Did you mean run?)" joins the line it was under. */
function commanderLine(msg: string): string {
  return msg
    .replace(/^error: /, '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .join(' ')
    .replace(/\(Did you mean/g, '(did you mean');
}

export async function main(argv: string[]): Promise<number> {
  // The library's notices (a deprecated parameter value) are one line on stderr.
  setNoticeSink((m) => process.stderr.write(`tmemsim: ${m}\n`));
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
    .configureOutput(OUTPUT)
    .showHelpAfterError(false);
  registerRun(program, setExit);
  registerLists(program);
  registerTrace(program);
  registerCorpus(program);
  registerSweep(program, setExit);
  registerCompare(program, setExit);
  registerCalibrate(program, setExit);
  registerValidate(program, setExit);
  // Every command, nested ones too (trace convert, corpus stats): errors reach the catch below.
  const quiet = (cmd: Command): void => {
    for (const c of cmd.commands) {
      c.exitOverride().configureOutput(OUTPUT);
      quiet(c);
    }
  };
  quiet(program);
  for (const [path, alias, canonical] of ALIASES) {
    const c = commandAt(program, path);
    if (c) aliasOption(c, alias, canonical);
  }
  addHelpTexts(program);
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      process.stderr.write(`tmemsim: ${oneLine(commanderLine(e.message))} (see tmemsim --help)\n`);
      return 2;
    }
    if (e instanceof UsageError) {
      // Its message is one line already (the UsageError constructor escaped it).
      process.stderr.write(`tmemsim: ${e.message}\n`);
      return 2;
    }
    if (e instanceof InvariantError) {
      process.stderr.write(`tmemsim: invariant failed: ${oneLine(e.message)}\n`);
      return 1;
    }
    // One line; the stack trace only when asked for.
    const debug = process.env['TMEMSIM_DEBUG'] !== undefined && process.env['TMEMSIM_DEBUG'] !== '' && process.env['TMEMSIM_DEBUG'] !== '0';
    const text = debug ? ((e as Error).stack ?? String(e)) : `${oneLine(e instanceof Error ? e.message : String(e))} (TMEMSIM_DEBUG=1 shows the stack trace)`;
    process.stderr.write(`tmemsim: internal error: ${text}\n`);
    return 1;
  }
}
