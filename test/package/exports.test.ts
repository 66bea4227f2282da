/**
 * No dead exports (issue 12 item 5): every `export` in src/ has a user in
 * another file (src/, test/, or a script that loads dist/), and every export
 * is either used elsewhere or, when only its own file uses it, not exported.
 *
 * By name, not by type: a declaration counts as used elsewhere when its name
 * stands as an identifier (or a string) in another file. A name that also
 * means something else in some other file can hide a dead export, but a name
 * standing in no other file is surely not imported there, so the test has no
 * false alarms. The public surface (src/index.ts, api.ts, research.ts) names
 * what it re-exports, so those count as used; `export *` from a public file
 * makes every export of its target public.
 */

import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PUBLIC = ['src/index.ts', 'src/api.ts', 'src/research.ts'];
/** Folders whose scripts load dist/ (their imports are users of src/'s exports). */
const SCRIPT_DIRS = ['bench', 'bin', 'scripts', 'validation'];

function filesUnder(dir: string, ext: RegExp): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory()) out.push(...filesUnder(p, ext));
    else if (ext.test(e.name)) out.push(p);
  }
  return out.sort();
}

interface Parsed {
  sf: ts.SourceFile;
  /** How often each identifier (or identifier-like string) stands in the file. */
  names: Map<string, number>;
}

function parse(file: string): Parsed {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const kind = file.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, kind);
  const names = new Map<string, number>();
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n) || ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) names.set(n.text, (names.get(n.text) ?? 0) + 1);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return { sf, names };
}

const hasExport = (n: ts.Node): boolean =>
  ts.canHaveModifiers(n) && (ts.getModifiers(n) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

/** The names a file declares with `export` (or lists in a local `export { … }`), each with how many declarations carry it. */
function exportsOf(sf: ts.SourceFile): Map<string, number> {
  const out = new Map<string, number>();
  const add = (name: string): void => void out.set(name, (out.get(name) ?? 0) + 1);
  for (const s of sf.statements) {
    if (ts.isExportDeclaration(s)) {
      if (s.moduleSpecifier === undefined && s.exportClause && ts.isNamedExports(s.exportClause)) {
        for (const e of s.exportClause.elements) add((e.propertyName ?? e.name).text);
      }
      continue;
    }
    if (!hasExport(s)) continue;
    if (ts.isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) if (ts.isIdentifier(d.name)) add(d.name.text);
    } else if (
      (ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) || ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s) || ts.isEnumDeclaration(s) || ts.isModuleDeclaration(s)) &&
      s.name !== undefined &&
      ts.isIdentifier(s.name)
    ) {
      add(s.name.text);
    }
  }
  return out;
}

/** src/ files every export of which is public through an `export *` of a public file. */
function starExported(parsed: Map<string, Parsed>): Set<string> {
  const out = new Set<string>();
  for (const f of PUBLIC) {
    for (const s of parsed.get(f)!.sf.statements) {
      if (ts.isExportDeclaration(s) && s.exportClause === undefined && s.moduleSpecifier && ts.isStringLiteral(s.moduleSpecifier)) {
        out.add(relative(ROOT, resolve(ROOT, dirname(f), s.moduleSpecifier.text.replace(/\.js$/, '.ts'))));
      }
    }
  }
  return out;
}

describe('exports in src/', () => {
  const src = filesUnder('src', /\.ts$/);
  const others = [...filesUnder('test', /\.ts$/), ...SCRIPT_DIRS.flatMap((d) => filesUnder(d, /\.(js|mjs|cjs)$/))];
  const parsed = new Map([...src, ...others].map((f) => [f, parse(f)]));
  const star = starExported(parsed);
  const nowhere: string[] = [];
  const ownOnly: string[] = [];
  for (const f of src) {
    if (star.has(f)) continue;
    for (const [name, decls] of exportsOf(parsed.get(f)!.sf)) {
      let elsewhere = false;
      for (const [g, p] of parsed) if (g !== f && p.names.has(name)) { elsewhere = true; break; }
      if (elsewhere) continue;
      if (parsed.get(f)!.names.get(name)! > decls) ownOnly.push(`${f}: ${name}`);
      else nowhere.push(`${f}: ${name}`);
    }
  }

  it('finds the exports it checks (the scan itself works)', () => {
    expect(exportsOf(parsed.get('src/errors.ts')!.sf).has('UsageError')).toBe(true);
    expect(star.has('src/trace/events.ts')).toBe(true);
    let n = 0;
    for (const f of src) n += exportsOf(parsed.get(f)!.sf).size;
    expect(n).toBeGreaterThan(500);
  });

  it('every export is referenced somewhere', () => {
    expect(nowhere, 'exports no file names, not even their own: delete them').toEqual([]);
  });

  it('an export used only inside its own file is not exported', () => {
    expect(ownOnly, 'exports no other file names: drop the export keyword').toEqual([]);
  });
});
