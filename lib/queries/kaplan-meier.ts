// Kaplan-Meier survival of sessions: the share still alive after t seconds. Sessions that
// are still open, or that the device closed on purpose, are censored: they lasted at least
// that long and say nothing about when the network would have cut them. A middlebox idle
// timeout shows as a cliff at its value.
import type { SurvivalCurve } from "@/lib/contract/dashboard";

export interface SurvivalObservation {
  durationS: number;
  /** true: the connection died at durationS; false: censored there */
  ended: boolean;
}

/**
 * Step points at every death time, thinned so that consecutive kept points differ by at
 * least 1/maxPoints in survival (the curve's shape stays; its size stays bounded).
 */
export function kaplanMeier(observations: readonly SurvivalObservation[], maxPoints = 400): SurvivalCurve {
  const deaths: number[] = [];
  const censored: number[] = [];
  for (const o of observations) (o.ended ? deaths : censored).push(o.durationS);
  return kaplanMeierOf(Float64Array.from(deaths), Float64Array.from(censored), maxPoints);
}

/**
 * The same from the death and censoring times themselves (a site's week can be 50,000
 * sessions: typed arrays sort them an order of magnitude faster than objects). Sorts both.
 */
export function kaplanMeierOf(deaths: Float64Array, censored: Float64Array, maxPoints = 400): SurvivalCurve {
  deaths.sort();
  censored.sort();
  const total = deaths.length + censored.length;
  const points: SurvivalCurve["points"] = [{ tS: 0, survival: 1, atRisk: total }];
  let atRisk = total;
  let survival = 1;
  let medianS: number | null = null;
  let lastKept = 1;
  const lastDeathS = deaths.length ? deaths[deaths.length - 1] : -1;
  let [i, j] = [0, 0];
  while (i < deaths.length) {
    const t = deaths[i];
    // Censored before t leave the risk set first; censored at t count as at risk at t.
    for (; j < censored.length && censored[j] < t; j++) atRisk--;
    let dying = 0;
    for (; i < deaths.length && deaths[i] === t; i++) dying++;
    const before = atRisk;
    survival *= 1 - dying / atRisk;
    if (medianS === null && survival <= 0.5) medianS = t;
    if (lastKept - survival >= 1 / maxPoints || t === lastDeathS) {
      points.push({ tS: t, survival: round(survival), atRisk: before });
      lastKept = survival;
    }
    atRisk -= dying;
  }
  return { points, sessions: total, ended: deaths.length, censored: censored.length, medianS };
}

const round = (x: number) => Math.round(x * 1e5) / 1e5;
