// Login throttling: the rule as a pure function over failure times and an injected clock,
// then the table-backed functions against a real SQLite file.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { LOGIN_LIMITS, clearLoginFailures, loginThrottle, recordLoginFailure, throttleVerdict } from "@/lib/auth/throttle";
import { sqliteTestDb, type TestDb } from "../../helpers/test-db";

const MIN = 60_000;
const T = Date.parse("2026-11-26T10:00:00Z");
const times = (...minutesAgo: number[]) => minutesAgo.map((m) => T - m * MIN);

describe("throttleVerdict", () => {
  test("fewer than 5 account failures in 15 minutes: allowed", () => {
    expect(throttleVerdict({ email: times(1, 2, 3, 4), ip: [] }, T)).toEqual({ allowed: true });
  });
  test("the 5th failure blocks until the oldest leaves the window", () => {
    expect(throttleVerdict({ email: times(10, 4, 3, 2, 1), ip: [] }, T)).toEqual({ allowed: false, retryAfterS: 5 * 60 });
  });
  test("failures older than the window do not count", () => {
    expect(throttleVerdict({ email: times(16, 15, 3, 2, 1), ip: [] }, T)).toEqual({ allowed: true });
  });
  test("with more than the limit, the wait is until only limit-1 remain", () => {
    // 7 failures: the attempt may happen once 3 of them have expired (the one 12 min ago).
    expect(throttleVerdict({ email: times(14, 13, 12, 3, 2, 1, 0), ip: [] }, T)).toEqual({ allowed: false, retryAfterS: 3 * 60 });
  });
  test("20 failures from one address block it whatever the account", () => {
    const ip = times(...Array.from({ length: 20 }, (_, i) => i * 0.5));
    expect(throttleVerdict({ email: [], ip }, T)).toEqual({ allowed: false, retryAfterS: Math.ceil((15 * MIN - 9.5 * MIN) / 1000) });
    expect(throttleVerdict({ email: [], ip: ip.slice(1) }, T)).toEqual({ allowed: true });
  });
  test("the longer of the two waits wins; a wait is at least a second", () => {
    const v = throttleVerdict({ email: times(14, 1, 1, 1, 1), ip: times(...Array.from({ length: 20 }, () => 2)) }, T);
    expect(v).toEqual({ allowed: false, retryAfterS: 13 * 60 });
    expect(throttleVerdict({ email: [T - 15 * MIN + 1, T, T, T, T], ip: [] }, T)).toEqual({ allowed: false, retryAfterS: 1 });
  });
  test("limits are parameters", () => {
    expect(throttleVerdict({ email: times(1), ip: [] }, T, { ...LOGIN_LIMITS, perEmail: 1 })).toEqual({ allowed: false, retryAfterS: 14 * 60 });
  });
});

describe("LoginFailure table", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await sqliteTestDb();
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  test("recorded failures throttle; success clears the account, not the address", async () => {
    const at = (m: number) => new Date(T + m * MIN);
    for (let i = 0; i < 5; i++) await recordLoginFailure(t.db, "ada@example.com", "10.0.0.1", at(i));
    expect(await loginThrottle(t.db, "ada@example.com", "10.0.0.9", at(5))).toEqual({ allowed: false, retryAfterS: 10 * 60 });
    expect(await loginThrottle(t.db, "ada@example.com", "10.0.0.9", at(15.01))).toEqual({ allowed: true });
    expect(await loginThrottle(t.db, "bob@example.com", "10.0.0.1", at(5))).toEqual({ allowed: true });
    await clearLoginFailures(t.db, "ada@example.com");
    expect(await loginThrottle(t.db, "ada@example.com", null, at(5))).toEqual({ allowed: true });
    expect(await t.db.prisma.loginFailure.count({ where: { ip: "10.0.0.1" } })).toBe(0);
  });

  test("old failures are pruned when new ones are recorded", async () => {
    await recordLoginFailure(t.db, "old@example.com", null, new Date(T));
    await recordLoginFailure(t.db, "new@example.com", null, new Date(T + 20 * MIN));
    expect(await t.db.prisma.loginFailure.findMany({ select: { email: true } })).toEqual([{ email: "new@example.com" }]);
  });
});
