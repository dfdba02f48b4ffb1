import { describe, expect, it } from "vitest";
import { detectFlapping } from "../../../lib/analysis/flapping";
import { detectOffline } from "../../../lib/analysis/offline";
import { planFindings, type StoredFinding } from "../../../lib/findings/lifecycle";
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

/** A reconnect loop: back-to-back sessions of about `everyS` seconds from `from` until `until`, each ending in a reset. */
function loop(rng: Rng, device: string, from: number, until: number, everyS: number, site = "hamburg"): SessionRecord[] {
  const out: SessionRecord[] = [];
  for (let t = from; t < until; ) {
    const end = t + rng.uniform(0.5, 1.5) * everyS * 1000;
    out.push(session({ device, site, start: t, end, endReason: "reset", idleS: (end - t) / 1000 - 1 }));
    t = end + 5_000;
  }
  return out;
}

describe("flapping now", () => {
  const rng = new Rng(43);
  const calm = Array.from({ length: 30 }, (_, i) => reconnects(rng, `hamburg-d${i}`, 2)).flat();
  /** a device calm all day, then in a loop from `from` until `until`; an open session after it */
  const burst = (device: string, from: number, until: number, everyS = 120) => [
    ...reconnects(rng, device, 2).filter((s) => (s.end as number) < from),
    ...loop(rng, device, from, until, everyS),
    session({ device, start: until + 5_000, end: null }),
  ];

  it("flags a burst that began 90 minutes ago, at its own pace, though the day's average is under the bar", () => {
    const device = burst("hamburg-wifi", NOW - 90 * 60_000, NOW);
    expect(device.filter((s) => s.end !== null).length / 24).toBeLessThan(2);
    const findings = detectFlapping([...calm, ...device], NOW, new Set());
    expect(findings).toHaveLength(1);
    expect(findings[0].device).toBe("hamburg-wifi");
    expect(findings[0].evidence.windowHours).toBe(1);
    expect(findings[0].evidence.reconnectsPerHour).toBeGreaterThan(20);
  });

  it("stops flagging a loop that ended hours ago, and the lifecycle resolves its finding", () => {
    const going = burst("hamburg-wifi", NOW - 8 * HOUR, NOW);
    const open = detectFlapping([...calm, ...going], NOW, new Set());
    expect(open.map((f) => f.device)).toEqual(["hamburg-wifi"]);

    const ended = burst("hamburg-wifi", NOW - 8 * HOUR, NOW - 5 * HOUR);
    expect(ended.filter((s) => s.end !== null).length / 24).toBeGreaterThan(2);
    expect(detectFlapping([...calm, ...ended], NOW, new Set())).toEqual([]);

    const stored = { ...open[0], id: 7, key: "", status: "open", lastSeen: open[0].lastSeen, resolvedAt: null, acknowledgedAt: null } as StoredFinding;
    expect(planFindings([stored], [], detectFlapping([...calm, ...ended], NOW, new Set()), NOW).resolve).toEqual([7]);
    expect(planFindings([stored], [], open, NOW).resolve).toEqual([]);
  });

  it("does not keep a loop open for one stray drop after it ended", () => {
    const ended = burst("hamburg-wifi", NOW - 8 * HOUR, NOW - 5 * HOUR);
    const stray = session({ device: "hamburg-wifi", start: NOW - 30 * 60_000, end: NOW - 20 * 60_000, endReason: "reset", idleS: 100 });
    expect(detectFlapping([...calm, ...ended, stray], NOW, new Set())).toEqual([]);
  });

  it("does not take a noisy device's run of drops in the last six hours for a burst", () => {
    // 1.5 per hour over the day, 2 per hour (12) in the last six hours: fast and many enough, but the device's own day explains it.
    const at = (from: number, to: number, n: number) => Array.from({ length: n }, (_, i) => from + (i + 0.5) * ((to - from) / n));
    const ends = [...at(NOW - DAY, NOW - 6 * HOUR, 24), ...at(NOW - 6 * HOUR, NOW, 12)];
    const noisy = ends.map((end) => session({ device: "hamburg-noisy", start: end - 120_000, end, endReason: "reset", idleS: 60 }));
    expect(detectFlapping([...calm, ...noisy], NOW, new Set())).toEqual([]);
    expect(detectFlapping([...calm, ...noisy], NOW, new Set(), { windowsMs: [6 * HOUR], factor: 1 }).map((f) => f.device)).toEqual(["hamburg-noisy"]);
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
