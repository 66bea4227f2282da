/**
 * The `code` content class: x86-64 machine code as in an ELF .text section
 * (prologues, calls with rel32, idioms repeated on a page, NOP padding), the
 * least compressible common page content; targets in registry.ts.
 */

import { Cls } from '../page.js';
import { Rng } from '../rng.js';
import { scratchFor, scratchView, below, putBytes, put32, type ContentClass } from './common.js';

const rng = new Rng(0);

/** Register numbers (rax rcx rdx rbx rsp rbp rsi rdi r8..r15), weighted like compiler output. */
const REG_TABLE = Uint8Array.from([
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7, 7, 7, 7, 7, 6, 6, 6, 6, 2, 2, 2, 2, 3, 3, 3, 3, 1, 1, 1,
  5, 12, 12, 13, 13, 14, 14, 15, 8, 9, 0, 7, 0, 3, 6, 2, 3, 0, 12, 13, 0, 7, 6, 3, 2, 0, 0, 3, 7, 6,
  1, 0, 14, 15,
]); // 64 entries
/** Common 8-byte-aligned struct field and stack displacements (disp8). */
const FIELD_DISP = Uint8Array.from([0x08, 0x10, 0x18, 0x20, 0x28, 0x30, 0x38, 0x40, 0x08, 0x10, 0x18, 0x10, 0x48, 0x50, 0x04, 0x0c]);
const STACK_DISP = Uint8Array.from([0xf8, 0xf0, 0xe8, 0xe0, 0xd8, 0xd0, 0xc8, 0xc0, 0xfc, 0xf4, 0xec, 0xe4, 0xf8, 0xf0, 0xe8, 0xfc]);
/** Jcc short opcodes (je, jne, jle, jg, jl, jge, jbe, ja). */
const JCC = Uint8Array.from([0x74, 0x74, 0x74, 0x75, 0x75, 0x75, 0x7e, 0x7f, 0x7c, 0x7d, 0x76, 0x77, 0x74, 0x75, 0x78, 0x74]);
/** GNU as multi-byte NOPs, by length 1..10. */
const NOPS = [
  [0x90], [0x66, 0x90], [0x0f, 0x1f, 0x00], [0x0f, 0x1f, 0x40, 0x00], [0x0f, 0x1f, 0x44, 0x00, 0x00],
  [0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00], [0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00],
  [0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00], [0x66, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
  [0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
].map((a) => Uint8Array.from(a));
const ENDBR64 = Uint8Array.from([0xf3, 0x0f, 0x1e, 0xfa]);
/** Callee-saved registers in push order. */
const SAVED_REGS = Uint8Array.from([15, 14, 13, 12, 5, 3]);
const ALU_RR = Uint8Array.from([0x01, 0x29, 0x21, 0x09, 0x31, 0x39, 0x01, 0x39]);

/** State of the code generator for one page. */
interface CodeState {
  /** Virtual address of b[0]. */
  base: number;
  /** Call targets (absolute addresses) this page's functions use. */
  callees: Float64Array;
  /** Data addresses (absolute) referenced RIP-relative. */
  globals: Float64Array;
  /** The current function's favourite registers (4), refreshed per function. */
  regs: Uint8Array;
  /** Callee-saved registers pushed by the current function, and whether it set up rbp. */
  pushed: number;
  frame: boolean;
}

/** REX prefix (W, reg, rm) when needed; returns the new position. */
function rex(b: Uint8Array, p: number, w: number, r: number, m: number): number {
  const x = (w << 3) | ((r & 8) >> 1) | ((m & 8) >> 3);
  if (x !== 0) b[p++] = 0x40 | x;
  return p;
}

/** ModRM for [base + disp8] (plus the SIB byte rsp/r12 need). */
function memDisp8(b: Uint8Array, p: number, r: number, base: number, disp: number): number {
  b[p++] = 0x40 | ((r & 7) << 3) | (base & 7);
  if ((base & 7) === 4) b[p++] = 0x24;
  b[p++] = disp;
  return p;
}

/** rel32 from the end of the instruction (p + 4) to an absolute address. */
function rel32(b: Uint8Array, p: number, st: CodeState, target: number): number {
  put32(b, p, target - (st.base + p + 4));
  return p + 4;
}

/**
 * One instruction whose bytes do not depend on its address, with operands
 * drawn mostly from the function's favourite registers (calls and
 * RIP-relative operands come from relInsn()).
 */
function insn(b: Uint8Array, p: number, st: CodeState): number {
  const r = rng.bits();
  const k = below(r, 100);
  const a = (r & 0x30) === 0x30 ? REG_TABLE[(r >>> 6) & 63]! : st.regs[r & 3]!;
  const c = st.regs[(r >>> 2) & 3]!;
  const w = (r >>> 12) & 1;
  if (k < 16) { // mov reg, [base+disp] / mov [base+disp], reg
    const stack = (r & 0x2000) !== 0 && st.frame;
    const base = stack ? 5 : c;
    p = rex(b, p, w | ((r >>> 14) & 1), a, base);
    b[p++] = k < 10 ? 0x8b : 0x89;
    return memDisp8(b, p, a, base, stack ? STACK_DISP[(r >>> 8) & 15]! : FIELD_DISP[(r >>> 8) & 15]!);
  }
  if (k < 42) { // mov reg, reg
    p = rex(b, p, (r >>> 13) & 1 | w, c, a);
    b[p++] = 0x89;
    b[p++] = 0xc0 | ((c & 7) << 3) | (a & 7);
    return p;
  }
  if (k < 52) { // test reg, reg ; jcc rel8
    p = rex(b, p, w, a, a);
    b[p++] = 0x85;
    b[p++] = 0xc0 | ((a & 7) << 3) | (a & 7);
    b[p++] = JCC[(r >>> 8) & 15]!;
    b[p++] = 4 + ((r >>> 6) & 0x3f);
    return p;
  }
  if (k < 58) { // cmp reg, imm8 ; jcc rel8 / rel32
    p = rex(b, p, w, 0, a);
    b[p++] = 0x83;
    b[p++] = 0xf8 | (a & 7);
    b[p++] = (r >>> 8) & 15;
    if ((r & 0x2000) !== 0) {
      b[p++] = JCC[(r >>> 4) & 15]!;
      b[p++] = (r >>> 24) & 0x7f;
    } else {
      b[p++] = 0x0f;
      b[p++] = 0x10 + JCC[(r >>> 4) & 15]!;
      put32(b, p, (r & 0x4000) !== 0 ? (r >>> 22) + 0x80 : -((r >>> 22) + 0x80));
      p += 4;
    }
    return p;
  }
  if (k < 63) { // mov r32, imm32 (small)
    p = rex(b, p, 0, 0, a);
    b[p++] = 0xb8 | (a & 7);
    put32(b, p, (r & 0x2000) !== 0 ? (r >>> 8) & 0x1f : (r >>> 6) & 0xfff);
    return p + 4;
  }
  if (k < 67) { // xor r32, r32
    p = rex(b, p, 0, a, a);
    b[p++] = 0x31;
    b[p++] = 0xc0 | ((a & 7) << 3) | (a & 7);
    return p;
  }
  if (k < 73) { // add/sub reg, imm8
    p = rex(b, p, 1, 0, a);
    b[p++] = 0x83;
    b[p++] = ((r & 0x2000) !== 0 ? 0xc0 : 0xe8) | (a & 7);
    b[p++] = (r & 0x4000) !== 0 ? 1 : 8 << ((r >>> 8) & 3);
    return p;
  }
  if (k < 79) { // alu reg, reg
    p = rex(b, p, w, c, a);
    b[p++] = ALU_RR[(r >>> 8) & 7]!;
    b[p++] = 0xc0 | ((c & 7) << 3) | (a & 7);
    return p;
  }
  if (k < 83) { // movzx r32, byte [base+disp]
    p = rex(b, p, 0, a, c);
    b[p++] = 0x0f;
    b[p++] = 0xb6;
    return memDisp8(b, p, a, c, (r >>> 8) & 0x1f);
  }
  if (k < 86) { // jmp rel8 / rel32
    if ((r & 0x2000) !== 0) {
      b[p++] = 0xeb;
      b[p++] = (r >>> 6) & 0x7f;
      return p;
    }
    b[p++] = 0xe9;
    put32(b, p, ((r >>> 6) & 0x3ff) - 0x200);
    return p + 4;
  }
  if (k < 89) { // shl/shr reg, imm8
    p = rex(b, p, 1, 0, a);
    b[p++] = 0xc1;
    b[p++] = ((r & 0x2000) !== 0 ? 0xe0 : 0xe8) | (a & 7);
    b[p++] = 1 + ((r >>> 8) & 3);
    return p;
  }
  if (k < 92) { // movsd xmm, [rbp-disp] / pxor xmm, xmm
    if ((r & 0x2000) !== 0) {
      b[p++] = 0xf2;
      b[p++] = 0x0f;
      b[p++] = (r & 0x4000) !== 0 ? 0x10 : 0x11;
      return memDisp8(b, p, (r >>> 8) & 3, 5, STACK_DISP[(r >>> 4) & 15]!);
    }
    b[p++] = 0x66;
    b[p++] = 0x0f;
    b[p++] = 0xef;
    b[p++] = 0xc0 | (((r >>> 8) & 3) * 9);
    return p;
  }
  if (k < 95) { // setcc al ; movzx eax, al
    b[p++] = 0x0f;
    b[p++] = 0x94 + ((r >>> 8) & 1);
    b[p++] = 0xc0;
    b[p++] = 0x0f;
    b[p++] = 0xb6;
    b[p++] = 0xc0;
    return p;
  }
  if (k < 98) { // cmovcc reg, reg
    p = rex(b, p, 1, a, c);
    b[p++] = 0x0f;
    b[p++] = 0x44 + ((r >>> 8) & 0xb);
    b[p++] = 0xc0 | ((a & 7) << 3) | (c & 7);
    return p;
  }
  // imul reg, reg, imm8
  p = rex(b, p, 1, a, c);
  b[p++] = 0x6b;
  b[p++] = 0xc0 | ((a & 7) << 3) | (c & 7);
  b[p++] = 3 + ((r >>> 8) & 0x3f);
  return p;
}

/** Prologue: endbr64, push rbp / mov rbp,rsp, callee-saved pushes, stack space. */
function prologue(b: Uint8Array, p: number, st: CodeState): number {
  const r = rng.bits();
  for (let i = 0; i < 4; i++) st.regs[i] = REG_TABLE[(r >>> (6 * i + 6)) & 63]!;
  if ((r & 3) !== 0) p = putBytes(b, p, ENDBR64);
  st.frame = (r & 4) !== 0;
  if (st.frame) {
    b[p++] = 0x55; // push rbp
    b[p++] = 0x48; b[p++] = 0x89; b[p++] = 0xe5; // mov rbp, rsp
  }
  st.pushed = below(r, 5);
  for (let i = 0; i < st.pushed; i++) {
    const g = SAVED_REGS[i]!;
    if (g >= 8) b[p++] = 0x41;
    b[p++] = 0x50 | (g & 7);
  }
  if ((r & 8) !== 0) {
    b[p++] = 0x48; b[p++] = 0x83; b[p++] = 0xec; b[p++] = 8 << ((r >>> 4) & 3);
  }
  return p;
}

function epilogue(b: Uint8Array, p: number, st: CodeState): number {
  const r = rng.bits();
  if ((r & 1) !== 0) {
    b[p++] = 0x48; b[p++] = 0x83; b[p++] = 0xc4; b[p++] = 8 << ((r >>> 4) & 3);
  }
  for (let i = st.pushed; i > 0; i--) {
    const g = SAVED_REGS[i - 1]!;
    if (g >= 8) b[p++] = 0x41;
    b[p++] = 0x58 | (g & 7);
  }
  if (st.frame) b[p++] = 0x5d; // pop rbp
  b[p++] = 0xc3; // ret
  return p;
}

/**
 * A pool of 8192 pre-encoded instructions (16-byte slots, at most 12 bytes
 * used), built once from a fixed seed by insn() in "functions" of 16 that
 * share favourite registers. A page draws most of its instructions from a
 * window of the pool and copies each with three 32-bit stores; encoding
 * every instruction afresh (a mispredicted branch chain per instruction) made
 * code pages about twice as slow to generate.
 */
const POOL_BITS = 13;
const POOL_SIZE = 1 << POOL_BITS;
const poolWords = new Int32Array(POOL_SIZE * 4);
const poolLen = new Uint8Array(POOL_SIZE);
/** The pool is encoded on the first code page (not at start-up: a run that writes no code page does without it). */
let poolBuilt = false;
function buildPool(): void {
  poolBuilt = true;
  rng.reseed(0xc0de);
  const b = new Uint8Array(32);
  const dv = new DataView(b.buffer);
  const st: CodeState = {
    base: 0, callees: new Float64Array(16), globals: new Float64Array(8),
    regs: new Uint8Array(4), pushed: 0, frame: false,
  };
  for (let i = 0; i < POOL_SIZE; i++) {
    if ((i & 15) === 0) {
      // A new "function": new favourite registers and frame choice.
      const r = rng.bits();
      for (let k = 0; k < 4; k++) st.regs[k] = REG_TABLE[(r >>> (6 * k + 6)) & 63]!;
      st.frame = (r & 4) !== 0;
    }
    b.fill(0);
    const n = insn(b, 0, st);
    if (n > 12) throw new Error('code pool: instruction longer than 12 bytes');
    poolLen[i] = n;
    for (let k = 0; k < 4; k++) poolWords[i * 4 + k] = dv.getInt32(k * 4, true);
  }
}

/** An address-dependent instruction: call rel32 (3 in 5), or lea / mov reg, [rip+rel32]. */
function relInsn(b: Uint8Array, p: number, st: CodeState, r: number): number {
  if (below(r, 5) < 3) {
    b[p++] = 0xe8;
    return rel32(b, p, st, st.callees[(r >>> 6) & 15]!);
  }
  const a = st.regs[r & 3]!;
  b[p++] = (a & 8) !== 0 ? 0x4c : 0x48;
  b[p++] = (r & 0x2000) !== 0 ? 0x8d : 0x8b;
  b[p++] = 0x05 | ((a & 7) << 3);
  return rel32(b, p, st, st.globals[(r >>> 6) & 7]!);
}

/** Instruction start offsets of the current page (for idiom reuse). */
const starts = new Int32Array(8192);

/** Probability (of 256) that the next instructions repeat an idiom seen earlier on the page. */
const CODE_REPEAT = 50;
/** Size of the pool window one page draws from (smaller: more repeated instructions). */
const CODE_WINDOW = 2048;

// duplicates: opens alike to text.ts's fillText (reseed, skip, scratch buffer): each class generates its own content.
function fillCode(seed: number, dst: Uint8Array): void {
  if (!poolBuilt) buildPool();
  rng.reseed(seed);
  const n = dst.length;
  const r0 = rng.bits();
  const skip = r0 & 255;
  const end = n + skip;
  const b = scratchFor(end);
  const dv = scratchView();
  const base = 0x401000 + ((r0 >>> 8) & 0x3ff) * 4096 - skip;
  const callees = new Float64Array(16);
  for (let i = 0; i < 16; i++) callees[i] = 0x401000 + ((rng.bits() >>> 9) & 0x3fffff);
  // Favour a few callees (memcpy, malloc, free, a logging helper).
  for (let i = 8; i < 16; i++) callees[i] = callees[i & 3]!;
  const globals = new Float64Array(8);
  for (let i = 0; i < 8; i++) globals[i] = 0xa00000 + ((rng.bits() >>> 11) & 0x1fffff);
  const st: CodeState = { base, callees, globals, regs: new Uint8Array(4), pushed: 0, frame: false };
  const window = rng.bits() & (POOL_SIZE - 1);
  let ns = 0;
  let p = 0;
  while (p < end) {
    if (ns > starts.length - 64) ns = 0; // a very long dst: restart the idiom history
    p = prologue(b, p, st);
    const body = 4 + (rng.bits() & 31);
    for (let i = 0; i < body && p < end; ) {
      const r = rng.bits();
      if (ns > 16 && (r & 255) < CODE_REPEAT) {
        // Repeat 2-5 instructions seen earlier on the page (compilers emit the same idioms).
        const cnt = 2 + ((r >>> 8) & 3);
        const from = below(r, ns - cnt); // from + cnt < ns: a span already written
        const s = starts[from]!;
        const len = starts[from + cnt]! - s;
        for (let j = 0; j < cnt; j++) starts[ns++] = p + starts[from + j]! - s;
        for (let k = 0; k < len; k += 4) dv.setInt32(p + k, dv.getInt32(s + k, true), true);
        p += len;
        i += cnt;
      } else if ((r & 0x700) === 0) {
        starts[ns++] = p;
        p = relInsn(b, p, st, r);
        i++;
      } else {
        starts[ns++] = p;
        const e = (window + below(r, CODE_WINDOW)) & (POOL_SIZE - 1);
        const o = e * 4;
        dv.setInt32(p, poolWords[o]!, true);
        dv.setInt32(p + 4, poolWords[o + 1]!, true);
        dv.setInt32(p + 8, poolWords[o + 2]!, true);
        p += poolLen[e]!;
        i++;
      }
    }
    starts[ns] = p;
    p = epilogue(b, p, st);
    // Pad to 16 bytes: multi-byte NOPs (gcc) or int3 (clang, some linkers).
    let pad = (16 - (p & 15)) & 15;
    if ((rng.bits() & 3) === 0) {
      for (; pad > 0; pad--) b[p++] = 0xcc;
    } else {
      while (pad > 0) {
        const k = pad < 10 ? pad : 10;
        p = putBytes(b, p, NOPS[k - 1]!);
        pad -= k;
      }
    }
  }
  dst.set(b.subarray(skip, end));
}

export const codeClass: ContentClass = {
  name: 'code', code: Cls.Code, runSeedIndependent: false,
  description: 'x86-64 machine code (ELF .text: prologues, calls, rel32, idioms, NOP padding)',
  fill: fillCode,
};
