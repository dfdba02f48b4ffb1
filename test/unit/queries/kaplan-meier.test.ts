import { expect, test } from "vitest";
import { kaplanMeier } from "@/lib/queries/kaplan-meier";
import { rng } from "../../helpers/random";

test("textbook example: deaths step the curve down by d/n; censored ones only leave the risk set", () => {
  // durations 1 2+ 3 3 4+ 5 (+ = censored)
  const curve = kaplanMeier([
    { durationS: 1, ended: true },
    { durationS: 2, ended: false },
    { durationS: 3, ended: true },
    { durationS: 3, ended: true },
    { durationS: 4, ended: false },
    { durationS: 5, ended: true },
  ]);
  expect(curve.points[0]).toEqual({ tS: 0, survival: 1, atRisk: 6 });
  const at = (t: number) => curve.points.find((p) => p.tS === t)!;
  expect(at(1).survival).toBeCloseTo(5 / 6, 4);
  expect(at(3).survival).toBeCloseTo((5 / 6) * (1 - 2 / 4), 4);
  expect(at(3).atRisk).toBe(4);
  expect(at(5).survival).toBe(0);
  expect(curve).toMatchObject({ sessions: 6, ended: 4, censored: 2, medianS: 3 });
});

test("an idle-timeout cliff: most sessions die at 900 s, open ones are censored", () => {
  const observations = [
    ...Array.from({ length: 90 }, (_, i) => ({ durationS: 900 + (i % 4), ended: true })),
    ...Array.from({ length: 10 }, (_, i) => ({ durationS: 100 + i * 50, ended: false })),
  ];
  const curve = kaplanMeier(observations);
  const before = curve.points.filter((p) => p.tS < 900).at(-1)!;
  const after = curve.points.at(-1)!;
  expect(before.survival).toBe(1);
  expect(after.survival).toBe(0);
  expect(curve.medianS).toBeGreaterThanOrEqual(900);
  expect(curve.medianS).toBeLessThan(904);
});

test("thinning keeps the curve bounded and its end exact", () => {
  const observations = Array.from({ length: 20_000 }, (_, i) => ({ durationS: i + 1, ended: i % 3 !== 0 }));
  const curve = kaplanMeier(observations, 100);
  expect(curve.points.length).toBeLessThanOrEqual(102);
  for (let i = 1; i < curve.points.length; i++) expect(curve.points[i].survival).toBeLessThanOrEqual(curve.points[i - 1].survival);
  expect(curve.points.at(-1)!.tS).toBe(20_000);
});

test("no sessions: a flat curve at 1 with no median", () => {
  expect(kaplanMeier([])).toEqual({ points: [{ tS: 0, survival: 1, atRisk: 0 }], sessions: 0, ended: 0, censored: 0, medianS: null });
});

test("matches the textbook product-limit estimate on random data with ties", () => {
  const r = rng(3);
  for (let round = 0; round < 50; round++) {
    const observations = Array.from({ length: r.int(1, 300) }, () => ({ durationS: r.int(1, 40) * r.pick([1, 0.5, 60]), ended: r.chance(0.7) }));
    const curve = kaplanMeier(observations, 1e12);
    const times = [...new Set(observations.filter((o) => o.ended).map((o) => o.durationS))].sort((a, b) => a - b);
    let survival = 1;
    const expected = [{ tS: 0, survival: 1, atRisk: observations.length }];
    for (const t of times) {
      const atRisk = observations.filter((o) => o.durationS >= t).length;
      survival *= 1 - observations.filter((o) => o.ended && o.durationS === t).length / atRisk;
      expected.push({ tS: t, survival: Math.round(survival * 1e5) / 1e5, atRisk });
    }
    expect(curve.points).toEqual(expected);
    expect(curve.ended + curve.censored).toBe(observations.length);
  }
});
