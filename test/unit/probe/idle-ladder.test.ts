import { describe, expect, it } from "vitest";
import { bracketOf, estimateOf, holdMarginS, isTight, ladderUpTo, refinementPoints } from "@/lib/probe/idle-ladder";

describe("ladderUpTo", () => {
  it("keeps the well-known rungs up to --idle-max and ends at it", () => {
    expect(ladderUpTo(3600)).toEqual([30, 60, 120, 240, 350, 600, 900, 1200, 1800, 3600]);
    expect(ladderUpTo(1000)).toEqual([30, 60, 120, 240, 350, 600, 900, 1000]);
    expect(ladderUpTo(10)).toEqual([10]);
  });
  it("never asks the hold endpoint for more than 7200 s", () => {
    expect(ladderUpTo(99_999).at(-1)).toBe(7200);
  });
});

describe("bracketOf / estimateOf", () => {
  it("brackets the timeout between the longest survived and the shortest death", () => {
    const bracket = bracketOf([30, 60, 120], [240, 350]);
    expect(bracket).toEqual({ lowS: 120, highS: 240, inconsistent: false });
    expect(estimateOf(bracket)).toBe(180);
  });
  it("has no estimate when nothing died", () => {
    expect(estimateOf(bracketOf([30, 60], []))).toBeNull();
  });
  it("starts from zero when even the shortest period died", () => {
    expect(bracketOf([], [30])).toEqual({ lowS: 0, highS: 30, inconsistent: false });
  });
  it("flags a survivor above a death, and ignores it for the bracket", () => {
    expect(bracketOf([30, 600], [240])).toEqual({ lowS: 30, highS: 240, inconsistent: true });
  });
});

describe("isTight", () => {
  it("is tight when half the bracket is within 2% of the estimate", () => {
    expect(isTight({ lowS: 888, highS: 900, inconsistent: false })).toBe(true);
    expect(isTight({ lowS: 840, highS: 900, inconsistent: false })).toBe(false);
  });
  it("is tight when nothing died (there is nothing to refine)", () => {
    expect(isTight({ lowS: 3600, highS: null, inconsistent: false })).toBe(true);
  });
});

describe("refinementPoints", () => {
  it("spreads whole seconds evenly inside a wide bracket", () => {
    expect(refinementPoints({ lowS: 600, highS: 900, inconsistent: false }, 4)).toEqual([660, 720, 780, 840]);
  });
  it("uses hundredths for second-scale brackets", () => {
    expect(refinementPoints({ lowS: 2, highS: 4, inconsistent: false }, 4)).toEqual([2.4, 2.8, 3.2, 3.6]);
  });
  it("stays at or above the hold endpoint's 1 s minimum", () => {
    expect(refinementPoints({ lowS: 0, highS: 2, inconsistent: false }, 4).every((p) => p >= 1)).toBe(true);
  });
});

describe("holdMarginS", () => {
  it("allows 10% of the hold, between 2 and 30 s", () => {
    expect(holdMarginS(1)).toBe(2);
    expect(holdMarginS(120)).toBe(12);
    expect(holdMarginS(3600)).toBe(30);
  });
});
