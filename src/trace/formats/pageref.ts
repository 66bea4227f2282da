/**
 * Classic page-reference traces (`pageref`), such as the LIRS traces: one
 * page number per line, usually gzip-compressed (detected by its magic
 * bytes, whatever the file name). Blank lines, '#' comment lines and the
 * '*' separator lines of the LIRS traces are skipped. Each reference is a
 * read of that page: object addressing with one page per object, so page
 * number p is page p of the imported file system.
 */

import { IdPerLineCursor } from './import/line-ids.js';
import type { ImportFormat } from './import/source.js';

export const PAGEREF_FORMAT: ImportFormat = {
  name: 'pageref',
  extensions: ['.pageref', '.pageref.gz', '.trc', '.trc.gz'],
  description: 'page-reference trace: one page number per line, plain or gzip (LIRS traces)',
  options: [],
  plan(path) {
    return { addressing: 'object', open: (ids) => new IdPerLineCursor(path, ids, true, 'page') };
  },
};
