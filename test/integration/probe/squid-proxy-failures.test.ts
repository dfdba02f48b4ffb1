import { closedPort } from "./helpers/ports";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startBayeuxServer, type BayeuxServer } from "./helpers/bayeux-server";
import { createTestPki, type TestPki } from "./helpers/certs";
import { startLinkscopeStub, type LinkscopeStub } from "./helpers/linkscope-stub";
import { TEST_KEY, runProbe, tempSpool } from "./helpers/run-probe";
import { describeWithSquid, startSquid, type Squid } from "./helpers/squid";

/**
 * What a real Squid answers when the proxy, not the platform's port, is the problem — and that
 * the probe reports each as the proxy's doing (PROTOCOL additions: `proxy`, `proxyStage`,
 * `proxyError` on connect_failed, docs/protocol-additions.md), with a remedy naming the proxy:
 * authentication required (407), CONNECT denied by policy (403), the proxy itself unable to reach
 * the target (503 ERR_CONNECT_FAIL), and a bumping proxy unable to verify the origin (503
 * ERR_SECURE_CONNECT_FAIL on the request).
 */
const PROXY_USER = { user: "site-probe", password: "pr0xy:p@ss" };

describeWithSquid("proxy failures through Squid", () => {
  let pki: TestPki;
  let origin: BayeuxServer;
  let linkscope: LinkscopeStub;
  let authenticating: Squid;
  let strict: Squid;
  let tunnel: Squid;
  let blindBump: Squid;

  beforeAll(async () => {
    pki = createTestPki();
    origin = await startBayeuxServer(pki);
    linkscope = await startLinkscopeStub(TEST_KEY);
    [authenticating, strict, tunnel, blindBump] = await Promise.all([
      startSquid({ mode: "tunnel", auth: PROXY_USER }),
      // Debian's default policy: CONNECT only to 443.
      startSquid({ mode: "tunnel", connectPorts: "443" }),
      startSquid({ mode: "tunnel" }),
      // Bumps, but was never told the origin's private CA.
      startSquid({ mode: "bump" }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([authenticating?.stop(), strict?.stop(), tunnel?.stop(), blindBump?.stop(), origin?.close(), linkscope?.close()]);
  });

  async function runThrough(proxyUrl: string, device: string, target = origin.url) {
    const result = await runProbe(
      ["--once", "--no-idle", "--server", linkscope.url, "--key", TEST_KEY, "--site", "lab", "--device", device, "--spool", tempSpool(), "--target", target, "--ca", pki.caFile, "--no-bayeux"],
      { HTTPS_PROXY: proxyUrl },
    );
    const events = linkscope.events.filter((e) => e.device === device);
    return { ...result, events, failures: events.filter((e) => e.type === "connect_failed") };
  }

  it("407 without proxy credentials: the proxy was reached, the tunnel refused, and the message asks for credentials", async () => {
    const run = await runThrough(authenticating.url(), "probe-407-none");
    expect(run.code).toBe(1);
    expect(run.failures).toMatchObject([
      { stage: "tcp", errno: "PROXY_AUTH_REQUIRED", endpoint: `127.0.0.1:${origin.port}`, proxy: authenticating.label, proxyStage: "connect", proxyError: "ERR_CACHE_ACCESS_DENIED 0" },
    ]);
    expect(run.stderr).toContain(`proxy ${authenticating.label} (from HTTPS_PROXY) refused the tunnel`);
    expect(run.stdout).toContain(`What to do: the proxy ${authenticating.label} requires authentication (realm "Linkscope test proxy")`);
    expect(run.stdout).toContain(`http://USER:PASSWORD@${authenticating.label}`);
  });

  it("407 with wrong proxy credentials: says they were rejected, and never prints them", async () => {
    const run = await runThrough(authenticating.url({ user: PROXY_USER.user, password: "wrong-password" }), "probe-407-wrong");
    expect(run.failures).toMatchObject([{ errno: "PROXY_AUTH_REQUIRED", proxyStage: "connect" }]);
    expect(run.stdout).toContain(`the proxy ${authenticating.label} rejected the credentials in the HTTPS_PROXY environment variable`);
    expect(`${run.stdout}${run.stderr}${JSON.stringify(run.events)}`).not.toContain("wrong-password");
  });

  it("with the right proxy credentials (URL-encoded in HTTPS_PROXY) gets through", async () => {
    const run = await runThrough(authenticating.url(PROXY_USER), "probe-407-right");
    expect(run.code, run.stderr).toBe(0);
    expect(run.failures).toEqual([]);
    expect(run.events.find((e) => e.type === "tls")).toMatchObject({ verified: true });
    expect(authenticating.accessLog().some((line) => line.includes(PROXY_USER.user) && line.includes("CONNECT"))).toBe(true);
    expect(`${run.stdout}${run.stderr}${JSON.stringify(run.events)}`).not.toContain(PROXY_USER.password);
  });

  it("403 from the proxy's policy: PROXY_FORBIDDEN with Squid's error, and the allow-list as the remedy", async () => {
    const run = await runThrough(strict.url(), "probe-403");
    expect(run.code).toBe(1);
    expect(run.failures).toMatchObject([{ stage: "tcp", errno: "PROXY_FORBIDDEN", proxy: strict.label, proxyStage: "connect", proxyError: "ERR_ACCESS_DENIED 0" }]);
    expect(run.stdout).toContain(`the proxy ${strict.label} does not allow tunnels to 127.0.0.1 port ${origin.port}: ask IT to add it to the proxy's allow-list`);
  });

  it("the proxy cannot connect to the target itself: PROXY_503 at the origin step, the block is beyond the proxy", async () => {
    const port = await closedPort();
    const run = await runThrough(tunnel.url(), "probe-beyond-proxy", `https://127.0.0.1:${port}`);
    expect(run.code).toBe(1);
    expect(run.failures).toMatchObject([{ stage: "tcp", errno: "PROXY_503", endpoint: `127.0.0.1:${port}`, proxy: tunnel.label, proxyStage: "origin", proxyError: "ERR_CONNECT_FAIL 111" }]);
    expect(run.stdout).toContain("the block is beyond the proxy");
  });

  it("a bumping proxy that cannot verify the origin answers 503 itself: the HTTP stage fails, naming the proxy and its error", async () => {
    const run = await runThrough(blindBump.url(), "probe-secure-connect-fail");
    expect(run.code).toBe(1);
    expect(run.failures).toMatchObject([{ stage: "http", errno: "HTTP_503", proxy: blindBump.label, proxyStage: "origin", proxyError: "ERR_SECURE_CONNECT_FAIL 0" }]);
    expect(run.stderr).toContain(`GET / answered 503 by the proxy ${blindBump.label} (from HTTPS_PROXY) (ERR_SECURE_CONNECT_FAIL 0)`);
    expect(run.stdout).toContain("NOT reachable: stuck at http (HTTP_503)");
    expect(run.stdout).toContain("ask IT to exempt 127.0.0.1 from TLS inspection");
    expect(run.events.find((e) => e.type === "probe")).toMatchObject({ result: { ok: false, failedStage: "http", proxyStage: "origin", proxyError: "ERR_SECURE_CONNECT_FAIL 0" } });
  });
});
