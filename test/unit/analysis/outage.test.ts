import { describe, expect, it } from "vitest";
import { analyzeFleet } from "../../../lib/analysis/analyzeFleet";
import { outageFinding, siteOutages } from "../../../lib/analysis/outage";
import type { SessionRecord } from "../../../lib/analysis/types";
import { DAY, HOUR, NOW, Rng, session } from "./builders";

/**
 * A site of `devices` devices connected all week with `noisePerDay` random drops each; at
 * `cutAt` every device drops and is back `downMs` later (null: not back).
 */
function site(rng: Rng, name: string, devices: number, cutAt: number | null, downMs: number | null, noisePerDay = 2): SessionRecord[] {
  const out: SessionRecord[] = [];
  for (let d = 0; d < devices; d++) {
    const device = `${name}-d${d}`;
    let t = NOW - 7 * DAY + rng.uniform(0, HOUR);
    let cut = cutAt === null ? Infinity : cutAt + rng.uniform(0, 60_000);
    while (t < NOW) {
      const noiseEnd = t + rng.exp(DAY / noisePerDay);
      const end = Math.min(noiseEnd, cut);
      if (end >= NOW) {
        out.push(session({ device, site: name, start: t, end: null, durationS: null }));
        break;
      }
      const reason = end === cut && downMs === null ? "inferred" : "reset";
      out.push(session({ device, site: name, start: t, end, endReason: reason, idleS: reason === "reset" ? rng.uniform(1, 1800) : null }));
      if (end === cut) {
        if (downMs === null) break;
        t = end + downMs + rng.uniform(0, 60_000);
        cut = Infinity;
      } else t = end + rng.uniform(1000, 20_000);
    }
  }
  return out;
}

/**
 * A site whose devices were calm all week and have been in a reconnect loop (a session every
 * one to three minutes) since `loopFrom`; with `cut`, every device drops at `cut.at` and is back
 * `cut.downMs` later, looping on.
 */
function flappingSite(rng: Rng, name: string, devices: number, loopFrom: number, cut: { at: number; downMs: number } | null = null): SessionRecord[] {
  const out: SessionRecord[] = [];
  for (let d = 0; d < devices; d++) {
    const device = `${name}-d${d}`;
    const first = loopFrom + rng.uniform(0, 300_000);
    out.push(session({ device, site: name, start: NOW - 7 * DAY, end: first, endReason: "reset", idleS: 300 }));
    let cutAt = cut ? cut.at + rng.uniform(0, 30_000) : Infinity;
    for (let t = first + rng.uniform(1000, 20_000); t < NOW; ) {
      const end = Math.min(t + rng.uniform(60, 180) * 1000, cutAt);
      if (end >= NOW) {
        out.push(session({ device, site: name, start: t, end: null, durationS: null }));
        break;
      }
      out.push(session({ device, site: name, start: t, end, endReason: "reset", idleS: (end - t) / 1000 - 1 }));
      t = end === cutAt ? end + (cut as { downMs: number }).downMs : end + rng.uniform(1000, 30_000);
      if (end === cutAt) cutAt = Infinity;
    }
  }
  return out;
}

describe("outage", () => {
  it("a site whose devices flap (dropping close together, straight back each time) is no outage", () => {
    const rng = new Rng(35);
    expect(siteOutages(flappingSite(rng, "hamburg", 10, NOW - 3 * HOUR), NOW, new Set())).toEqual([]);
  });

  it("flapping devices that dropped seconds ago and are not back yet are not away yet", () => {
    const rng = new Rng(37);
    const justDropped = flappingSite(rng, "hamburg", 10, NOW - 3 * HOUR).map((s) =>
      s.end !== null ? s : session({ device: s.device, site: s.site, start: s.start, end: Math.max(s.start + 1000, NOW - rng.uniform(5, 50) * 1000), endReason: "reset", idleS: 1 }),
    );
    expect(new Set(justDropped.filter((s) => s.end !== null && s.end > NOW - 60_000).map((s) => s.device)).size).toBe(10);
    expect(siteOutages(justDropped, NOW, new Set())).toEqual([]);
  });

  it("a real outage at a flapping site is found by the devices staying away", () => {
    const rng = new Rng(36);
    const at = NOW - 90 * 60_000;
    const outages = siteOutages(flappingSite(rng, "hamburg", 10, NOW - 5 * HOUR, { at, downMs: 20 * 60_000 }), NOW, new Set());
    expect(outages).toHaveLength(1);
    expect(Math.abs(outages[0].start - at)).toBeLessThan(60_000);
    expect(outages[0].devices.size).toBe(10);
  });

  it("finds a site outage with its start and end", () => {
    const rng = new Rng(31);
    const cutAt = NOW - 3 * DAY;
    const outages = siteOutages(site(rng, "hamburg", 12, cutAt, 20 * 60_000), NOW, new Set());
    expect(outages).toHaveLength(1);
    const f = outageFinding(outages[0]);
    expect(Math.abs(Date.parse(f.evidence.start as string) - cutAt)).toBeLessThan(60_000);
    expect(Date.parse(f.evidence.end as string) - cutAt).toBeGreaterThan(20 * 60_000);
    expect(f.evidence.affectedDeviceCount).toBe(12);
    expect(f.severity).toBe("warning");
    expect(f.summary).toMatch(/^12 of 12 connected devices at site hamburg dropped within/);
  });

  it("an outage still going on has no end and is critical", () => {
    const rng = new Rng(32);
    const outages = siteOutages(site(rng, "hamburg", 6, NOW - 2 * HOUR, null), NOW, new Set());
    expect(outages).toHaveLength(1);
    expect(outages[0].end).toBeNull();
    expect(outageFinding(outages[0]).severity).toBe("critical");
  });

  it("finds a four-device site whose devices all stay away", () => {
    const rng = new Rng(33);
    expect(siteOutages(site(rng, "tiny", 4, NOW - 2 * DAY, 10 * 60_000), NOW, new Set())).toHaveLength(1);
  });

  it("raises nothing for flaky small sites or a busy large one", () => {
    for (let seed = 1; seed <= 10; seed++) {
      const rng = new Rng(100 + seed);
      expect(siteOutages(site(rng, "flaky", 3, null, null, 20), NOW, new Set())).toEqual([]);
      expect(siteOutages(site(rng, "busy", 60, null, null, 6), NOW, new Set())).toEqual([]);
    }
  });

  it("many sites at once is one platform outage, not many site outages", () => {
    const rng = new Rng(34);
    const cutAt = NOW - 4 * DAY;
    const sessions = ["a", "b", "c", "d", "e"].flatMap((name) => site(rng, name, 5, cutAt, 15 * 60_000));
    const findings = analyzeFleet({ sessions, events: [], heartbeats: [] }, NOW).filter((f) => f.kind === "outage");
    expect(findings).toHaveLength(1);
    expect(findings[0].scope).toBe("fleet");
    expect(findings[0].site).toBeNull();
    expect(findings[0].evidence.siteCount).toBe(5);
    expect(findings[0].summary).toContain("the cause is on the platform side");
  });
});
