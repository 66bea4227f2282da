/**
 * Issue 16's output reproducers: --out keeps a file's mode, writes devices,
 * FIFOs and links in place (never replacing them), refuses directories with
 * one line; --plot onto a path that cannot be a directory is one line; trace
 * convert onto a directory is one line; odd file names stay on one line;
 * compare /dev/zero fails at once.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { expectOneLineError as oneLine, tmemsimIn } from '../../helpers/cli.js';
import { tempDir, toJsonl, traceHeader } from '../../helpers/files.js';
import { openOutputFile, openTempFiles, writeOutputFile } from '../../../src/report/output-file.js';

const tmp = tempDir('tmemsim-out-');
afterAll(() => tmp.cleanup());
const dir = tmp.dir;
const TRACE = tmp.file(
  'tiny.jsonl',
  toJsonl(traceHeader({ ram_pages: 2048, backend: 'zcache', swap: [{ type: 0, slots: 64 }] }), [
    { op: 'frontswap_store', type: 0, offset: 3, data: 'text' },
    { op: 'frontswap_load', type: 0, offset: 3 },
  ]),
);

const run = (...args: string[]) => tmemsimIn(dir, args);

describe('output files', () => {
  it('--out over a 0600 file leaves a 0600 file with the new report', async () => {
    const p = path.join(dir, 'private.json');
    fs.writeFileSync(p, 'old');
    fs.chmodSync(p, 0o600);
    const r = await run('run', TRACE, '--format', 'json', '--profile', 'ssd', '--out', p);
    expect(r.code).toBe(0);
    expect(fs.statSync(p).mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(p, 'utf8'))).toHaveProperty('runs');
  });

  it('--out through a symlink writes the file it points to and keeps the link', async () => {
    const target = path.join(dir, 'target.json');
    fs.writeFileSync(target, 'old');
    const link = path.join(dir, 'link.json');
    fs.symlinkSync(target, link);
    expect((await run('run', TRACE, '--format', 'json', '--profile', 'ssd', '--out', link)).code).toBe(0);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(target, 'utf8')).toContain('"runs"');
  });

  it('a dangling symlink and a directory are refused with one line', async () => {
    const dangling = path.join(dir, 'dangling.json');
    fs.symlinkSync(path.join(dir, 'nowhere', 'x'), dangling);
    expect(oneLine(await run('run', TRACE, '--out', dangling))).toContain('a symbolic link to nothing');
    expect(oneLine(await run('run', TRACE, '--out', dir))).toContain('it is a directory');
  });

  it('/dev/null stays a character device', () => {
    writeOutputFile('/dev/null', 'report\n');
    expect(fs.statSync('/dev/null').isCharacterDevice()).toBe(true);
    expect(fs.readdirSync('/dev').some((f) => f.startsWith('.null.'))).toBe(false);
  });

  it('a FIFO is written in place, not replaced by a file', () => {
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    // A reader opened without blocking, so the write's open finds it there.
    const rd = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    writeOutputFile(fifo, 'through the pipe\n');
    const buf = Buffer.alloc(100);
    const n = fs.readSync(rd, buf);
    fs.closeSync(rd);
    expect(buf.toString('utf8', 0, n)).toBe('through the pipe\n');
    expect(fs.statSync(fifo).isFIFO()).toBe(true);
  });

  it('an aborted write leaves no temp file and the old file untouched', () => {
    const p = path.join(dir, 'keep.txt');
    fs.writeFileSync(p, 'old');
    const f = openOutputFile(p);
    f.write('half');
    expect(openTempFiles()).toHaveLength(1);
    f.abort();
    expect(openTempFiles()).toHaveLength(0);
    expect(fs.readFileSync(p, 'utf8')).toBe('old');
    expect(fs.readdirSync(dir).filter((x) => x.endsWith('.tmp'))).toEqual([]);
  });

  it('trace convert onto a directory is one line, and leaves no temp file', async () => {
    const d = path.join(dir, 'outdir');
    fs.mkdirSync(d);
    expect(oneLine(await run('trace', 'convert', TRACE, d))).toContain('it is a directory');
    expect(fs.readdirSync(dir).filter((x) => x.endsWith('.tmp'))).toEqual([]);
  });

  it('--plot onto /proc/self/plots or under a file is refused with one line before the run', async () => {
    const a = await run('run', TRACE, '--plot', '/proc/self/plots');
    expect(oneLine(a)).toContain('cannot create plot directory');
    expect(a.out).toBe('');
    fs.writeFileSync(path.join(dir, 'afile'), '');
    expect(oneLine(await run('run', TRACE, '--plot', path.join(dir, 'afile', 'x')))).toContain('ENOTDIR');
  });

  it('a file name with a newline stays one line', async () => {
    const odd = path.join(dir, 'a\nb\u001b[31m.jsonl');
    fs.writeFileSync(odd, 'x\n');
    const line = oneLine(await run('run', odd));
    expect(line).toContain('a\\nb\\u001b[31m.jsonl');
  });

  it('compare /dev/zero /dev/zero fails at once with one line', async () => {
    expect(oneLine(await run('compare', '/dev/zero', '/dev/zero'))).toContain('not JSON');
  });

  it('a document larger than the cap is refused without reading it whole', async () => {
    const { readDocumentText } = await import('../../../src/errors.js');
    const p = path.join(dir, 'big.json');
    fs.writeFileSync(p, ' '.repeat(2000));
    expect(() => readDocumentText(p, undefined, 1000)).toThrow(/more than the 1000 a document may have/);
  });
});
