// Kaplan-Meier survival of sessions: the share still alive after t seconds. Sessions that
// are still open, or that the device closed on purpose, are censored: they lasted at least
// that long and say nothing about when the network would have cut them. A middlebox idle
// timeout shows as a cliff at its value.
import type { SurvivalCurve } from "@/lib/api/dashboard-schema";

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
  const sorted = [...observations].sort((a, b) => a.durationS - b.durationS || Number(b.ended) - Number(a.ended));
  const total = sorted.length;
  const ended = sorted.filter((o) => o.ended).length;
  const points: SurvivalCurve["points"] = [{ tS: 0, survival: 1, atRisk: total }];
  let atRisk = total;
  let survival = 1;
  let medianS: number | null = null;
  let lastKept = 1;
  const lastDeathS = sorted.reduce((m, o) => (o.ended ? o.durationS : m), -1);
  for (let i = 0; i < sorted.length; ) {
    const t = sorted[i].durationS;
    let deaths = 0;
    let leaving = 0;
    for (; i < sorted.length && sorted[i].durationS === t; i++, leaving++) if (sorted[i].ended) deaths++;
    if (deaths > 0) {
      const before = atRisk;
      survival *= 1 - deaths / atRisk;
      if (medianS === null && survival <= 0.5) medianS = t;
      if (lastKept - survival >= 1 / maxPoints || t === lastDeathS) {
        points.push({ tS: t, survival: round(survival), atRisk: before });
        lastKept = survival;
      }
    }
    atRisk -= leaving;
  }
  return { points, sessions: total, ended, censored: total - ended, medianS };
}

const round = (x: number) => Math.round(x * 1e5) / 1e5;
