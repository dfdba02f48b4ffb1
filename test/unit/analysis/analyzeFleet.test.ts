import { describe, expect, it } from "vitest";
import { analyzeFleet } from "../../../lib/analysis/analyzeFleet";
import type { FindingDraft, FindingKind } from "../../../lib/analysis/types";
import { generateFleet } from "../../sim/generateFleet";

/** The evidence fields PROTOCOL.md promises per kind. */
const EVIDENCE: Record<FindingKind, string[]> = {
  idle_timeout: ["timeoutS", "mode", "knownAs", "affectedDevices", "drops", "share"],
  tls_interception: ["issuer", "vendor", "endpoint", "affectedDevices"],
  port_blocked: ["endpoint", "mode", "affectedDevices"],
  outage: ["start", "end", "affectedDevices"],
  flapping: ["reconnectsPerHour"],
  offline: ["lastSeen"],
  session_lifetime: ["periodS"],
  scheduled_drop: ["timeOfDay", "days"],
  proxy_failure: ["proxy", "endpoint", "mode", "affectedDevices"],
};

describe("analyzeFleet", () => {
  const fleet = generateFleet(101);
  const findings = analyzeFleet(fleet.input, fleet.now, fleet.options);

  it("finds every kind in a simulated fleet", () => {
    expect(new Set(findings.map((f) => f.kind))).toEqual(new Set(Object.keys(EVIDENCE)));
  });

  it("gives every finding PROTOCOL.md's evidence fields, JSON-safe, with times as RFC 3339", () => {
    for (const f of findings) {
      for (const field of EVIDENCE[f.kind]) expect(f.evidence, `${f.kind} ${f.scopeKey} ${field}`).toHaveProperty(field);
      expect(JSON.parse(JSON.stringify(f))).toEqual(f);
      for (const key of ["start", "end", "lastSeen", "lastSuccess"]) {
        const v = (f.evidence as Record<string, unknown>)[key];
        if (typeof v === "string") expect(v).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      }
      expect(f.firstSeen).toBeLessThanOrEqual(f.lastSeen);
      expect(f.title.length).toBeGreaterThan(10);
      expect(f.summary).toMatch(/\d/);
      expect(f.recommendation.length).toBeGreaterThan(20);
    }
  });

  it("uses the mode values PROTOCOL.md names", () => {
    const modes = (kind: FindingKind) => new Set(findings.filter((f) => f.kind === kind).map((f) => (f.evidence as { mode?: string }).mode));
    for (const m of modes("idle_timeout")) expect(["reset", "silent", "probe"]).toContain(m);
    for (const m of modes("port_blocked")) expect(["refused", "dropped"]).toContain(m);
  });

  it("orders findings by severity, then kind and scope", () => {
    const rank = { critical: 0, warning: 1, info: 2 };
    const keys = findings.map((f: FindingDraft) => rank[f.severity]);
    expect(keys).toEqual([...keys].sort((a, b) => a - b));
  });

  it("is a pure function of its input and now", () => {
    const again = analyzeFleet(generateFleet(101).input, fleet.now, fleet.options);
    expect(again).toEqual(findings);
  });

  it("returns nothing for an empty fleet", () => {
    expect(analyzeFleet({ sessions: [], events: [], heartbeats: [] }, fleet.now)).toEqual([]);
  });
});
