// The customer-facing explanations say what was measured and the exact change to ask for.
import { describe, expect, test } from "vitest";
import type { EvidenceByKind, KindEvidence } from "@/lib/contract/evidence";
import type { FindingKind } from "@/lib/contract/vocabulary";
import { duration, explainForCustomer } from "@/lib/reports/explain";
import { evidenceFor } from "../../helpers/evidence";

const at = <K extends FindingKind>(kind: K, evidence: Partial<EvidenceByKind[K]>, device: string | null = null) =>
  explainForCustomer({ kind, evidence: evidenceFor(kind, evidence), device } as KindEvidence & { device: string | null }, "tenant.example.com:443");

describe("explainForCustomer", () => {
  test("idle timeout: the numbers, the named default, and the idle timeout to raise for that endpoint", () => {
    const x = at("idle_timeout", { timeoutS: 900, mode: "reset", knownAs: "15-minute firewall idle timeout", drops: 212, share: 0.88, affectedDevices: ["a", "b"] });
    expect(x.measured).toContain("212 dropped connections (88 %");
    expect(x.measured).toContain("15 minutes");
    expect(x.meaning).toContain("15-minute firewall idle timeout");
    expect(x.ask).toBe(
      "Please raise the TCP idle (session) timeout for traffic from this site to tenant.example.com on port 443 above 10 minutes — ideally to 90 minutes, the longest the platform keeps a request waiting.",
    );
  });

  test("an unusual timeout is called unusual, a probe measurement says so", () => {
    expect(at("idle_timeout", { timeoutS: 1000, mode: "reset", knownAs: null, drops: 6, share: 1 }).meaning).toContain("unusual value");
    expect(at("idle_timeout", { timeoutS: 350, mode: "probe", knownAs: null }).measured).toMatch(/probe held idle connections/);
  });

  test("TLS interception: the issuer, the vendor, and the bypass to ask for", () => {
    const x = at("tls_interception", { issuer: "CN=Zscaler Root CA, O=Zscaler Inc.", vendor: "Zscaler", endpoint: "tenant.example.com:443" });
    expect(x.measured).toContain('"CN=Zscaler Root CA, O=Zscaler Inc."');
    expect(x.ask).toBe("Please exempt tenant.example.com (port 443) from TLS/SSL inspection in Zscaler: add it to the inspection bypass list.");
  });

  test("port blocked: refused and dropped are told apart, the rule to ask for names port and host", () => {
    expect(at("port_blocked", { endpoint: "tenant.example.com:443", mode: "refused" }).measured).toContain("actively refused");
    const dropped = at("port_blocked", { endpoint: "tenant.example.com:443", mode: "dropped" });
    expect(dropped.measured).toContain("silently dropped");
    expect(dropped.ask).toBe("Please allow outbound TCP port 443 from this site's devices to tenant.example.com.");
  });

  test("every kind has all three parts", () => {
    const kinds = ["outage", "flapping", "offline", "session_lifetime", "scheduled_drop"] as const;
    for (const kind of kinds) {
      const x = at<(typeof kinds)[number]>(kind, { start: "2026-11-26T03:00:00Z", reconnectsPerHour: 40, lastSeen: "2026-11-25T10:00:00Z", periodS: 3900, timeOfDay: "03:00", dayCount: 5 } as never, "gw-1");
      for (const part of [x.measured, x.meaning, x.ask]) expect(part.length, kind).toBeGreaterThan(30);
    }
  });

  test("durations read as people say them", () => {
    expect(duration(45)).toBe("45 seconds");
    expect(duration(900)).toBe("15 minutes");
    expect(duration(3600)).toBe("60 minutes");
    expect(duration(7200)).toBe("2 hours");
    expect(duration(3900)).toBe("65 minutes");
  });
});
