import { X509Certificate, createHash } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { BAYEUX_PATH, startBayeuxServer, type BayeuxServer } from "./helpers/bayeux-server";
import { createTestPki, type TestPki } from "./helpers/certs";
import { startLinkscopeStub, type LinkscopeStub } from "./helpers/linkscope-stub";
import { TEST_KEY, runProbe, tempSpool } from "./helpers/run-probe";
import { describeWithSquid, startSquid, type Squid } from "./helpers/squid";

/**
 * The probe through a real Squid, the three ways a corporate proxy passes HTTPS: a plain CONNECT
 * tunnel, ssl-bump peek + splice (TLS still end to end), and a full bump (TLS ends at the proxy,
 * which mimics the origin's certificate with its own CA). The origin is a faye Bayeux server that
 * demands basic auth and records every request's headers, so the tests see exactly what crossed
 * the proxy — above all, that platform credentials never cross a chain the probe did not verify.
 */
const CREDENTIALS = { user: "device", password: "s3cret-platform-password" };
const EXPECTED_AUTHORIZATION = `Basic ${Buffer.from(`${CREDENTIALS.user}:${CREDENTIALS.password}`).toString("base64")}`;

describeWithSquid("the probe through Squid (tunnel, peek and splice, bump)", () => {
  let pki: TestPki;
  let origin: BayeuxServer;
  let linkscope: LinkscopeStub;
  let tunnel: Squid;
  let splice: Squid;
  let bump: Squid;

  beforeAll(async () => {
    pki = createTestPki();
    origin = await startBayeuxServer(pki, CREDENTIALS);
    linkscope = await startLinkscopeStub(TEST_KEY);
    [tunnel, splice, bump] = await Promise.all([
      startSquid({ mode: "tunnel" }),
      startSquid({ mode: "splice" }),
      // The proxy trusts the origin's CA, as IT configures it for the platforms it inspects.
      startSquid({ mode: "bump", originCaFile: pki.caFile, caSubject: "/O=Acme Corp/CN=Acme Inspection CA" }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([tunnel?.stop(), splice?.stop(), bump?.stop(), origin?.close(), linkscope?.close()]);
  });

  /**
   * One run with the proxy from HTTPS_PROXY (which covers the https target, not the plain-http
   * stand-in server) and the Bayeux credentials; what the origin and Linkscope received in it.
   */
  async function runThrough(squid: Squid, device: string, extra: string[] = []) {
    const fromRequest = origin.requests.length;
    const result = await runProbe(
      [
        "--once", "--no-idle", "--server", linkscope.url, "--key", TEST_KEY, "--site", "lab", "--device", device, "--spool", tempSpool(),
        "--target", origin.url, "--user", CREDENTIALS.user, "--password", CREDENTIALS.password, ...extra,
      ],
      { HTTPS_PROXY: squid.url() },
    );
    const events = linkscope.events.filter((e) => e.device === device);
    const requests = origin.requests.slice(fromRequest);
    return { ...result, events, requests, bayeuxPosts: requests.filter((r) => r.method === "POST" && r.url.startsWith(BAYEUX_PATH)) };
  }

  const leafSha256 = () => createHash("sha256").update(new X509Certificate(pki.leafPem).raw).digest("hex");

  it.each([
    ["a plain CONNECT tunnel", () => tunnel],
    ["ssl-bump peek and splice", () => splice],
  ])("through %s sees the origin's own chain, verifies it and logs in", async (_kind, squid) => {
    const device = `probe-squid-${squid().port}`;
    const run = await runThrough(squid(), device, ["--ca", pki.caFile]);
    expect(run.code, run.stderr).toBe(0);
    const tls = run.events.find((e) => e.type === "tls");
    expect(tls).toMatchObject({ verified: true, endpoint: `127.0.0.1:${origin.port}`, attrs: { proxy: squid().label } });
    expect((tls?.chain as { sha256: string }[])[0].sha256).toBe(leafSha256());
    expect(run.events.find((e) => e.type === "connect")).toMatchObject({ transport: "long-polling", attrs: { proxy: squid().label } });
    // The chain was verified: the credentials went to the origin, and the proxy could not read the requests.
    expect(run.bayeuxPosts.length).toBeGreaterThanOrEqual(2);
    for (const request of run.bayeuxPosts) expect(request.headers.authorization).toBe(EXPECTED_AUTHORIZATION);
    expect(run.requests.some((r) => r.headers.via !== undefined)).toBe(false);
    expect(squid().accessLog().some((line) => line.includes(`CONNECT 127.0.0.1:${origin.port}`))).toBe(true);
    expect(run.stdout).toContain("reachable through Bayeux /meta/connect");
    expect(linkscope.rejected).toEqual([]);
  });

  it("through a full bump reports the proxy's CA, withholds the credentials, and calls the path not reachable", async () => {
    const device = "probe-squid-bump";
    const run = await runThrough(bump, device, ["--ca", pki.caFile]);
    expect(run.code).toBe(1);

    const tls = run.events.find((e) => e.type === "tls");
    expect(tls).toMatchObject({ verified: false, attrs: { proxy: bump.label } });
    const chain = tls?.chain as { subject: string; issuer: string; sha256: string }[];
    expect(chain[0].issuer).toBe("O=Acme Corp, CN=Acme Inspection CA");
    expect(chain[0].sha256).not.toBe(leafSha256());

    // The requests crossed the bump (Squid adds Via), and not one carried the credentials.
    expect(run.bayeuxPosts.length).toBeGreaterThanOrEqual(1);
    for (const request of run.requests) expect(String(request.headers.via)).toContain("squid");
    for (const request of run.requests) expect(request.headers.authorization).toBeUndefined();
    expect(JSON.stringify(run.requests)).not.toContain(CREDENTIALS.password);

    expect(run.stderr).toContain("not sending --user/--password");
    expect(run.stdout).toContain("Credentials: --user/--password NOT sent");
    expect(run.stdout).toContain("Bayeux: answered HTTP_401 without the withheld credentials");
    expect(run.stdout).toContain("NOT reachable for a device that verifies certificates: stuck at tls");
    expect(run.stdout).not.toContain("reachable through Bayeux");
    expect(run.events.some((e) => e.type === "connect_failed")).toBe(false);
    expect(run.events.find((e) => e.type === "probe")).toMatchObject({
      kind: "reachability",
      result: { ok: false, weakestStage: "tls", tlsVerified: false, credentialsWithheld: true, bayeuxNeedsCredentials: "HTTP_401", proxy: bump.label, proxySource: "HTTPS_PROXY" },
    });
    expect(linkscope.rejected).toEqual([]);
  });

  it("through a full bump whose CA it was given (--ca), trusts the chain and sends the credentials", async () => {
    // The control for the test above: the same path, with the proxy's CA trusted, does carry them.
    const run = await runThrough(bump, "probe-squid-bump-trusted", ["--ca", bump.ca!.caFile]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.events.find((e) => e.type === "tls")).toMatchObject({ verified: true });
    expect(run.bayeuxPosts.length).toBeGreaterThanOrEqual(2);
    for (const request of run.bayeuxPosts) {
      expect(request.headers.authorization).toBe(EXPECTED_AUTHORIZATION);
      expect(String(request.headers.via)).toContain("squid");
    }
    expect(run.stdout).toContain("reachable through Bayeux /meta/connect");
  });
});
