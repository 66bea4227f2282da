/**
 * Pareto frontiers: the points no other point beats on both objectives
 * (at least as good on both and strictly better on one). Points with a
 * missing coordinate are not ranked.
 */

interface Objective {
  /** Coordinate of point i, or null. */
  value: (i: number) => number | null;
  /** true: smaller is better; false: larger is better. */
  minimize: boolean;
}

/** Indices (ascending) of the points on the frontier of two objectives. */
export function paretoFront(n: number, a: Objective, b: Objective): number[] {
  const ka = (i: number): number | null => {
    const v = a.value(i);
    return v === null ? null : a.minimize ? v : -v;
  };
  const kb = (i: number): number | null => {
    const v = b.value(i);
    return v === null ? null : b.minimize ? v : -v;
  };
  const front: number[] = [];
  for (let i = 0; i < n; i++) {
    const xi = ka(i);
    const yi = kb(i);
    if (xi === null || yi === null) continue;
    let dominated = false;
    for (let j = 0; j < n && !dominated; j++) {
      if (j === i) continue;
      const xj = ka(j);
      const yj = kb(j);
      if (xj === null || yj === null) continue;
      if (xj <= xi && yj <= yi && (xj < xi || yj < yi)) dominated = true;
    }
    if (!dominated) front.push(i);
  }
  return front;
}
