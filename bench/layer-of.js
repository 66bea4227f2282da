// The layer of a piece of code, by the folder of dist/ it lives in (parse, mm, frontends,
// backend, page bytes, codecs, oracle, cost meter, dispatch, start-up): shared by bench/layers.js
// (a CPU profile's samples) and bench/instructions.js --functions (cachegrind's instructions).

/** The layer of code at `url` (a module's URL or path; '' for V8's and node's own). */
export function layerOfUrl(url) {
  if (url.startsWith('wasm') || /node_modules\/(lz4|@oneidentity\/zstd-js|fflate|pako|lzo)/.test(url)) return 'codecs (lz4, zstd, deflate libraries)';
  if (!url.includes('node_modules') && /\/dist\/[^/]+\.js$/.test(url)) return 'shared structures (keymap, lru, arrays)';
  const m = url.includes('node_modules') ? null : /\/dist\/([^/]+)\//.exec(url);
  if (m === null) return url.includes('node_modules') || url.startsWith('node:') || url === '' ? 'start-up, libraries, node' : 'other';
  const top = m[1];
  if (top === 'trace') return 'parse (trace readers)';
  if (top === 'mm') return 'mm (page cache, reclaim, swap)';
  if (top === 'frontends') return 'frontends (frontswap, cleancache)';
  if (top === 'content') return 'page bytes (content classes)';
  if (['backends', 'tmem', 'allocators', 'compressors'].includes(top)) return 'backend (tmem, pools, allocators, codec calls)';
  if (top === 'cost') return 'cost meter';
  if (top === 'sim') return /oracle\.js$/.test(url) ? 'oracle' : 'dispatch, machine (sim/)';
  return `${top}/`;
}
