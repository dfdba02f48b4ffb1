import { expect, test } from "vitest";
import { bucketSizeS, countSeries, resolveRange } from "@/lib/queries/time-buckets";
import { InvalidQueryError } from "@/lib/queries/invalid-query";

const H = 3_600_000;
const T0 = Date.UTC(2026, 10, 26, 0, 0, 0);

test("bucket sizes come from a ladder of round sizes, at most 100 per chart", () => {
  expect(bucketSizeS({ from: 0, to: H })).toBe(60);
  expect(bucketSizeS({ from: 0, to: 24 * H })).toBe(900);
  expect(bucketSizeS({ from: 0, to: 7 * 24 * H })).toBe(7200);
  expect(bucketSizeS({ from: 0, to: 30 * 24 * H })).toBe(43_200);
});

test("every bucket is present, empty ones as zeros, aligned to UTC multiples; out-of-range items are ignored", () => {
  const range = { from: T0 + 10 * 60_000, to: T0 + 4 * H };
  const s = countSeries(range, [
    { at: T0 + 20 * 60_000, key: "reset" },
    { at: T0 + 25 * 60_000, key: "reset" },
    { at: T0 + 3 * H + 1, key: "timeout" },
    { at: T0 - 1, key: "reset" },
    { at: T0 + 4 * H, key: "reset" },
  ], 3600);
  expect(s.buckets.map((b) => b.t)).toEqual([0, 1, 2, 3].map((h) => new Date(T0 + h * H).toISOString()));
  expect(s.keys).toEqual(["reset", "timeout"]);
  expect(s.buckets.map((b) => b.counts)).toEqual([
    { reset: 2, timeout: 0 },
    { reset: 0, timeout: 0 },
    { reset: 0, timeout: 0 },
    { reset: 0, timeout: 1 },
  ]);
  expect(s.total).toBe(3);
});

test("ranges: defaults end now; empty and too long ranges are refused", () => {
  expect(resolveRange({}, H, T0)).toEqual({ from: T0 - H, to: T0 });
  expect(resolveRange({ to: new Date(T0).toISOString() }, H, 0)).toEqual({ from: T0 - H, to: T0 });
  expect(() => resolveRange({ from: new Date(T0).toISOString(), to: new Date(T0).toISOString() }, H, 0)).toThrow(InvalidQueryError);
  expect(() => resolveRange({ from: new Date(T0 - 100 * 24 * H).toISOString() }, H, T0)).toThrow(/92 days/);
});
