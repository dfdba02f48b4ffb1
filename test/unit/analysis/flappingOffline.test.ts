import { describe, expect, it } from "vitest";
import { detectFlapping } from "../../../lib/analysis/flapping";
import { detectOffline } from "../../../lib/analysis/offline";
import type { HeartbeatSummary, SessionRecord } from "../../../lib/analysis/types";
import { DAY, HOUR, NOW, Rng, session } from "./builders";

/** `perDay` reconnects of one device spread over the last day. */
function reconnects(rng: Rng, device: string, perDay: number, site = "hamburg"): SessionRecord[] {
  return Array.from({ length: perDay }, (_, i) => {
    const end = NOW - (i + rng.next()) * (DAY / perDay);
    return session({ device, site, start: end - 120_000, end, endReason: "reset", idleS: rng.uniform(1, 100) });
  });
}

describe("flapping", () => {
  const rng = new Rng(41);
  const calm = Array.from({ length: 30 }, (_, i) => reconnects(rng, `hamburg-d${i}`, 2)).flat();

  it("flags a device reconnecting far more often than the fleet", () => {
    const findings = detectFlapping([...calm, ...reconnects(rng, "hamburg-bad", 96)], NOW, new Set());
    expect(findings).toHaveLength(1);
    expect(findings[0].scope).toBe("device");
    expect(findings[0].device).toBe("hamburg-bad");
    expect(findings[0].evidence.reconnectsPerHour).toBe(4);
    expect(findings[0].summary).toMatch(/reconnected 96 times in the last 23 h \d+ min \(4\.0 per hour; the fleet's devices typically 0\.\d+ per hour\)/);
  });

  it("leaves devices alone whose reconnects an idle-timeout finding explains", () => {
    const loud = reconnects(rng, "hamburg-bad", 96);
    expect(detectFlapping([...calm, ...loud], NOW, new Set(loud))).toEqual([]);
  });

  it("makes one site finding when most of a site flaps", () => {
    const site = ["x0", "x1", "x2", "x3"].flatMap((d) => reconnects(rng, `berlin-${d}`, 80, "berlin"));
    const findings = detectFlapping([...calm, ...site], NOW, new Set());
    expect(findings).toHaveLength(1);
    expect(findings[0].scope).toBe("site");
    expect(findings[0].evidence.affectedDeviceCount).toBe(4);
  });

  it("needs at least 2 per hour however quiet the fleet", () => {
    expect(detectFlapping([...calm, ...reconnects(rng, "hamburg-meh", 30)], NOW, new Set())).toEqual([]);
  });
});

describe("offline", () => {
  const hb = (device: string, silentS: number, intervalS: number | null, site = "hamburg"): HeartbeatSummary => ({
    device,
    site,
    lastHeartbeatAt: NOW - silentS * 1000,
    intervalS,
  });

  it("after more than twice the declared interval", () => {
    const findings = detectOffline([hb("a", 121, 60), hb("b", 119, 60), hb("c", 3 * HOUR, null), hb("d", 10, 60)], NOW, new Set());
    expect(findings.map((f) => f.device)).toEqual(["a"]);
    expect(findings[0].evidence.lastSeen).toBe(new Date(NOW - 121_000).toISOString());
    expect(findings[0].summary).toContain("it declared one every 60 s");
  });

  it("leaves devices to an ongoing outage that covers them", () => {
    expect(detectOffline([hb("a", 3600, 60)], NOW, new Set(["a"]))).toEqual([]);
  });

  it("makes one site finding when most of a site went quiet", () => {
    const findings = detectOffline([hb("a", 3600, 60), hb("b", 3600, 60), hb("c", 3500, 60), hb("d", 5, 60)], NOW, new Set());
    expect(findings).toHaveLength(1);
    expect(findings[0].scope).toBe("site");
    expect(findings[0].evidence.affectedDeviceCount).toBe(3);
  });
});
