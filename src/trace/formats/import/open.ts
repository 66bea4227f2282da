/**
 * The importers by name: each reads a foreign trace (libCacheSim csv / txt /
 * oracleGeneral, vscsi, page-reference) as a tmemsim trace source of
 * page-cache reads and writes (ImportedTraceSource); trace/formats/registry.ts
 * lists them among the input formats. See docs/importers.md.
 */

import { CSV_FORMAT } from '../lcs-csv.js';
import { TXT_FORMAT } from '../lcs-txt.js';
import { ORACLE_GENERAL_FORMAT } from '../oracle-general.js';
import { PAGEREF_FORMAT } from '../pageref.js';
import { VSCSI_FORMAT } from '../vscsi.js';
import type { ImportFormat } from './source.js';

export { ImportedTraceSource, COMMON_OPTIONS } from './source.js';

export const IMPORT_FORMATS: ReadonlyMap<string, ImportFormat> = new Map(
  [CSV_FORMAT, TXT_FORMAT, ORACLE_GENERAL_FORMAT, VSCSI_FORMAT, PAGEREF_FORMAT].map((f) => [f.name, f]),
);
