// How a rollup answers a time range: whole buckets of its grains (the coarsest that fit, each
// aligned to UTC multiples of its length, as the database's triggers bucket them), and the
// raw remainder at either end, shorter than the finest grain, read from the rows themselves.
import type { TimeRange } from "./time-buckets";

export interface RangePiece {
  from: number;
  to: number;
  /** the rollup grain in seconds whose buckets tile [from, to); null: read the raw rows */
  grainS: number | null;
}

export function rangePieces(range: TimeRange, grainsS: readonly number[]): RangePiece[] {
  if (!(range.from < range.to)) return [];
  if (!grainsS.length) return [{ ...range, grainS: null }];
  const grains = [...grainsS].sort((a, b) => b - a);
  const finestMs = grains[grains.length - 1] * 1000;
  const pieces: RangePiece[] = [];
  const push = (from: number, to: number, grainS: number | null) => {
    const last = pieces[pieces.length - 1];
    if (last && last.grainS === grainS && last.to === from) last.to = to;
    else pieces.push({ from, to, grainS });
  };
  for (let at = range.from; at < range.to; ) {
    const grainS = grains.find((g) => at % (g * 1000) === 0 && at + g * 1000 <= range.to);
    if (grainS !== undefined) {
      push(at, at + grainS * 1000, grainS);
      at += grainS * 1000;
    } else {
      const next = Math.min(range.to, Math.floor(at / finestMs) * finestMs + finestMs);
      push(at, next, null);
      at = next;
    }
  }
  return pieces;
}

/** The grains whose buckets never straddle a boundary of `alignS`-second buckets. */
export function grainsWithin(grainsS: readonly number[], alignS: number | undefined): number[] {
  return alignS === undefined ? [...grainsS] : grainsS.filter((g) => g <= alignS && alignS % g === 0);
}
