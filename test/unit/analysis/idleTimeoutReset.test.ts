import { describe, expect, it } from "vitest";
import { detectIdleTimeouts } from "../../../lib/analysis/idleTimeoutFindings";
import { idleTimeoutClusters } from "../../../lib/analysis/idleTimeoutClusters";
import { DAY, HOUR, NOW, Rng, drop, dropsOver, healthyDrops, session } from "./builders";

/** Drops cut by a resetting middlebox: at T plus up to 0.4 % sweep and 1.5 s to notice. */
function cutAt(rng: Rng, timeoutS: number) {
  return () => timeoutS * (1 + rng.uniform(0, 0.004)) + rng.uniform(0, 1.5);
}

describe("idle_timeout, reset mode", () => {
  it("finds a 15-minute cluster and says so with the numbers", () => {
    const rng = new Rng(1);
    const sessions = [...dropsOver(rng, 212, 12, cutAt(rng, 900)), ...healthyDrops(rng, 28, 12)];
    const { findings } = detectIdleTimeouts(sessions, []);
    expect(findings).toHaveLength(1);
    const f = findings[0];
    expect(f.evidence.mode).toBe("reset");
    expect(f.evidence.timeoutS as number).toBeGreaterThan(900);
    expect(Math.abs((f.evidence.timeoutS as number) - 900) / 900).toBeLessThan(0.03);
    expect(f.evidence.knownAs).toBe("15-minute firewall idle timeout");
    expect(f.evidence.drops).toBeGreaterThanOrEqual(205);
    expect(f.summary).toMatch(/^2\d\d of 240 drops \(\d+ %\) at site hamburg came after 90\d ± \d s idle, on 12 devices — the 15-minute firewall idle timeout\.$/);
    expect(f.severity).toBe("warning");
    expect(f.scope).toBe("site");
    expect(f.site).toBe("hamburg");
  });

  it("yields nothing for a healthy site with random drops", () => {
    for (let seed = 1; seed <= 20; seed++) {
      const rng = new Rng(seed);
      const sessions = healthyDrops(rng, 300, 25, rng.pick([300, 1800, 5400]));
      expect(detectIdleTimeouts(sessions, []).findings).toEqual([]);
    }
  });

  it("yields something for a small site with 6 drops all at 900 s", () => {
    const sessions = [0, 1, 2, 3, 4, 5].map((i) => drop("tiny-d0", NOW - i * 913_000, 900 + (i % 3) * 0.5, "reset", { site: "tiny" }));
    const { findings } = detectIdleTimeouts(sessions, []);
    expect(findings).toHaveLength(1);
    expect(findings[0].evidence.drops).toBe(6);
    expect(findings[0].evidence.knownTimeoutS).toBe(900);
  });

  it("does not turn 4 drops into a finding", () => {
    const sessions = [0, 1, 2, 3].map((i) => drop("tiny-d0", NOW - i * 913_000, 900, "reset", { site: "tiny" }));
    expect(detectIdleTimeouts(sessions, []).findings).toEqual([]);
  });

  it("finds two clusters at one site (two egress firewalls)", () => {
    const rng = new Rng(2);
    const sessions = [...dropsOver(rng, 150, 10, cutAt(rng, 350)), ...dropsOver(rng, 40, 10, cutAt(rng, 3600)), ...healthyDrops(rng, 30, 10)];
    const values = detectIdleTimeouts(sessions, []).findings.map((f) => f.evidence.knownTimeoutS).sort();
    expect(values).toEqual([350, 3600]);
  });

  describe("two middleboxes at one site (two WAN links)", () => {
    /** `count` drops over the week of devices `${name}-d0…` leaving through `publicIp`. */
    const path = (rng: Rng, name: string, devices: number, count: number, idle: () => number, publicIp: string | null) =>
      Array.from({ length: count }, (_, i) => drop(`${name}-d${i % devices}`, NOW - rng.next() * 7 * DAY, idle(), "reset", { publicIp }));
    // 300 s on one link: 3,000 drops; 3600 s on the other: 120, 4 % of the site's drops.
    const site = (rng: Rng, ipA: string | null, ipB: string | null) => [
      ...path(rng, "wan1", 4, 3000, cutAt(rng, 300), ipA),
      ...path(rng, "wan1", 4, 8, () => rng.uniform(1, 290), ipA),
      ...path(rng, "wan2", 3, 120, cutAt(rng, 3600), ipB),
      ...path(rng, "wan2", 3, 30, () => rng.uniform(1, 3500), ipB),
    ];

    it("reports the rarer one too: the larger cluster's drops do not count against its share", () => {
      const rng = new Rng(15);
      // wan2's devices each had one random drop near 300 s: they are not behind the 300 s middlebox.
      const strays = ["wan2-d0", "wan2-d1", "wan2-d2"].map((d) => drop(d, NOW - rng.uniform(1, 6) * DAY, 301, "reset", { publicIp: "198.51.100.1" }));
      const { findings } = detectIdleTimeouts([...site(rng, "198.51.100.1", "198.51.100.1"), ...strays], []);
      expect(findings.map((f) => Math.round((f.evidence.timeoutS as number) / 100) * 100).sort((a, b) => a - b)).toEqual([300, 3600]);
      const long = findings.find((f) => (f.evidence.timeoutS as number) > 1000);
      expect(long?.evidence.share).toBeLessThan(0.05);
      expect(long?.evidence.affectedDevices).toEqual(["wan2-d0", "wan2-d1", "wan2-d2"]);
      expect(long?.evidence.publicIps).toBeUndefined();
      const short = findings.find((f) => (f.evidence.timeoutS as number) < 1000);
      expect(short?.evidence.affectedDevices).toEqual(["wan1-d0", "wan1-d1", "wan1-d2", "wan1-d3"]);
    });

    it("gives each its own devices by egress address, leaving out the other link's stray drops near its value", () => {
      const rng = new Rng(16);
      const strays = ["wan2-d0", "wan2-d1"].map((d) => drop(d, NOW - rng.uniform(1, 6) * DAY, 301, "reset", { publicIp: "203.0.113.9" }));
      const { findings } = detectIdleTimeouts([...site(rng, "198.51.100.1", "203.0.113.9"), ...strays], []);
      const short = findings.find((f) => (f.evidence.timeoutS as number) < 1000);
      const long = findings.find((f) => (f.evidence.timeoutS as number) > 1000);
      expect(short?.evidence.affectedDevices).toEqual(["wan1-d0", "wan1-d1", "wan1-d2", "wan1-d3"]);
      expect(short?.evidence.publicIps).toEqual(["198.51.100.1"]);
      expect(short?.summary).toContain("on 4 devices leaving through 198.51.100.1");
      expect(long?.evidence.affectedDevices).toEqual(["wan2-d0", "wan2-d1", "wan2-d2"]);
      expect(long?.evidence.publicIps).toEqual(["203.0.113.9"]);
    });

    it("keeps a middlebox on the address most of its drops left through, though another one's drops there outnumber them", () => {
      const rng = new Rng(17);
      const guests = [...path(rng, "guest", 5, 200, () => rng.uniform(1, 3500), "203.0.113.9"), drop("guest-d0", NOW - 2 * DAY, 3601, "reset", { publicIp: "203.0.113.9" })];
      const { findings } = detectIdleTimeouts([...site(rng, "198.51.100.1", "198.51.100.1"), ...guests], []);
      const long = findings.find((f) => (f.evidence.timeoutS as number) > 1000);
      expect(findings).toHaveLength(2);
      expect(long?.evidence.publicIps).toEqual(["198.51.100.1"]);
      expect(long?.evidence.affectedDevices).toEqual(["wan2-d0", "wan2-d1", "wan2-d2"]);
    });
  });

  it("reports an unusual value as measured and calls it unusual", () => {
    const rng = new Rng(3);
    const { findings } = detectIdleTimeouts(dropsOver(rng, 60, 5, cutAt(rng, 1000)), []);
    expect(findings).toHaveLength(1);
    expect(findings[0].evidence.knownAs).toBeNull();
    expect(Math.round(findings[0].evidence.timeoutS as number)).toBeGreaterThanOrEqual(1000);
    expect(findings[0].summary).toContain("an unusual idle timeout of 100");
    expect(findings[0].title).toMatch(/^Idle timeout of 100\d s \(16\.\d min\) at site hamburg$/);
  });

  it("finds a cluster hidden under more random drops than it has", () => {
    const rng = new Rng(4);
    const sessions = [...dropsOver(rng, 60, 8, cutAt(rng, 1800)), ...healthyDrops(rng, 90, 8, 1800)];
    const { findings } = detectIdleTimeouts(sessions, []);
    expect(findings).toHaveLength(1);
    expect(findings[0].evidence.share as number).toBeLessThan(0.5);
    expect(findings[0].evidence.knownTimeoutS).toBe(1800);
  });

  it("does not take one burst of drops (an outage at one moment) for a timeout", () => {
    // Twenty devices that reconnected together after an earlier cut share their idle time when the next cut comes.
    const sessions = Array.from({ length: 20 }, (_, i) => drop(`hamburg-d${i}`, NOW - DAY + i * 3_000, 1234 + i * 0.3));
    expect(detectIdleTimeouts(sessions, []).findings).toEqual([]);
  });

  it("rejects a cluster whose connections had survived longer idle gaps before", () => {
    // Cut at a fixed age after periodic 600 s holds: idle ≈ 566 s, but 600 s gaps were survived.
    const sessions = Array.from({ length: 40 }, (_, i) => drop(`hamburg-d${i % 8}`, NOW - i * HOUR, 566 + (i % 5) * 0.4, "reset", { maxIdleS: 600, durationS: 1767 }));
    expect(idleTimeoutClusters(sessions)).toEqual([]);
  });

  it("ignores client_closed, server_closed, superseded and inferred endings", () => {
    const reasons = ["client_closed", "server_closed", "superseded", "inferred"] as const;
    const sessions = Array.from({ length: 40 }, (_, i) => drop(`hamburg-d${i % 4}`, NOW - i * HOUR, 900, reasons[i % 4]));
    expect(detectIdleTimeouts(sessions, []).findings).toEqual([]);
  });

  it("falls back to the session duration when idleS is missing", () => {
    const sessions = Array.from({ length: 12 }, (_, i) =>
      session({ device: `hamburg-d${i % 3}`, start: NOW - i * HOUR, durationS: 240 + (i % 4) * 0.5, endReason: "reset" }),
    );
    const { findings } = detectIdleTimeouts(sessions, []);
    expect(findings.map((f) => f.evidence.knownTimeoutS)).toEqual([240]);
    expect(findings[0].severity).toBe("critical");
  });

  it("reports a timeout shared by small sites at their common egress IP", () => {
    const ip = "198.51.100.7";
    const sessions = ["a", "b", "c"].flatMap((site, k) =>
      [0, 1, 2].map((i) => drop(`${site}-d0`, NOW - (i * 3 + k) * 1_830_000, 1800 + i, "reset", { site, publicIp: ip })),
    );
    const { findings } = detectIdleTimeouts(sessions, []);
    expect(findings).toHaveLength(1);
    expect(findings[0].scope).toBe("publicIp");
    expect(findings[0].scopeKey).toBe(ip);
    expect(findings[0].site).toBeNull();
    expect(findings[0].evidence.sites).toEqual(["a", "b", "c"]);
  });

  it("explains the drops it found, for the other detectors", () => {
    const rng = new Rng(5);
    const sessions = dropsOver(rng, 50, 5, cutAt(rng, 600));
    const { explained } = detectIdleTimeouts(sessions, []);
    expect(sessions.every((s) => explained.has(s))).toBe(true);
    expect(explained.has(drop("hamburg-d0", NOW, 450))).toBe(false);
    expect(explained.has(drop("berlin-d0", NOW, 601, "reset", { site: "berlin" }))).toBe(false);
    expect(explained.has(drop("hamburg-d0", NOW, 601, "client_closed"))).toBe(false);
  });

  it("keeps its first and last evidence times", () => {
    const sessions = [0, 1, 2, 3, 4, 5].map((i) => drop("tiny-d0", NOW - i * 2 * DAY / 5, 600 + i * 0.3, "reset", { site: "tiny" }));
    const [f] = detectIdleTimeouts(sessions, []).findings;
    expect(f.firstSeen).toBe(NOW - 2 * DAY);
    expect(f.lastSeen).toBe(NOW);
  });
});
