import { describe, expect, it } from "vitest";
import { noProxyEntry, proxyRemedy, reportRemedy } from "@/lib/probe/advice";
import { StageFailure } from "@/lib/probe/failure";
import { proxyFor } from "@/lib/probe/proxy";
import { UntrustedChain } from "@/lib/probe/transport";

const target = new URL("https://tenant.c8y.example");
const server = new URL("https://linkscope.corp.example");
const viaEnv = proxyFor(target, undefined, { HTTPS_PROXY: "http://proxy.corp:3128" });
const withCredentials = proxyFor(target, "http://me:secret@proxy.corp:3128", {});

describe("proxyRemedy", () => {
  it("a refused TCP connect to the proxy: check the address in the setting it came from", () => {
    const failure = new StageFailure("tcp", "ECONNREFUSED", "x", 1, { stage: "tcp" });
    expect(proxyRemedy(failure, viaEnv, target)).toBe(
      "nothing accepts connections at the proxy proxy.corp:3128: check the proxy's host and port in the HTTPS_PROXY environment variable (is the proxy running?); if this network allows direct connections, --no-proxy or NO_PROXY=tenant.c8y.example goes around it.",
    );
  });

  it("407: asks for credentials when none were given, says they were rejected otherwise, never repeats them", () => {
    const failure = new StageFailure("tcp", "PROXY_AUTH_REQUIRED", "x", 1, { stage: "connect", realm: "Corp" });
    expect(proxyRemedy(failure, viaEnv, target)).toContain('requires authentication (realm "Corp"): put the credentials in the proxy URL, http://USER:PASSWORD@proxy.corp:3128');
    const rejected = proxyRemedy(failure, withCredentials, target);
    expect(rejected).toContain("rejected the credentials in --proxy");
    expect(rejected).not.toContain("secret");
  });

  it("403: the proxy's allow-list; a CONNECT 5xx: the block is beyond the proxy", () => {
    expect(proxyRemedy(new StageFailure("tcp", "PROXY_FORBIDDEN", "x", 1, { stage: "connect" }), viaEnv, target)).toContain("allow-list");
    expect(proxyRemedy(new StageFailure("tcp", "PROXY_503", "x", 1, { stage: "origin", error: "ERR_CONNECT_FAIL 111" }), viaEnv, target)).toContain("the block is beyond the proxy");
  });

  it("says nothing about a proxy that opened the tunnel for an https target (the failure is beyond it)", () => {
    expect(proxyRemedy(new StageFailure("tls", "ECONNRESET", "x", 1), viaEnv, target)).toBeUndefined();
    expect(proxyRemedy(new StageFailure("tls", "ECONNRESET", "x", 1), undefined, target)).toBeUndefined();
  });
});

describe("reportRemedy", () => {
  const handshake = { verified: false, error: "SELF_SIGNED_CERT_IN_CHAIN", chain: [{ subject: "CN=linkscope", issuer: "CN=Corp Inspection CA", sha256: "ab" }] };

  it("a bumped server through a proxy: NO_PROXY, --ca, or a direct route", () => {
    const remedy = reportRemedy(new UntrustedChain("linkscope.corp.example:443", handshake, viaEnv, 3), server, viaEnv, target);
    expect(remedy).toContain("the report goes through the proxy proxy.corp:3128 (from the HTTPS_PROXY environment variable)");
    expect(remedy).toContain("issuer CN=Corp Inspection CA");
    expect(remedy).toContain("NO_PROXY=linkscope.corp.example");
    expect(remedy).toContain("--ca FILE");
    expect(remedy).toContain("direct route");
  });

  it("a plain-http server whose report the proxy cut", () => {
    const http = new URL("http://linkscope.corp.example:3000");
    const failure = new StageFailure("http", "ECONNRESET", "socket hang up", 0, { stage: "tunnel" });
    expect(reportRemedy(failure, http, proxyFor(http, "http://proxy.corp:3128", {}), target)).toContain("Use the server's https:// address, exempt it (NO_PROXY=linkscope.corp.example), or run with --no-proxy");
  });

  it("nothing more to say about a direct failure", () => {
    expect(reportRemedy(new StageFailure("tcp", "ECONNREFUSED", "x", 1), server, undefined, target)).toBeUndefined();
  });
});

describe("noProxyEntry", () => {
  it("names the host, or host:port when another URL on that host must keep the proxy", () => {
    expect(noProxyEntry(new URL("https://a.example"), [new URL("https://b.example")])).toBe("NO_PROXY=a.example");
    expect(noProxyEntry(new URL("https://127.0.0.1:8443"), [new URL("https://127.0.0.1:9443")])).toBe("NO_PROXY=127.0.0.1:8443");
  });
});
