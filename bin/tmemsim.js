#!/usr/bin/env node
// Thin shim: run the built CLI (npm install builds dist/ through the prepare script).
//
// `tmemsim sweep` fills every core with worker threads, and V8's helper threads
// for parallel and concurrent garbage collection then only contend with them:
// with --single-threaded-gc each worker collects its own garbage on its own
// thread (measured on 2 cores: a 20-configuration sweep 1.75-1.82x faster than
// on one core without it, 1.88-1.91x with it). The flag must be given when node
// starts (set at run time, it crashed an isolate in the middle of a marking), so
// a sweep re-runs this script with it, unless the flag is already there.
import { spawn } from 'node:child_process';

if (process.argv[2] === 'sweep' && !process.execArgv.includes('--single-threaded-gc')) {
  // The child does the work: a signal to this process goes to it too (so a
  // stopped sweep never writes --out afterwards), and this process ends as
  // the child did.
  const child = spawn(process.execPath, [...process.execArgv, '--single-threaded-gc', ...process.argv.slice(1)], { stdio: 'inherit' });
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const forward = (sig) => child.kill(sig);
  for (const s of signals) process.on(s, forward);
  const [code, signal] = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (c, sig) => resolve([c, sig]));
  });
  for (const s of signals) process.off(s, forward);
  if (signal) process.kill(process.pid, signal);
  process.exit(code ?? 1);
}

// A reader that goes away before the output is written (`tmemsim validate | head`): end quietly,
// as a tool that SIGPIPE stops would, instead of an unhandled 'error' event and its stack trace.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

// The CLI's bundle (scripts/bundle-cli.mjs): one module graph of a few files, loaded faster than dist/cli/main.js's.
const { main } = await import('../dist/bin/main.js');
process.exitCode = await main(process.argv);
