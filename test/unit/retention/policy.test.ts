import { describe, expect, it } from "vitest";
import { rawWindowStart, reachesPast, retentionPolicy } from "@/lib/db/retention";
import { compactHeartbeats } from "@/lib/retention/compact";

const DAY = 86_400_000;

describe("retentionPolicy", () => {
  it("keeps raw events 14 days and sessions 90 by default; 0 keeps forever", () => {
    expect(retentionPolicy({})).toEqual({ rawDays: 14, sessionDays: 90 });
    expect(retentionPolicy({ LINKSCOPE_RAW_RETENTION_DAYS: "30" })).toEqual({ rawDays: 30, sessionDays: 90 });
    expect(retentionPolicy({ LINKSCOPE_RAW_RETENTION_DAYS: "0", LINKSCOPE_SESSION_RETENTION_DAYS: "0" })).toEqual({ rawDays: null, sessionDays: null });
  });

  it("refuses values that would break the analyses or the sessions, in plain words", () => {
    expect(() => retentionPolicy({ LINKSCOPE_RAW_RETENTION_DAYS: "3" })).toThrow(/at least 8/);
    expect(() => retentionPolicy({ LINKSCOPE_RAW_RETENTION_DAYS: "two weeks" })).toThrow(/LINKSCOPE_RAW_RETENTION_DAYS must be a whole number/);
    expect(() => retentionPolicy({ LINKSCOPE_RAW_RETENTION_DAYS: "30", LINKSCOPE_SESSION_RETENTION_DAYS: "20" })).toThrow(/at least LINKSCOPE_RAW_RETENTION_DAYS/);
    expect(() => retentionPolicy({ LINKSCOPE_RAW_RETENTION_DAYS: "0" })).toThrow(/at least LINKSCOPE_RAW_RETENTION_DAYS/);
  });

  it("accepts events from the later of the window and what was purged", () => {
    const now = 100 * DAY;
    expect(rawWindowStart({ rawDays: 14, sessionDays: 90 }, 0, now)).toBe(86 * DAY);
    expect(rawWindowStart({ rawDays: 30, sessionDays: 90 }, 86 * DAY, now)).toBe(86 * DAY); // raised after a purge: what is gone stays refused
    expect(rawWindowStart({ rawDays: null, sessionDays: null }, 0, now)).toBe(Number.NEGATIVE_INFINITY);
    expect([reachesPast(0, undefined), reachesPast(5, undefined), reachesPast(5, 4), reachesPast(5, 5)]).toEqual([false, true, true, false]);
  });
});

describe("compactHeartbeats", () => {
  it("one row per site and hour, with the longest silence and the round-trip percentiles", () => {
    const h = 3_600_000;
    const beat = (at: number, data: object, siteId: number | null = 1) => ({ siteId, at, data: JSON.stringify(data) });
    const rows = compactHeartbeats([
      beat(h + 0, { rttMs: 10, intervalS: 60 }),
      beat(h + 60_000, { rttMs: 30 }),
      beat(h + 600_000, { rttMs: 20, intervalS: 120 }),
      beat(2 * h + 5_000, {}, null),
    ]);
    expect(rows).toEqual([
      { siteId: 1, hour: h, count: 3, firstAt: h, lastAt: h + 600_000, maxGapS: 540, maxGapAt: h + 60_000, intervalS: 120, rttCount: 3, rttP50Ms: 20, rttP95Ms: 29, rttMaxMs: 30 },
      { siteId: 0, hour: 2 * h, count: 1, firstAt: 2 * h + 5_000, lastAt: 2 * h + 5_000, maxGapS: 0, maxGapAt: 2 * h + 5_000, intervalS: null, rttCount: 0, rttP50Ms: null, rttP95Ms: null, rttMaxMs: null },
    ]);
  });
});
