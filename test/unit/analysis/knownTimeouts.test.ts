import { describe, expect, it } from "vitest";
import {
  idleTimeoutRecommendation,
  idleTimeoutSeverity,
  keepAliveBelow,
  snapIdleTimeout,
} from "../../../lib/analysis/knownTimeouts";
import { humanDuration } from "../../../lib/analysis/findingText";

describe("snapping to well-known idle timeouts", () => {
  it.each([
    [903, 900],
    [890, 900],
    [60, 60],
    [69, 60],
    [3700, 3600],
    [7430, 7440],
    [7210, 7200],
    [352, 350],
    [1767, 1800],
  ])("snaps %d s to %d s", (measured, known) => {
    expect(snapIdleTimeout(measured).knownTimeoutS).toBe(known);
  });

  it.each([1000, 420, 71, 1500, 2700, 5400, 3720, 345 - 10])("leaves %d s unnamed", (measured) => {
    expect(snapIdleTimeout(measured)).toEqual({ knownAs: null, knownTimeoutS: null });
  });

  it("uses max(10 s, 3 %) as the tolerance", () => {
    expect(snapIdleTimeout(110).knownTimeoutS).toBe(120);
    expect(snapIdleTimeout(109).knownTimeoutS).toBeNull();
    expect(snapIdleTimeout(3708).knownTimeoutS).toBe(3600);
    expect(snapIdleTimeout(3709).knownTimeoutS).toBeNull();
  });

  it("names the defaults DOMAIN.md lists", () => {
    expect(snapIdleTimeout(900).knownAs).toBe("15-minute firewall idle timeout");
    expect(snapIdleTimeout(350).knownAs).toContain("AWS NAT Gateway");
    expect(snapIdleTimeout(240).knownAs).toContain("Azure");
    expect(snapIdleTimeout(7440).knownAs).toContain("RFC 5382");
  });
});

describe("advice", () => {
  it("keeps heartbeats at most 0.45 × the timeout", () => {
    expect(keepAliveBelow(900)).toBe(405);
    expect(keepAliveBelow(60)).toBe(27);
    expect(idleTimeoutRecommendation(900)).toContain("at most 405 s (0.45 × 900 s)");
  });

  it("asks IT for more than 10 minutes below the platform minimum, critical", () => {
    expect(idleTimeoutRecommendation(350)).toContain("Or ask IT to raise the idle timeout above 10 minutes");
    expect(idleTimeoutSeverity(350)).toBe("critical");
    expect(idleTimeoutSeverity(599)).toBe("critical");
  });

  it("above 10 minutes asks for more than the long-poll hold, warning", () => {
    expect(idleTimeoutRecommendation(1800)).toContain("above the longest long-poll the devices hold");
    expect(idleTimeoutSeverity(600)).toBe("warning");
    expect(idleTimeoutSeverity(3600)).toBe("warning");
  });

  it("says durations the way people do", () => {
    expect(humanDuration(45)).toBe("45 s");
    expect(humanDuration(900)).toBe("15 min");
    expect(humanDuration(1000)).toBe("16.7 min");
    expect(humanDuration(7440)).toBe("2 h 4 min");
  });
});
