/**
 * Samples as weighted values: the analysis digests (lib/analysis/digest.ts) keep values
 * quantized to fine bins with a count each, and the detectors read them as a sorted list of
 * distinct values with weights — the same statistics as on the raw sample, at the bins'
 * resolution.
 */
import { lowerBound, upperBound } from "./statistics";

export interface WeightedSample {
  /** distinct values, ascending */
  values: Float64Array;
  /** weight (count) of each value */
  weights: Float64Array;
  /** cumulative weights: cum[i] = sum of weights[0..i) (length + 1 entries) */
  cum: Float64Array;
  /** total weight */
  total: number;
}

/** A weighted sample from (value, weight) pairs in any order; equal values are merged. */
export function weightedSample(pairs: Iterable<readonly [number, number]>): WeightedSample {
  const merged = new Map<number, number>();
  for (const [v, w] of pairs) if (w > 0 && Number.isFinite(v)) merged.set(v, (merged.get(v) ?? 0) + w);
  const values = Float64Array.from(merged.keys()).sort();
  const weights = Float64Array.from(values, (v) => merged.get(v)!);
  const cum = new Float64Array(values.length + 1);
  for (let i = 0; i < values.length; i++) cum[i + 1] = cum[i] + weights[i];
  return { values, weights, cum, total: cum[values.length] };
}

/** The weight of values in [lo, hi]. */
export function weightBetween(s: WeightedSample, lo: number, hi: number): number {
  return s.cum[upperBound(s.values, hi)] - s.cum[lowerBound(s.values, lo)];
}

/** The sub-sample of values in [lo, hi]. */
export function sliceBetween(s: WeightedSample, lo: number, hi: number): WeightedSample {
  const from = lowerBound(s.values, lo);
  const to = upperBound(s.values, hi);
  return weightedSample(Array.from(s.values.subarray(from, to), (v, i) => [v, s.weights[from + i]] as const));
}

/**
 * Linear-interpolated quantile, q in [0, 1], as sortedQuantile would give on the sample with
 * each value repeated by its weight (weights are whole counts).
 */
export function weightedQuantile(s: WeightedSample, q: number): number {
  if (s.total <= 0) return Number.NaN;
  const pos = Math.min(s.total - 1, Math.max(0, q * (s.total - 1)));
  const at = (rank: number) => s.values[Math.min(s.values.length - 1, upperBound(s.cum, rank) - 1)];
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return at(lo) + (at(hi) - at(lo)) * (pos - lo);
}

export function weightedMedian(s: WeightedSample): number {
  return weightedQuantile(s, 0.5);
}

/** Robust spread of a weighted sample: IQR / 1.349 (a standard deviation for normal jitter). */
export function weightedIqrSpread(s: WeightedSample): number {
  return (weightedQuantile(s, 0.75) - weightedQuantile(s, 0.25)) / 1.349;
}

/** The values, each repeated by its weight (for statistics that need the raw order), ascending. */
export function expand(s: WeightedSample, limit = Infinity): Float64Array {
  const n = Math.min(limit, s.total);
  const out = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < s.values.length && k < n; i++) for (let j = 0; j < s.weights[i] && k < n; j++) out[k++] = s.values[i];
  return out;
}

/** The largest values, each repeated by its weight, descending: the top `n` of the sample. */
export function topValues(s: WeightedSample, n: number): number[] {
  const out: number[] = [];
  for (let i = s.values.length - 1; i >= 0 && out.length < n; i--) for (let j = 0; j < s.weights[i] && out.length < n; j++) out.push(s.values[i]);
  return out;
}
