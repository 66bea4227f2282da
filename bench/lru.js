// The bench's JavaScript floor: bench/lru.c's plain LRU (a hash table with
// chaining and a doubly linked recency list) written line for line in
// JavaScript with typed arrays, replaying the same oracleGeneral file. It does
// no more work per request than the C reference, so its rate is what this
// language and runtime reach on the structure alone: the ceiling for any
// simulator written in it, before a single line of kernel model.
//
//   node bench/lru.js TRACE CAPACITY
//
// Prints: requests hits seconds (the replay only, the file read excluded), as lru.c does.
// Written for tmemsim's bench (bench/run.js); not part of the package.
import fs from 'node:fs';

const [file, capArg] = process.argv.slice(2);
if (file === undefined || capArg === undefined) {
  console.error('usage: lru.js TRACE CAPACITY');
  process.exit(2);
}
const cap = Number(capArg);
const buf = fs.readFileSync(file);
const n = Math.floor(buf.length / 24);
const NIL = -1;
let buckets = 1;
while (buckets < 2 * cap) buckets *= 2;
const mask = buckets - 1;
const table = new Int32Array(buckets).fill(NIL);
// Node i: its id's two words, its chain and recency links.
const idLo = new Uint32Array(cap);
const idHi = new Uint32Array(cap);
const hnext = new Int32Array(cap);
const prev = new Int32Array(cap);
const next = new Int32Array(cap);
let head = NIL;
let tail = NIL;

/** murmur3's 32-bit finaliser over the id's two words (lru.c mixes the 64-bit id). */
function hash(lo, hi) {
  let h = Math.imul(lo, 0x9e3779b1) ^ Math.imul(hi, 0x85ebca6b);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  return h & mask;
}

function unlink(e) {
  if (prev[e] !== NIL) next[prev[e]] = next[e];
  else head = next[e];
  if (next[e] !== NIL) prev[next[e]] = prev[e];
  else tail = prev[e];
}

function pushFront(e) {
  prev[e] = NIL;
  next[e] = head;
  if (head !== NIL) prev[head] = e;
  else tail = e;
  head = e;
}

function hremove(e) {
  const b = hash(idLo[e], idHi[e]);
  if (table[b] === e) {
    table[b] = hnext[e];
    return;
  }
  let p = table[b];
  while (hnext[p] !== e) p = hnext[p];
  hnext[p] = hnext[e];
}

const words = new Uint32Array(buf.buffer, buf.byteOffset, Math.floor(buf.byteLength / 4));
let used = 0;
let hits = 0;
const t0 = process.hrtime.bigint();
for (let i = 0; i < n; i++) {
  // Record i: u32 time, u64 id (lo, hi), u32 size, i64 next: the id at words 6i + 1 and 6i + 2.
  const lo = words[6 * i + 1];
  const hi = words[6 * i + 2];
  const b = hash(lo, hi);
  let e = table[b];
  while (e !== NIL && (idLo[e] !== lo || idHi[e] !== hi)) e = hnext[e];
  if (e !== NIL) {
    hits++;
    unlink(e);
    pushFront(e);
    continue;
  }
  if (used < cap) e = used++;
  else {
    e = tail;
    unlink(e);
    hremove(e);
  }
  idLo[e] = lo;
  idHi[e] = hi;
  hnext[e] = table[b];
  table[b] = e;
  pushFront(e);
}
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(`${n} ${hits} ${seconds.toFixed(6)}`);
