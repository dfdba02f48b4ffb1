/** Small robust statistics shared by the detectors. Inputs are never mutated. */

/** Median of an ascending-sorted array (NaN when empty). */
export function sortedMedian(sorted: ArrayLike<number>): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function median(values: ArrayLike<number>): number {
  // Typed-array sort is numeric and several times faster than Array#sort with a comparator.
  return sortedMedian(Float64Array.from(values).sort());
}

/** Linear-interpolated quantile of an ascending-sorted array, q in [0, 1]. */
export function sortedQuantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const pos = Math.min(n - 1, Math.max(0, q * (n - 1)));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Median absolute deviation scaled to estimate a normal standard deviation. */
export function robustSpread(values: ArrayLike<number>, centre: number): number {
  if (values.length < 2) return 0;
  return 1.4826 * median(Float64Array.from(values, (v) => Math.abs(v - centre)));
}

/** Lanczos approximation of ln Γ(x), x > 0; accurate to ~1e-13, plenty for tail tests. */
export function logGamma(x: number): number {
  const g = 7;
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
    1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0];
  const t = z + g + 0.5;
  for (let i = 1; i < g + 2; i++) a += c[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * Upper bound on ln P(X ≥ k) for X ~ Poisson(λ).
 * For k > λ the terms after pmf(k) shrink at least geometrically by λ/(k+1), so the tail is
 * at most pmf(k)/(1 − λ/(k+1)); the bound is tight where it matters (k ≫ λ) and O(1) to
 * evaluate, which keeps a window scan over a million drops cheap. Below that it is summed
 * exactly for small λ and taken as 1 (ln 0) for large λ, where the tail is near one half or more.
 */
export function logPoissonTail(k: number, lambda: number): number {
  if (k <= 0) return 0;
  if (lambda <= 0) return Number.NEGATIVE_INFINITY;
  if (k <= lambda + 1) {
    // Near or below the mean the tail is large; only small means need it exactly (k = 1 at λ = 0.02).
    if (lambda >= 10) return 0;
    let cdf = 0;
    let pmf = Math.exp(-lambda);
    for (let j = 0; j < k; j++) {
      cdf += pmf;
      pmf *= lambda / (j + 1);
    }
    return Math.log(Math.max(1 - cdf, Number.MIN_VALUE));
  }
  const logPmf = -lambda + k * Math.log(lambda) - logGamma(k + 1);
  const ratio = lambda / (k + 1);
  return Math.min(0, logPmf - Math.log(1 - ratio));
}

/** ln P(X ≥ k) for X ~ Binomial(n, p), summed exactly in log space, one term from the last. */
export function logBinomialTail(k: number, n: number, p: number): number {
  if (k <= 0) return 0;
  if (k > n) return Number.NEGATIVE_INFINITY;
  if (p <= 0) return Number.NEGATIVE_INFINITY;
  if (p >= 1) return 0;
  const odds = Math.log(p / (1 - p));
  let term = logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log(1 - p);
  const first = term;
  let sum = 1;
  for (let j = k; j < n; j++) {
    term += Math.log((n - j) / (j + 1)) + odds;
    sum += Math.exp(term - first);
  }
  // Terms can grow after the first when k is below the mean; sum stays finite for n in the thousands.
  return Math.min(0, first + Math.log(sum));
}

/** [min, max] without spreading (arrays of drops can exceed the argument limit). */
export function extent(values: Iterable<number>): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** First index whose value is ≥ x (sorted ascending). */
export function lowerBound(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose value is > x (sorted ascending). */
export function upperBound(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
