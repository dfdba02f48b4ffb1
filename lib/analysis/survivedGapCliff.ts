/**
 * The cliff of survived idle gaps. Behind a middlebox that silently forgets idle flows after
 * T seconds, no connection survives an idle gap longer than T while shorter gaps are survived
 * as usual: the per-session longest survived gap (`maxIdleS`) piles up below T and stops
 * there. Two look-alikes are not cliffs:
 * - the server's long-poll hold: every empty long-poll lasts exactly the hold, so survived
 *   gaps stop at a spike of equal values with few just below it (`capped`);
 * - the natural end of a tail: with frequent data the longest gaps just thin out. In the top
 *   quarter below the maximum, a cliff leaves a flat (or rising) density, a tail a decaying
 *   one: `sharp` asks the likelihood ratio of "uniform up to the maximum" against
 *   "exponential tail" on those exceedances to favour the cliff clearly.
 * The largest survived gap is a lower bound on T; we add the mean spacing of the top values
 * (the expected shortfall of a sample maximum under a locally flat density), capped at 2 %.
 */
import { logPoissonTail } from "./statistics";
import { topValues, type WeightedSample } from "./weighted";

export interface SurvivedGapCliff {
  /** estimated idle timeout */
  timeoutS: number;
  /** the longest idle gap any of these connections survived */
  maxSurvivedS: number;
  /** sessions that reported a survived gap */
  sessions: number;
  /** sessions in the top quarter below the maximum */
  topSessions: number;
  /** ln likelihood ratio, uniform-to-the-cliff versus exponential tail, on the top quarter */
  cliffLogRatio: number;
  /** a spike of (nearly) equal values at the top: a hold time, not a middlebox */
  capped: boolean;
  /** survived gaps press against the top rather than thinning out toward it */
  sharp: boolean;
}

const TOP_SPACINGS = 4;
const MAX_CORRECTION = 0.02;
/** values within this fraction of the maximum (at least 1 s: reports in whole seconds) count as "equal" (hold + RTT) */
const TIE = 0.0005;
/** a spike of ties this improbable under the density around it is a hold */
const SPIKE_P = 0.02;
/** the density the spike is compared with is read from this many tie-widths below it */
const BELOW_WIDTHS = 9;
const TOP_BAND = 0.25;
const MIN_TOP_SESSIONS = 10;
/**
 * e⁸ ≈ 3000 : 1 for a cliff. In simulated fleets the natural tails of healthy sites with
 * frequent data stayed below 4, real cliffs above 30 (with their usual hundred-plus sessions).
 */
const MIN_CLIFF_LOG_RATIO = 8;

/** Cliff of the survived gaps (a weighted sample of maxIdleS values); null when fewer than `minSessions` report one. */
export function survivedGapCliff(sample: WeightedSample, minSessions = 5): SurvivedGapCliff | null {
  const { values, weights } = sample;
  const n = sample.total;
  if (n < minSessions) return null;
  const top = values[values.length - 1];
  const k = Math.min(TOP_SPACINGS, n - 1);
  const largest = topValues(sample, k + 1);
  const spacing = k > 0 ? (top - largest[k]) / k : 0;
  const floor = (1 - TOP_BAND) * top;
  const tie = Math.max(TIE * top, 1);
  let topSessions = 0;
  let exceedance = 0;
  let ties = 0;
  let justBelow = 0;
  for (let i = values.length - 1; i >= 0 && values[i] >= floor; i--) {
    const w = weights[i];
    topSessions += w;
    exceedance += w * (values[i] - floor);
    // Strictly above: survived gaps are kept in whole seconds, and the bin below the top is not a tie.
    if (values[i] > top - tie) ties += w;
    else if (values[i] > top - (BELOW_WIDTHS + 1) * tie) justBelow += w;
  }
  // m·(1 + ln(mean/max)): uniform-on-[0, max] versus exponential MLE log-likelihoods.
  const meanExceedance = exceedance / topSessions;
  const cliffLogRatio =
    meanExceedance > 0 ? topSessions * (1 + Math.log(meanExceedance / (top - floor))) : 0;
  return {
    timeoutS: top + Math.min(spacing, MAX_CORRECTION * top),
    maxSurvivedS: top,
    sessions: n,
    topSessions,
    cliffLogRatio,
    // A hold piles sessions onto one value; a cliff spreads them as densely as just below
    // (or across the band). The maximum itself is always a tie, so the others are tested.
    capped:
      ties >= 3 &&
      logPoissonTail(ties - 1, Math.max(justBelow / BELOW_WIDTHS, (topSessions * tie) / (top - floor))) < Math.log(SPIKE_P),
    sharp: topSessions >= MIN_TOP_SESSIONS && cliffLogRatio >= MIN_CLIFF_LOG_RATIO,
  };
}
