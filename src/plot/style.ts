/**
 * The look every chart shares, in one place: the frame (title, size, white
 * background, fonts), a colour-blind-safe palette (Okabe & Ito, "Color
 * Universal Design", 2008) paired with point shapes and dash patterns so that
 * series differ by more than colour (a greyscale print or a reader with a
 * colour-vision deficiency still tells them apart), and the layers that mark
 * lifecycle events (insmod, rmmod, a zombie drained) on a time axis.
 */

/**
 * Okabe–Ito, ordered for lines and points on white: the yellow (#F0E442) is
 * last, it is faint on white.
 */
export const OKABE_ITO = ['#0072B2', '#D55E00', '#009E73', '#E69F00', '#CC79A7', '#56B4E9', '#000000', '#F0E442'] as const;

/** Point shapes, one per series in palette order (Vega symbol names). */
const SHAPES = ['circle', 'square', 'triangle-up', 'diamond', 'cross', 'triangle-down', 'triangle-left', 'triangle-right'] as const;

/** Dash patterns (px on, px off, ...), one per series in palette order; the first is solid. */
export const DASHES: readonly (readonly number[])[] = [[1, 0], [6, 3], [2, 2], [8, 3, 2, 3], [12, 4], [4, 2, 1, 2], [1, 3], [10, 2, 2, 2, 2, 2]];

/** The colour of things that are not series: the baseline marker, lifecycle rules and their labels. */
export const INK = '#000000';
export const MUTED = '#595959';

const WIDTH = 560;
const HEIGHT = 300;
const FONT = 'DejaVu Sans, Helvetica, Arial, sans-serif';

/** The i-th entry of a style list, cycling. */
const cyc = <T>(xs: readonly T[], i: number): T => xs[i % xs.length]!;

/**
 * Scales for a categorical field: colour, shape and dash each keyed by the
 * same domain, so a series keeps its colour, shape and dash in every chart it
 * appears in. Beyond 8 series the styles cycle (colour and dash cycle together;
 * use fewer series than that in a figure meant for print).
 */
export function categoryScales(domain: readonly string[]): {
  color: { domain: string[]; range: string[] };
  shape: { domain: string[]; range: string[] };
  strokeDash: { domain: string[]; range: number[][] };
} {
  const d = [...domain];
  return {
    color: { domain: d, range: d.map((_, i) => cyc(OKABE_ITO, i)) },
    shape: { domain: d, range: d.map((_, i) => cyc(SHAPES, i)) },
    strokeDash: { domain: d, range: d.map((_, i) => [...cyc(DASHES, i)]) },
  };
}

/** Distinct values of `key` in first-seen order. */
export function domainOf<T>(values: readonly T[], key: (v: T) => string): string[] {
  const seen = new Set<string>();
  for (const v of values) seen.add(key(v));
  return [...seen];
}

/** The common frame: title (and subtitle), white background, fixed size, fonts, palette. */
export function frame(title: string, subtitle?: string | string[]): {
  $schema: string;
  title: string | { text: string; subtitle: string | string[]; anchor: 'start' };
  background: string;
  width: number;
  height: number;
  config: Record<string, unknown>;
} {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: subtitle ? { text: title, subtitle, anchor: 'start' } : title,
    background: 'white',
    width: WIDTH,
    height: HEIGHT,
    config: {
      font: FONT,
      range: { category: [...OKABE_ITO] },
      title: { fontSize: 13, subtitleFontSize: 10, subtitleColor: MUTED },
      axis: { labelFontSize: 10, titleFontSize: 11, grid: true, gridColor: '#e6e6e6' },
      legend: { labelFontSize: 10, titleFontSize: 10, symbolStrokeWidth: 2, symbolSize: 80 },
    },
  };
}

/** A lifecycle event on a time axis. */
export interface TimeEvent {
  t_s: number;
  label: string;
}

/**
 * Layers marking events on a time axis `x` (field t_s, seconds): a dotted
 * vertical rule at each and its label at the top of the plot, staggered over
 * three rows so close events do not print over each other. No colour
 * encoding, so they stay out of the series' legend.
 */
export function eventLayers(events: readonly TimeEvent[]): object[] {
  if (events.length === 0) return [];
  const values = [...events].sort((a, b) => a.t_s - b.t_s).map((e, i) => ({ ...e, row: 2 + (i % 3) * 12 }));
  return [
    {
      data: { values },
      mark: { type: 'rule', color: MUTED, strokeDash: [2, 3], strokeWidth: 1.2 },
      encoding: { x: { field: 't_s', type: 'quantitative' } },
    },
    {
      data: { values },
      mark: { type: 'text', align: 'left', baseline: 'top', dx: 3, fontSize: 9, color: INK },
      encoding: { x: { field: 't_s', type: 'quantitative' }, y: { field: 'row', type: 'quantitative', scale: null }, text: { field: 'label' } },
    },
  ];
}
