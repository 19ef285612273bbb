/**
 * Inclusive integer intervals (address ranges). Capacity is computed on intervals so that a
 * reserved `/8`-sized range costs one entry, not sixteen million.
 */

export interface Interval {
  readonly first: number;
  readonly last: number;
}

/** Sorted, disjoint union; overlapping and adjacent intervals merge. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.first - b.first || a.last - b.last);
  const out: Interval[] = [];
  for (const r of sorted) {
    const prev = out[out.length - 1];
    if (prev !== undefined && r.first <= prev.last + 1) {
      out[out.length - 1] = { first: prev.first, last: Math.max(prev.last, r.last) };
    } else {
      out.push(r);
    }
  }
  return out;
}

/** Intervals cut to `[first, last]`; those entirely outside are dropped. */
export function clipIntervals(intervals: readonly Interval[], first: number, last: number): Interval[] {
  const out: Interval[] = [];
  for (const r of intervals) {
    const a = Math.max(r.first, first);
    const b = Math.min(r.last, last);
    if (a <= b) out.push({ first: a, last: b });
  }
  return out;
}

/** Number of distinct integers covered by the intervals. */
export function countCovered(intervals: readonly Interval[]): number {
  return mergeIntervals(intervals).reduce((n, r) => n + (r.last - r.first + 1), 0);
}
