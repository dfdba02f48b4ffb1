import { describe, expect, it } from "vitest";
import { StageFailure } from "@/lib/probe/failure";
import { weakestStage } from "@/lib/probe/funnel";
import type { ProbeRun } from "@/lib/probe/run";
import { reachabilityLine, verdictOf } from "@/lib/probe/summary";

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

describe("verdictOf with the report stuck as well", () => {
  it("names the failed check first and the spooled report with its advice on a line of its own", () => {
    const verdict = verdictOf(
      run({
        funnel: { endpoint: "x:443", tls: untrusted },
        delivery: { ...delivered, remaining: 4, stoppedBecause: "certificate of s:443 not trusted", advice: "exempt the server (NO_PROXY=s)" },
      }),
    );
    expect(verdict.exitCode).toBe(1);
    expect(verdict.reason).toContain("certificate chain not trusted");
    expect(verdict.more).toEqual([expect.stringContaining("4 events not delivered (certificate of s:443 not trusted); they stay spooled and are sent on the next run. What to do: exempt the server (NO_PROXY=s)")]);
  });

  it("appends the proxy remedy to a failed stage", () => {
    const failure = new StageFailure("tcp", "PROXY_AUTH_REQUIRED", "proxy p:3128 refused the tunnel", 1, { stage: "connect" });
    const verdict = verdictOf(run({ funnel: { endpoint: "x:443", failure, remedy: "put the credentials in the proxy URL" } }));
    expect(verdict.reason).toBe("x:443 failed at tcp: PROXY_AUTH_REQUIRED (proxy p:3128 refused the tunnel) — what to do: put the credentials in the proxy URL");
  });
});

describe("reachabilityLine (the verdict follows the weakest stage)", () => {
  const bayeux = { path: "/notification/realtime" };
  const session = { clientId: "c", handshakeMs: 3, connectMs: 4 };
  const trusted = { ...untrusted, verified: true, error: undefined };

  it("says reachable through Bayeux only when every stage passed with a trusted chain", () => {
    expect(reachabilityLine({ endpoint: "x:443", tls: trusted, httpStatus: 200, bayeuxAsked: true, bayeux: session }, { bayeux })).toBe("reachable through Bayeux /meta/connect");
  });

  it("stops at TLS when the chain was not trusted, whatever got through after it", () => {
    const line = reachabilityLine({ endpoint: "x:443", tls: untrusted, httpStatus: 200, bayeuxAsked: true, bayeux: session }, { bayeux });
    expect(line).toBe("NOT reachable for a device that verifies certificates: stuck at tls (chain not trusted); over the untrusted chain HTTP and Bayeux /meta/connect got through");
    expect(line).not.toMatch(/^reachable/);
  });

  it("stops at the failed stage", () => {
    const failure = new StageFailure("http", "HTTP_503", "answered 503", 1, { stage: "origin", error: "ERR_SECURE_CONNECT_FAIL 0" });
    expect(reachabilityLine({ endpoint: "x:443", tls: untrusted, failure }, { bayeux })).toBe("NOT reachable: stuck at http (HTTP_503)");
  });

  it("weakestStage: the failure, else an untrusted chain, else a Bayeux login that was not tried", () => {
    expect(weakestStage({ endpoint: "x:443", tls: trusted, bayeuxAsked: true, bayeuxNeedsCredentials: "HTTP_401" })).toBe("bayeux");
    expect(weakestStage({ endpoint: "x:443", tls: untrusted, bayeuxAsked: true, bayeuxNeedsCredentials: "HTTP_401" })).toBe("tls");
    expect(weakestStage({ endpoint: "x:443", tls: trusted, httpStatus: 200 })).toBeNull();
  });
});
