/**
 * The importers by name, and openImported(): a foreign trace (libCacheSim
 * csv / txt / oracleGeneral, vscsi, page-reference) as a tmemsim trace
 * source of page-cache reads and writes. See docs/importers.md.
 */

import { UsageError } from '../../../errors.js';
import { CSV_FORMAT } from '../lcs-csv.js';
import { TXT_FORMAT } from '../lcs-txt.js';
import { ORACLE_GENERAL_FORMAT } from '../oracle-general.js';
import { PAGEREF_FORMAT } from '../pageref.js';
import { VSCSI_FORMAT } from '../vscsi.js';
import type { FormatOptions } from './options.js';
import { ImportedTraceSource, type ImportFormat } from './source.js';

export type { FormatOptions } from './options.js';
export { ImportedTraceSource, COMMON_OPTIONS, type ImportFormat, type Request, type Mapping } from './source.js';

export const IMPORT_FORMATS: ReadonlyMap<string, ImportFormat> = new Map(
  [CSV_FORMAT, TXT_FORMAT, ORACLE_GENERAL_FORMAT, VSCSI_FORMAT, PAGEREF_FORMAT].map((f) => [f.name, f]),
);

/**
 * Opens `path` as a trace of `format` (csv, txt, oracleGeneral, vscsi,
 * pageref) with format options (`{ 'page-size': 4096, 'obj-id-col': 5 }`).
 * The header is synthetic; the file's first request is read and checked now,
 * the rest stream as events are iterated.
 */
export function openImported(path: string, format: string, options?: FormatOptions): ImportedTraceSource {
  const f = IMPORT_FORMATS.get(format);
  if (!f) throw new UsageError(`unknown import format '${format}'`, {}, [...IMPORT_FORMATS.keys()].join(', '));
  return new ImportedTraceSource(path, f, options);
}
