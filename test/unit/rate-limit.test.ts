import { expect, test } from "vitest";
import { TokenBuckets } from "@/lib/api/rate-limit";

test("a key may burst, then waits; other keys are unaffected; tokens refill", () => {
  const buckets = new TokenBuckets(2, 4);
  const t = 1_000_000;
  for (let i = 0; i < 4; i++) expect(buckets.take("a", t)).toBe(0);
  expect(buckets.take("a", t)).toBe(1);
  expect(buckets.take("b", t)).toBe(0);
  expect(buckets.take("a", t + 500)).toBe(0);
  expect(buckets.take("a", t + 500)).toBeGreaterThan(0);
});
