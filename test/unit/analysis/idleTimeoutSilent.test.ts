import { describe, expect, it } from "vitest";
import { detectIdleTimeouts } from "../../../lib/analysis/idleTimeoutFindings";
import { survivedBin, survivedValue } from "../../../lib/analysis/digest";
import { survivedGapCliff } from "../../../lib/analysis/survivedGapCliff";
import { weightedSample } from "../../../lib/analysis/weighted";
import type { SessionRecord } from "../../../lib/analysis/types";
import { HOUR, NOW, Rng, drop, session } from "./builders";

/**
 * Sessions behind a middlebox that silently forgets flows idle for `timeoutS`: gaps between
 * data are exponential (mean `meanGapS`); a session survives gaps below T and dies at the
 * first longer one, noticed at the client's read timeout `readS`.
 */
function silentSite(rng: Rng, timeoutS: number, readS: number, meanGapS: number, sessions: number, devices = 6): SessionRecord[] {
  const out: SessionRecord[] = [];
  for (let i = 0; i < sessions; i++) {
    let maxIdle = 0;
    for (let g = rng.exp(meanGapS); g < timeoutS; g = rng.exp(meanGapS)) maxIdle = Math.max(maxIdle, g);
    out.push(drop(`hamburg-d${i % devices}`, NOW - i * 0.7 * HOUR, readS + rng.uniform(0, 2), "timeout", { maxIdleS: maxIdle || null }));
  }
  return out;
}

describe("idle_timeout, silent mode", () => {
  it("reads the timeout off the cliff of survived gaps, not the read-timeout cluster", () => {
    const rng = new Rng(11);
    const { findings } = detectIdleTimeouts(silentSite(rng, 1200, 5460, 400, 200), []);
    expect(findings).toHaveLength(1);
    const e = findings[0].evidence;
    expect(e.mode).toBe("silent");
    expect(Math.abs((e.timeoutS as number) - 1200) / 1200).toBeLessThan(0.05);
    expect(e.clientTimeoutS as number).toBeGreaterThan(5459);
    expect(e.knownAs).toBe("20-minute GCP Cloud NAT default");
    expect(findings[0].summary).toContain("noticed only at the client's read timeout");
    expect(findings[0].summary).toContain("silently forgets idle connections after about 1");
  });

  it("does not call the server's long-poll hold a cliff (random losses on a healthy path)", () => {
    // Every empty long-poll lasts exactly the 1800 s hold; random silent losses are noticed at 3600 s.
    const sessions = Array.from({ length: 80 }, (_, i) =>
      i % 4 === 0
        ? drop(`hamburg-d${i % 9}`, NOW - i * HOUR, 3600 + (i % 3) * 0.4, "timeout", { maxIdleS: 1800 })
        : session({ device: `hamburg-d${i % 9}`, start: NOW - i * HOUR - 7 * HOUR, durationS: 7 * 3600, endReason: "client_closed", idleS: 30, maxIdleS: 1800 }),
    );
    expect(detectIdleTimeouts(sessions, []).findings).toEqual([]);
  });

  it("does not call the thinning tail of frequent data a cliff", () => {
    const rng = new Rng(12);
    const sessions: SessionRecord[] = [];
    for (let i = 0; i < 200; i++) {
      let maxIdle = 0;
      for (let g = 0; g < 60; g++) maxIdle = Math.max(maxIdle, Math.min(rng.exp(150), 5400));
      const lost = i % 5 === 0;
      sessions.push(
        lost
          ? drop(`hamburg-d${i % 10}`, NOW - i * HOUR, 5460 + rng.uniform(0, 2), "timeout", { maxIdleS: maxIdle })
          : drop(`hamburg-d${i % 10}`, NOW - i * HOUR, rng.uniform(1, 150), "reset", { maxIdleS: maxIdle }),
      );
    }
    expect(detectIdleTimeouts(sessions, []).findings).toEqual([]);
  });

  it("without any survived gaps reports the silent cut with no timeout and asks for the probe", () => {
    const sessions = Array.from({ length: 30 }, (_, i) => drop(`hamburg-d${i % 3}`, NOW - i * 2 * HOUR, 5460 + (i % 4) * 0.5, "timeout"));
    const { findings } = detectIdleTimeouts(sessions, []);
    expect(findings).toHaveLength(1);
    expect(findings[0].evidence.timeoutS).toBeNull();
    expect(findings[0].evidence.mode).toBe("silent");
    expect(findings[0].recommendation).toMatch(/^Run the Linkscope probe/);
    expect(findings[0].severity).toBe("warning");
  });

  it("merges devices with different read timeouts behind one silent middlebox", () => {
    const rng = new Rng(13);
    const a = silentSite(rng, 900, 3660, 300, 150, 4);
    const b = silentSite(rng, 900, 5460, 300, 150, 4).map((s) => ({ ...s, device: s.device.replace("hamburg-d", "hamburg-e") }));
    const { findings } = detectIdleTimeouts([...a, ...b], []);
    expect(findings).toHaveLength(1);
    expect(findings[0].evidence.drops).toBe(300);
    expect(findings[0].evidence.knownTimeoutS).toBe(900);
  });
});

describe("idle_timeout, NAT that resets on the next packet (AWS NAT Gateway)", () => {
  it("reads T off the cliff where resets start, though the resets form no peak", () => {
    // Gaps are exponential (mean 150 s) up to a 1800 s hold; a gap over 350 s ends in a RST
    // when the server next sends, so those resets spread from 350 s upward.
    const rng = new Rng(15);
    const sessions: SessionRecord[] = [];
    for (let i = 0; i < 600; i++) {
      let maxIdle = 0;
      let g = Math.min(rng.exp(150), 1800);
      for (; g < 350; g = Math.min(rng.exp(150), 1800)) maxIdle = Math.max(maxIdle, g);
      sessions.push(drop(`hamburg-d${i % 8}`, NOW - i * 0.25 * HOUR, g + rng.uniform(0.05, 0.5), "reset", { maxIdleS: maxIdle || null }));
    }
    const { findings } = detectIdleTimeouts(sessions, []);
    expect(findings).toHaveLength(1);
    const e = findings[0].evidence;
    expect([e.mode, e.noticed, e.knownTimeoutS]).toEqual(["silent", "next_packet", 350]);
    expect(Math.abs((e.timeoutS as number) - 350)).toBeLessThan(5);
    expect(findings[0].summary).toContain("s idle or more (median");
    expect(findings[0].summary).toContain("each ended by a reset only when data next arrived");
    expect(findings[0].severity).toBe("critical");
  });

  it("does not call the steep slope of those resets a cluster of its own", () => {
    const rng = new Rng(16);
    const sessions = Array.from({ length: 3000 }, (_, i) => drop(`hamburg-d${i % 8}`, NOW - i * 60_000, 350 + rng.exp(60)));
    expect(detectIdleTimeouts(sessions, []).findings.filter((f) => f.evidence.mode === "reset")).toEqual([]);
  });
});

/** Survived gaps as the digest keeps them. */
const sample = (values: number[]) => weightedSample(values.map((v) => [survivedValue(survivedBin(v)), 1] as const));

describe("survivedGapCliff", () => {
  it("needs five sessions", () => {
    expect(survivedGapCliff(sample([100, 200, 300, 400]))).toBeNull();
  });

  it("marks a spike of equal values as a hold, not a cliff", () => {
    const cliff = survivedGapCliff(sample([...Array(50).fill(1800), ...Array.from({ length: 50 }, (_, i) => 100 + i * 20)]));
    expect(cliff?.capped).toBe(true);
  });

  it("estimates a dense cliff within 1 %", () => {
    const rng = new Rng(14);
    const cliff = survivedGapCliff(sample(Array.from({ length: 300 }, () => rng.uniform(0.5, 1) * 1000)));
    expect(cliff?.sharp).toBe(true);
    expect(cliff?.capped).toBe(false);
    expect(Math.abs((cliff?.timeoutS ?? 0) - 1000)).toBeLessThan(10);
  });
});
