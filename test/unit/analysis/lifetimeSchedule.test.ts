import { describe, expect, it } from "vitest";
import { analyzeFleet } from "../../../lib/analysis/analyzeFleet";
import { detectScheduledDrops, timeOfDay } from "../../../lib/analysis/scheduledDrop";
import { detectSessionLifetimes } from "../../../lib/analysis/sessionLifetime";
import type { SessionRecord } from "../../../lib/analysis/types";
import { DAY, HOUR, NOW, Rng, session } from "./builders";

/** Back-to-back sessions of `devices` devices that each end after `periodS`, whatever their idle time. */
function lifetimes(rng: Rng, devices: number, periodS: number): SessionRecord[] {
  const out: SessionRecord[] = [];
  for (let d = 0; d < devices; d++) {
    for (let t = NOW - 7 * DAY + rng.uniform(0, 6 * HOUR); t + periodS * 1000 < NOW; t += periodS * 1000 + 5000) {
      out.push(session({ device: `hamburg-d${d}`, start: t, durationS: periodS * (1 + rng.uniform(-0.0005, 0.0005)), endReason: "server_closed", idleS: rng.uniform(1, 600), maxIdleS: 600 }));
    }
  }
  return out;
}

/** Devices whose connections are cut every day at `minute` UTC, plus random drops. */
function daily(rng: Rng, devices: number, minute: number, noisePerDay = 2): SessionRecord[] {
  const out: SessionRecord[] = [];
  for (let d = 0; d < devices; d++) {
    for (let day = 1; day <= 7; day++) {
      const at = Math.floor(NOW / DAY - day) * DAY + minute * 60_000 + rng.uniform(0, 60_000);
      out.push(session({ device: `hamburg-d${d}`, start: at - rng.uniform(1, 20) * HOUR, end: at, endReason: "reset", idleS: rng.uniform(1, 300) }));
      for (let k = 0; k < noisePerDay; k++) {
        const end = NOW - rng.uniform(0, 7 * DAY);
        out.push(session({ device: `hamburg-d${d}`, start: end - HOUR, end, endReason: rng.pick(["reset", "error", "timeout"]), idleS: rng.uniform(1, 300) }));
      }
    }
  }
  return out;
}

describe("session_lifetime", () => {
  it("finds connections ending at one age (Azure's 65-minute token expiry)", () => {
    const found = detectSessionLifetimes(lifetimes(new Rng(51), 5, 3900));
    expect(found).toHaveLength(1);
    const f = found[0].finding;
    expect(Math.abs((f.evidence.periodS as number) - 3900)).toBeLessThan(5);
    expect(f.evidence.knownAs).toContain("SAS token");
    expect(f.severity).toBe("info");
  });

  it("does not take two outages for a lifetime (everyone reconnected together, then dropped together)", () => {
    const rng = new Rng(56);
    const reconnect = NOW - 3 * DAY;
    const sessions = Array.from({ length: 60 }, (_, d) =>
      session({ device: `hamburg-d${d}`, start: reconnect + rng.uniform(0, 60_000), durationS: 10_900 + rng.uniform(0, 30), endReason: "reset", idleS: rng.uniform(1, 600) }),
    );
    expect(detectSessionLifetimes(sessions)).toEqual([]);
  });

  it("is not fooled by an idle timeout that kills connections at their first idle gap", () => {
    const sessions = Array.from({ length: 50 }, (_, i) => session({ device: `hamburg-d${i % 5}`, start: NOW - i * HOUR, durationS: 901 + (i % 3), endReason: "reset", idleS: 900 + (i % 3) }));
    expect(detectSessionLifetimes(sessions)).toEqual([]);
  });
});

describe("scheduled_drop", () => {
  it("finds a daily cut at one wall-clock time", () => {
    const { findings } = detectScheduledDrops(daily(new Rng(52), 6, 3 * 60 + 15), new Set());
    expect(findings).toHaveLength(1);
    expect(findings[0].evidence.timeOfDay).toBe("03:15");
    expect(findings[0].evidence.dayCount as number).toBeGreaterThanOrEqual(6);
    expect(findings[0].title).toBe("Connections drop daily around 03:15 UTC at site hamburg");
  });

  it("finds a site-wide daily cut at a large, busy site", () => {
    const { findings } = detectScheduledDrops(daily(new Rng(57), 70, 11 * 60 + 37, 4), new Set());
    expect(findings.map((f) => [f.scope, f.evidence.timeOfDay, f.evidence.dayCount])).toEqual([["site", "11:37", 7]]);
  });

  it("wraps around midnight", () => {
    const { findings } = detectScheduledDrops(daily(new Rng(53), 4, 1439), new Set());
    expect(findings.map((f) => f.evidence.timeOfDay)).toEqual(["23:59"]);
  });

  it("does not take one big burst for a schedule", () => {
    const rng = new Rng(54);
    const burst = Array.from({ length: 40 }, (_, d) => session({ device: `hamburg-d${d}`, start: NOW - 3 * DAY - HOUR, end: NOW - 3 * DAY + d * 1000, endReason: "reset", idleS: 20 }));
    const noise = daily(rng, 40, 0, 3).filter((s) => s.endReason !== "reset" || rng.chance(0.3)).filter((s) => (s.end ?? 0) % DAY > 3600_000);
    expect(detectScheduledDrops([...burst, ...noise], new Set()).findings).toEqual([]);
  });

  it("reports a daily schedule rather than seven outages or a 24-hour lifetime", () => {
    // Each device reconnects a minute after the 02:00 cut and is cut again the next night.
    const rng = new Rng(55);
    const sessions: SessionRecord[] = [];
    for (let d = 0; d < 8; d++) {
      let start = NOW - 8 * DAY;
      for (let day = 7; day >= 1; day--) {
        const end = Math.floor(NOW / DAY - day) * DAY + 2 * HOUR + rng.uniform(0, 60_000);
        sessions.push(session({ device: `hamburg-d${d}`, start, end, endReason: "reset", idleS: rng.uniform(1, 300) }));
        start = end + rng.uniform(30_000, 90_000);
      }
    }
    const kinds = analyzeFleet({ sessions, events: [], heartbeats: [] }, NOW).map((f) => f.kind);
    expect(kinds).toEqual(["scheduled_drop"]);
  });

  it("a real outage at another time on a site with a nightly cut is still an outage (one story each)", () => {
    const rng = new Rng(56);
    const sessions: SessionRecord[] = [];
    const outageAt = Math.floor(NOW / DAY - 3) * DAY + 14 * HOUR + 17 * 60_000;
    for (let d = 0; d < 8; d++) {
      let start = NOW - 8 * DAY;
      const cuts = [7, 6, 5, 4, 3, 2, 1].map((day) => Math.floor(NOW / DAY - day) * DAY + 2 * HOUR + rng.uniform(0, 60_000));
      for (const end of [...cuts, outageAt + rng.uniform(0, 30_000)].sort((a, b) => a - b)) {
        const outage = end >= outageAt && end < outageAt + 60_000;
        sessions.push(session({ device: `hamburg-d${d}`, start, end, endReason: outage ? "timeout" : "reset", idleS: rng.uniform(1, 300) }));
        // Back a minute after the nightly cut; twenty minutes after the outage.
        start = end + (outage ? 20 * 60_000 : rng.uniform(30_000, 90_000));
      }
      sessions.push(session({ device: `hamburg-d${d}`, start, end: null }));
    }
    const findings = analyzeFleet({ sessions, events: [], heartbeats: [] }, NOW);
    expect(findings.map((f) => f.kind).sort()).toEqual(["outage", "scheduled_drop"]);
    const outage = findings.find((f) => f.kind === "outage");
    expect(outage?.kind === "outage" && Date.parse(outage.evidence.start)).toBeGreaterThanOrEqual(outageAt - 60_000);
  });

  it("formats the time of day", () => {
    expect(timeOfDay(0)).toBe("00:00");
    expect(timeOfDay(61.4)).toBe("01:01");
    expect(timeOfDay(1439.6)).toBe("00:00");
  });
});
