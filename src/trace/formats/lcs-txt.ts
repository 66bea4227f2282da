/**
 * libCacheSim's plain-text trace (`txt`): one object id per line, nothing
 * else. Ids are unsigned decimal integers, or any text with
 * obj-id-is-num=false (then hashed). Blank lines are skipped; the last line
 * may lack its newline; a gzip-compressed file is inflated on the fly.
 * Requests are reads with no size and no time; object addressing by default.
 */

import { IdPerLineCursor } from './import/line-ids.js';
import { OBJ_ID_IS_NUM, type ImportFormat } from './import/source.js';

export const TXT_FORMAT: ImportFormat = {
  name: 'txt',
  extensions: ['.txt', '.txt.gz'],
  description: 'libCacheSim plain text: one object id per line',
  options: [OBJ_ID_IS_NUM],
  plan(path) {
    return { addressing: 'object', open: (ids) => new IdPerLineCursor(path, ids, false, 'id') };
  },
};
