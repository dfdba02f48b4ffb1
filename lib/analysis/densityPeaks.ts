/**
 * Narrow peaks in a one-dimensional sample (idle seconds, session ages), found by a window
 * scan: every window [x, x + W(x)] (W proportional to x, i.e. constant width on log-seconds,
 * with a floor in seconds) is compared with the two flanks beside it. A peak must stand out
 * against BOTH flanks, so the sharp edge of a smooth distribution (drops that can only
 * happen up to some value) is not mistaken for a cluster; and against a fleet-agnostic
 * log-uniform floor, so a handful of drops with empty flanks needs several coincidences.
 * Significance is a Poisson tail with a Bonferroni correction for the number of windows
 * the range holds: we prefer missing a weak cluster to inventing one.
 */
import { logPoissonTail, lowerBound, upperBound } from "./statistics";
import { weightedMedian, type WeightedSample } from "./weighted";

export interface DensityPeakOptions {
  /** half-width of a window relative to its position (0.0125 = ±1.25 %) */
  relativeHalfWidth: number;
  /** smallest half-width in the sample's unit, so short values still get room for jitter */
  minHalfWidth: number;
  /** width of each flank in window widths */
  flankWidths: number;
  /** fewest members a peak may have */
  minCount: number;
  /** family-wise false-alarm probability of the whole scan */
  alpha: number;
  /** range where values can occur; sets the log-uniform floor and the number of windows */
  rangeMin: number;
  rangeMax: number;
  /**
   * A peak must also be this many times denser than its denser flank: with thousands of
   * values a merely curved background (a steep decay) is "significant" but no cluster.
   */
  minContrast: number;
}

export interface DensityPeak {
  /** members are the sample's distinct values[from] .. values[to - 1] */
  from: number;
  to: number;
  /** ln of the (upper bound of the) Poisson tail probability of the window count */
  logP: number;
  /** expected count of the smooth background in the window */
  background: number;
}

export function windowHalfWidth(x: number, o: DensityPeakOptions): number {
  return Math.max(o.minHalfWidth, o.relativeHalfWidth * x);
}

/**
 * Significant, non-overlapping peaks of a weighted sample (lib/analysis/weighted.ts: distinct
 * values ascending, each with its count), most significant first. Windows start at each
 * distinct value; counts are sums of weights. O(n) pointer sweep plus O(peaks log peaks).
 */
export function densityPeaks(sample: WeightedSample, o: DensityPeakOptions): DensityPeak[] {
  const { values, cum } = sample;
  const n = sample.total;
  const m = values.length;
  if (n < o.minCount) return [];
  const logRange = Math.log(o.rangeMax / o.rangeMin);
  const windows = Math.max(1, logRange / (2 * o.relativeHalfWidth));
  const threshold = Math.log(o.alpha / windows);
  const F = o.flankWidths;

  const runs: DensityPeak[] = [];
  let best: DensityPeak | null = null;
  let lastPassing = -2;
  let end = 0; // first index with value > window end
  let leftStart = 0; // first index with value ≥ left flank start
  let rightEnd = 0; // first index with value > right flank end
  for (let i = 0; i < m; i++) {
    const x = values[i];
    const W = 2 * windowHalfWidth(x, o);
    if (end < i) end = i;
    while (end < m && values[end] <= x + W) end++;
    const count = cum[end] - cum[i];
    if (count < o.minCount) continue;
    while (leftStart < i && values[leftStart] < x - F * W) leftStart++;
    if (rightEnd < end) rightEnd = end;
    while (rightEnd < m && values[rightEnd] <= x + (F + 1) * W) rightEnd++;
    const left = cum[i] - cum[leftStart];
    const right = cum[rightEnd] - cum[end];
    // 0.5 pseudo-members per flank: an empty flank is weak evidence of an empty background.
    const local = (Math.max(left, right) + 0.5) / F;
    if (count < o.minContrast * local) continue;
    const floor = (n * Math.log((x + W) / x)) / logRange;
    const background = Math.max(local, floor);
    const logP = logPoissonTail(count, background);
    if (logP >= threshold) continue;
    const candidate: DensityPeak = { from: i, to: end, logP, background };
    // Consecutive passing windows belong to the same peak: keep the most significant one.
    // (Consecutive distinct values, and overlapping: one value may hold a whole cluster.)
    if (best !== null && i - lastPassing <= 1 && x <= values[lastPassing] + 2 * windowHalfWidth(values[lastPassing], o)) {
      if (logP < best.logP) best = candidate;
    } else {
      if (best) runs.push(best);
      best = candidate;
    }
    lastPassing = i;
  }
  if (best) runs.push(best);

  runs.sort((a, b) => a.logP - b.logP);
  const accepted: DensityPeak[] = [];
  for (const run of runs) {
    const lo = values[run.from];
    const hi = values[run.to - 1];
    const margin = 2 * windowHalfWidth(hi, o);
    const overlaps = accepted.some((p) => lo <= values[p.to - 1] + margin && hi >= values[p.from] - margin);
    if (!overlaps) accepted.push(run);
  }
  return accepted;
}

/**
 * Re-centres a peak on its median twice (a window scan starts windows at a member, so the
 * first window is skewed to the right) and returns the member index range of a window of
 * ±halfWidth around that centre.
 */
export function centrePeak(sample: WeightedSample, peak: DensityPeak, o: DensityPeakOptions): { centre: number; from: number; to: number } {
  const { values } = sample;
  let from = peak.from;
  let to = peak.to;
  let centre = weightedMedian(sliceIndexes(sample, from, to));
  for (let round = 0; round < 2; round++) {
    const h = windowHalfWidth(centre, o);
    from = lowerBound(values, centre - h);
    to = upperBound(values, centre + h);
    if (to <= from) break;
    centre = weightedMedian(sliceIndexes(sample, from, to));
  }
  return { centre, from, to };
}

/** The sub-sample of distinct values [from, to). */
export function sliceIndexes(s: WeightedSample, from: number, to: number): WeightedSample {
  const values = s.values.subarray(from, to);
  const weights = s.weights.subarray(from, to);
  const cum = new Float64Array(values.length + 1);
  for (let i = 0; i < values.length; i++) cum[i + 1] = cum[i] + weights[i];
  return { values, weights, cum, total: cum[values.length] };
}
