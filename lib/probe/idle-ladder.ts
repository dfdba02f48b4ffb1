/**
 * The arithmetic of the idle-timeout measurement, free of I/O: which idle periods to try,
 * what the tries say about the timeout, and where to look next.
 *
 * A middlebox idle timeout T kills every connection idle for longer than T and spares the
 * shorter ones, so the tries split into survived (< T) and died (≥ T). The bracket is
 * (longest survived below the shortest death, shortest death]; refinement rounds try a few
 * evenly spaced values inside it until it is tight.
 */

/** Rungs at well-known middlebox defaults (DOMAIN.md), so a cliff at one is bracketed tightly. */
export const DEFAULT_LADDER_S = [30, 60, 120, 240, 350, 600, 900, 1200, 1800, 3600];

/** The hold endpoint accepts 1–7200 s. */
export const MAX_HOLD_S = 7200;

export function ladderUpTo(idleMaxS: number, ladder: readonly number[] = DEFAULT_LADDER_S): number[] {
  const max = Math.min(idleMaxS, MAX_HOLD_S);
  const rungs = ladder.filter((rung) => rung > 0 && rung <= max);
  if (rungs.length === 0 || rungs[rungs.length - 1] < max) rungs.push(max);
  return [...new Set(rungs)].sort((a, b) => a - b);
}

export interface Bracket {
  /** Longest idle period survived below `highS` (0 when none was). */
  lowS: number;
  /** Shortest idle period that killed the connection, or null when none did. */
  highS: number | null;
  /** A try survived a period at or above one that killed another: the path is not a clean cliff. */
  inconsistent: boolean;
}

export function bracketOf(survivedS: readonly number[], diedS: readonly number[]): Bracket {
  const highS = diedS.length > 0 ? Math.min(...diedS) : null;
  const below = highS === null ? [...survivedS] : survivedS.filter((s) => s < highS);
  const lowS = below.length > 0 ? Math.max(...below) : 0;
  const inconsistent = highS !== null && survivedS.some((s) => s >= highS);
  return { lowS, highS, inconsistent };
}

/** Midpoint of the bracket: the timeout lies in (lowS, highS]. Null when nothing died. */
export function estimateOf(bracket: Bracket): number | null {
  if (bracket.highS === null) return null;
  return roundS((bracket.lowS + bracket.highS) / 2);
}

/**
 * Tight enough when the estimate's error (half the bracket) is at most `relative` of it, or
 * below `absoluteS` — finer than that the path's own jitter dominates.
 */
export function isTight(bracket: Bracket, relative = 0.02, absoluteS = 0.1): boolean {
  if (bracket.highS === null) return true;
  const halfWidth = (bracket.highS - bracket.lowS) / 2;
  const estimate = (bracket.lowS + bracket.highS) / 2;
  return halfWidth <= Math.max(relative * estimate, absoluteS);
}

/**
 * `count` evenly spaced idle periods strictly inside the bracket, never below the hold minimum
 * of 1 s. Whole seconds whenever the spacing allows (what a real path needs); hundredths only
 * for the second-scale timeouts of tests and labs.
 */
export function refinementPoints(bracket: Bracket, count: number): number[] {
  if (bracket.highS === null) return [];
  const { lowS, highS } = bracket;
  const step = (highS - lowS) / (count + 1);
  const points: number[] = [];
  for (let i = 1; i <= count; i += 1) {
    const point = step >= 2 ? Math.round(lowS + step * i) : roundS(lowS + step * i);
    if (point >= 1 && point > lowS && point < highS) points.push(point);
  }
  return [...new Set(points)];
}

/** Deadline slack for a try held N seconds: round trips and a busy server, not more. */
export function holdMarginS(afterS: number): number {
  return Math.min(30, Math.max(2, afterS * 0.1));
}

function roundS(seconds: number): number {
  return Math.round(seconds * 100) / 100;
}
