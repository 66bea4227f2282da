/**
 * Writing an output file without damaging what is there.
 *
 *   regular file or a new name: write a temp file in the same directory, then
 *     rename it over the target (a failed or stopped run never leaves a half
 *     written file); the temp file gets the existing file's mode (and owner,
 *     when allowed), so a private 0600 report stays private;
 *   a symbolic link: the file it points to is written as above (the link
 *     stays); a link to nothing is refused;
 *   a character or block device, or a FIFO: written in place (as a shell
 *     redirection would: `--out /dev/null` must not replace /dev/null);
 *   a directory or a socket: refused with one line.
 *
 * Temp files still open when SIGINT, SIGTERM or SIGHUP arrives are removed,
 * then the signal is raised again so the process ends as it would have.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError, quote } from '../errors.js';

interface OutputFile {
  write(data: string | Uint8Array): void;
  /** Every byte written: make it the target. */
  commit(): void;
  /** Give up: remove the temp file (a device or FIFO keeps what it got). */
  abort(): void;
}

const live = new Set<string>();
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let handling = false;

function onSignal(sig: NodeJS.Signals): void {
  for (const t of live) {
    try {
      fs.rmSync(t, { force: true });
    } catch {
      /* best effort */
    }
  }
  live.clear();
  unhook();
  process.kill(process.pid, sig);
}

function hook(): void {
  if (handling) return;
  handling = true;
  for (const s of SIGNALS) process.on(s, onSignal);
}

function unhook(): void {
  if (!handling) return;
  handling = false;
  for (const s of SIGNALS) process.off(s, onSignal);
}

function forget(tmp: string): void {
  live.delete(tmp);
  if (live.size === 0) unhook();
}

/** Temp files open now (for tests). */
export function openTempFiles(): string[] {
  return [...live];
}

function cannot(out: string, field: string | undefined, why: string, accepted?: string): UsageError {
  return new UsageError(`cannot write ${quote(out)}: ${why}`, field ? { field } : {}, accepted);
}

function errCode(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
}

/** Opens `out` for writing as the header says. `field` names the option in errors (--out). */
export function openOutputFile(out: string, field?: string): OutputFile {
  let target = out;
  let st: fs.Stats | undefined;
  try {
    st = fs.lstatSync(out);
  } catch (e) {
    if (errCode(e) !== 'ENOENT') throw cannot(out, field, errCode(e));
  }
  if (st?.isSymbolicLink()) {
    try {
      target = fs.realpathSync(out);
      st = fs.statSync(target);
    } catch (e) {
      if (errCode(e) !== 'ENOENT') throw cannot(out, field, errCode(e));
      throw cannot(out, field, 'a symbolic link to nothing', 'a file, a link to a file, a device or a FIFO');
    }
  }
  if (st?.isDirectory()) throw cannot(out, field, 'it is a directory', 'a file name');
  if (st?.isSocket()) throw cannot(out, field, 'it is a socket', 'a file, a device or a FIFO');
  if (st && !st.isFile()) return inPlace(out, target, field);
  return viaTemp(out, target, field, st);
}

/**
 * The writes and the close of an open descriptor: write() gives every byte
 * to fs.writeFileSync(fd, ...) (it loops until all are written; a bare
 * writeSync may write fewer); close() closes once. A failed write calls
 * `onError` first (the temp file is removed) and throws one line.
 */
function descriptor(fd: number, fail: (e: unknown) => UsageError, onError: () => void = () => undefined): { write(data: string | Uint8Array): void; close(): void } {
  let open = true;
  return {
    write(data) {
      try {
        fs.writeFileSync(fd, data);
      } catch (e) {
        onError();
        throw fail(e);
      }
    },
    close() {
      if (!open) return;
      open = false;
      fs.closeSync(fd);
    },
  };
}

function inPlace(out: string, target: string, field: string | undefined): OutputFile {
  let fd: number;
  try {
    fd = fs.openSync(target, 'w');
  } catch (e) {
    throw cannot(out, field, errCode(e));
  }
  const d = descriptor(fd, (e) => cannot(out, field, errCode(e)));
  return { write: d.write, commit: d.close, abort: d.close };
}

function viaTemp(out: string, target: string, field: string | undefined, st: fs.Stats | undefined): OutputFile {
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  // The signal handlers go in before the file exists: a signal that comes the moment it is created
  // (a busy machine can stop this process right after open returns) finds it listed and removes it.
  live.add(tmp);
  hook();
  let fd: number;
  try {
    fd = fs.openSync(tmp, 'w', st ? st.mode & 0o7777 : 0o666);
  } catch (e) {
    forget(tmp);
    throw cannot(out, field, errCode(e));
  }
  const abort = (): void => {
    try {
      d.close();
    } catch {
      /* closed already */
    }
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      /* nothing to clean */
    }
    forget(tmp);
  };
  const d = descriptor(fd, (e) => cannot(out, field, errCode(e)), abort);
  if (st) {
    try {
      // open() applied the umask: set the mode exactly, and the owner when root
      fs.fchmodSync(fd, st.mode & 0o7777);
      if (process.getuid?.() === 0) fs.fchownSync(fd, st.uid, st.gid);
    } catch (e) {
      abort();
      throw cannot(out, field, errCode(e));
    }
  }
  return {
    write: d.write,
    commit() {
      try {
        d.close();
        fs.renameSync(tmp, target);
      } catch (e) {
        abort();
        throw cannot(out, field, errCode(e));
      }
      forget(tmp);
    },
    abort,
  };
}

/** Writes `text` to `out` as openOutputFile says. */
export function writeOutputFile(out: string, text: string | Uint8Array, field?: string): void {
  const f = openOutputFile(out, field);
  try {
    f.write(text);
  } catch (e) {
    f.abort();
    throw e;
  }
  f.commit();
}
