import { expect, test } from "vitest";
import { grainsWithin, rangePieces } from "@/lib/queries/range-pieces";
import { rng } from "../../helpers/random";

const GRAINS = [60, 900, 3600, 86400];
const T0 = Date.UTC(2026, 10, 20);
const H = 3_600_000;

test("a week from a ragged start: raw, then ever coarser grains, then finer ones, then raw", () => {
  const from = T0 + 10 * H + 7 * 60_000 + 1234;
  const to = from + 7 * 24 * H;
  expect(rangePieces({ from, to }, GRAINS).map((p) => [p.grainS, (p.to - p.from) / 1000])).toEqual([
    [null, 60 - 1.234],
    [60, 7 * 60],
    [900, 3 * 900],
    [3600, 13 * 3600],
    [86400, 6 * 86400],
    [3600, 10 * 3600],
    [60, 7 * 60],
    [null, 1.234],
  ]);
});

test("pieces tile the range exactly, each rollup piece is whole buckets of its grain, raw pieces are short", () => {
  const r = rng(42);
  for (let i = 0; i < 2000; i++) {
    const from = T0 + r.int(0, 30 * 24 * H);
    const to = from + r.pick([1, 59_999, 60_000, 3 * H, 24 * H, 30 * 24 * H]) + r.int(0, 1000) * r.pick([0, 1, 60_000]);
    const grains = r.pick([GRAINS, [3600, 86400], [60, 900]]);
    const pieces = rangePieces({ from, to }, grains);
    expect(pieces[0].from).toBe(from);
    expect(pieces[pieces.length - 1].to).toBe(to);
    for (let k = 1; k < pieces.length; k++) expect(pieces[k].from).toBe(pieces[k - 1].to);
    for (const p of pieces) {
      expect(p.to).toBeGreaterThan(p.from);
      // at either end less than one finest bucket; both ends merge when no whole bucket lies between
      if (p.grainS === null) expect(p.to - p.from).toBeLessThan(2 * Math.min(...grains) * 1000);
      else {
        expect(p.from % (p.grainS * 1000)).toBe(0);
        expect((p.to - p.from) % (p.grainS * 1000)).toBe(0);
      }
    }
    expect(pieces.filter((p) => p.grainS === null).length).toBeLessThanOrEqual(2);
  }
});

test("no grains or an empty range", () => {
  expect(rangePieces({ from: 5, to: 10 }, [])).toEqual([{ from: 5, to: 10, grainS: null }]);
  expect(rangePieces({ from: 10, to: 10 }, GRAINS)).toEqual([]);
});

test("a chart's bucket size admits only grains that divide it", () => {
  expect(grainsWithin(GRAINS, 300)).toEqual([60]);
  expect(grainsWithin(GRAINS, 900)).toEqual([60, 900]);
  expect(grainsWithin(GRAINS, 21_600)).toEqual([60, 900, 3600]);
  expect(grainsWithin(GRAINS, 86_400)).toEqual(GRAINS);
  expect(grainsWithin(GRAINS, undefined)).toEqual(GRAINS);
});
