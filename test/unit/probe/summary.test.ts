import { describe, expect, it } from "vitest";
import { StageFailure } from "@/lib/probe/failure";
import type { ProbeRun } from "@/lib/probe/run";
import { verdictOf } from "@/lib/probe/summary";

const delivered = { delivered: 3, duplicates: 0, rejected: 0, dropped: 0, remaining: 0 };
const untrusted = { verified: false, error: "SELF_SIGNED_CERT_IN_CHAIN", chain: [{ subject: "CN=x", issuer: "CN=Zscaler Root CA", sha256: "ab" }] };

function run(overrides: Partial<ProbeRun>): ProbeRun {
  return { startedAt: new Date(), durationS: 1, funnel: { endpoint: "x:443" }, idle: [], events: [], delivery: delivered, ...overrides };
}

describe("verdictOf", () => {
  it("is 0 without a reason when everything got through and was delivered", () => {
    expect(verdictOf(run({}))).toEqual({ exitCode: 0 });
  });

  it("names the failed stage first", () => {
    const failure = new StageFailure("tcp", "ECONNREFUSED", "refused", 1);
    const verdict = verdictOf(run({ funnel: { endpoint: "x:443", failure }, delivery: { ...delivered, remaining: 2, stoppedBecause: "down" } }));
    expect(verdict.exitCode).toBe(1);
    expect(verdict.reason).toContain("failed at tcp: ECONNREFUSED");
  });

  it("calls an untrusted chain a failed check, naming the issuer", () => {
    const verdict = verdictOf(run({ funnel: { endpoint: "x:443", tls: untrusted } }));
    expect(verdict).toEqual({ exitCode: 1, reason: expect.stringContaining("issued by CN=Zscaler Root CA") });
  });

  it("exits 3 when the checks passed but the report stayed spooled", () => {
    const verdict = verdictOf(run({ delivery: { ...delivered, remaining: 5, stoppedBecause: "server answered 503" } }));
    expect(verdict).toEqual({ exitCode: 3, reason: expect.stringContaining("5 events not delivered (server answered 503)") });
  });
});
