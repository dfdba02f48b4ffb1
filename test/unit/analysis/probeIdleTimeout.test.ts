import { describe, expect, it } from "vitest";
import { detectIdleTimeouts } from "../../../lib/analysis/idleTimeoutFindings";
import { probeRunEstimate } from "../../../lib/analysis/probeIdleTimeout";
import type { IdleTimeoutProbeEvent, SessionRecord } from "../../../lib/analysis/types";
import { HOUR, NOW, Rng, drop } from "./builders";

function probe(survivedS: number[], diedS: number[], estimateS: number | null, site = "hamburg", device = "hamburg-probe"): IdleTimeoutProbeEvent {
  return { type: "probe", kind: "idle_timeout", device, site, at: NOW - HOUR, result: { survivedS, diedS, estimateS, direction: "downstream" } };
}

describe("idle_timeout, probe mode", () => {
  it("makes a finding on its own", () => {
    const { findings } = detectIdleTimeouts([], [probe([60, 120, 300, 600], [900, 660], 630)]);
    expect(findings).toHaveLength(1);
    const e = findings[0].evidence;
    expect(e.mode).toBe("probe");
    expect(e.timeoutS).toBe(630);
    expect(e.knownAs).toBeNull();
    expect(findings[0].summary).toContain("idle holds survived up to 600 s, died from 660 s");
  });

  it("falls back to the middle of the bracket when the probe's own estimate is outside it", () => {
    expect(probeRunEstimate({ survivedS: [300, 600], diedS: [900], estimateS: 2000 })?.estimateS).toBe(750);
    expect(probeRunEstimate({ survivedS: [300, 3600], diedS: [], estimateS: null })).toBeNull();
  });

  it("confirms a passive reset estimate without replacing it", () => {
    const sessions = Array.from({ length: 20 }, (_, i) => drop(`hamburg-d${i % 4}`, NOW - i * HOUR, 350 + (i % 3) * 0.5));
    const { findings } = detectIdleTimeouts(sessions, [probe([300, 340], [360, 352], 346)]);
    expect(findings).toHaveLength(1);
    expect(findings[0].evidence.mode).toBe("reset");
    expect((findings[0].evidence.probe as { estimateS: number }).estimateS).toBe(346);
    expect(findings[0].summary).toContain("The Linkscope probe confirms it");
  });

  it("corrects a silent cliff estimate that it disagrees with", () => {
    // Survived gaps stop at 1000 s (too few long gaps reached the true 1200 s timeout).
    const rng = new Rng(21);
    const sessions: SessionRecord[] = Array.from({ length: 120 }, (_, i) =>
      drop(`hamburg-d${i % 6}`, NOW - i * HOUR, 5460 + rng.uniform(0, 2), "timeout", { maxIdleS: rng.uniform(0.6, 1) * 1000 }),
    );
    const { findings } = detectIdleTimeouts(sessions, [probe([600, 900, 1150, 1190], [1800, 1225], 1207)]);
    expect(findings).toHaveLength(1);
    expect(findings[0].evidence.mode).toBe("probe");
    expect(findings[0].evidence.timeoutS).toBe(1207);
    expect(findings[0].evidence.passiveEstimateS as number).toBeLessThan(1030);
    expect(findings[0].summary).toContain("correcting the passive estimate");
  });

  it("keeps a probe on another path as its own finding", () => {
    const sessions = Array.from({ length: 20 }, (_, i) => drop(`hamburg-d${i % 4}`, NOW - i * HOUR, 350 + (i % 3) * 0.5));
    const { findings } = detectIdleTimeouts(sessions, [probe([1800], [3600], 3000)]);
    expect(findings.map((f) => f.evidence.mode).sort()).toEqual(["probe", "reset"]);
  });
});
