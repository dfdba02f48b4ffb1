import { expect, test } from "vitest";
import { logBins } from "@/lib/queries/site-durations";

test("log bins cover every value, are contiguous and keep empty bins", () => {
  const values = [0.2, 1, 59, 61, 900, 901, 905, 3600];
  const bins = logBins(values);
  expect(bins.reduce((n, b) => n + b.count, 0)).toBe(values.length);
  expect(bins[0]).toEqual({ fromS: 0, toS: 1, count: 1 });
  for (let i = 1; i < bins.length; i++) expect(bins[i].fromS).toBe(bins[i - 1].toS);
  expect(bins.some((b) => b.count === 0)).toBe(true);
  const at900 = bins.find((b) => b.fromS <= 900 && 900 < b.toS)!;
  expect(at900.count).toBe(3);
  expect(bins.at(-1)!.toS).toBeGreaterThan(3600);
});

test("no values, no bins", () => expect(logBins([])).toEqual([]));
