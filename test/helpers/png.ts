/**
 * Renders a chart's SVG to PNG (resvg: prebuilt, no browser) and reads its
 * pixels, so a test can check that a chart draws: its size, that it is not
 * blank, and how many pixels carry a given colour (each series, marker and
 * rule has its own colour, so a count of that colour says it was drawn).
 */

import { Resvg } from '@resvg/resvg-js';

export interface Png {
  width: number;
  height: number;
  /** The encoded PNG. */
  bytes: Buffer;
  /** RGBA, row-major. */
  rgba: Uint8Array;
}

/** The SVG drawn at twice its size (lines 2 px and more wide, so their colour is on whole pixels). */
export function toPng(svg: string): Png {
  const r = new Resvg(svg, { font: { loadSystemFonts: true }, fitTo: { mode: 'zoom', value: 2 } }).render();
  return { width: r.width, height: r.height, bytes: r.asPng(), rgba: new Uint8Array(r.pixels) };
}

/** Pixels that are not (near) white. */
export function inked(p: Png): number {
  let n = 0;
  for (let i = 0; i < p.rgba.length; i += 4) if (p.rgba[i]! < 240 || p.rgba[i + 1]! < 240 || p.rgba[i + 2]! < 240) n++;
  return n;
}

/** Pixels within `tol` (per channel) of `hex` (#rrggbb). */
export function pixelsOf(p: Png, hex: string, tol = 8): number {
  const c = [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16));
  let n = 0;
  for (let i = 0; i < p.rgba.length; i += 4) {
    if (Math.abs(p.rgba[i]! - c[0]!) <= tol && Math.abs(p.rgba[i + 1]! - c[1]!) <= tol && Math.abs(p.rgba[i + 2]! - c[2]!) <= tol) n++;
  }
  return n;
}

/** The PNG signature and IHDR size, read from the bytes themselves. */
export function pngHeader(bytes: Buffer): { signature: boolean; width: number; height: number } {
  const sig = bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  return { signature: sig, width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}
