import { X509Certificate } from "node:crypto";
import * as mockttp from "mockttp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBayeuxServer, type BayeuxServer } from "./helpers/bayeux-server";
import { createTestPki, type TestPki } from "./helpers/certs";
import { startLinkscopeStub, type LinkscopeStub } from "./helpers/linkscope-stub";
import { TEST_KEY, runProbe, tempSpool } from "./helpers/run-probe";

/**
 * A real TLS-intercepting proxy (mockttp, with its own CA) between the probe and a Bayeux
 * target: the probe must report the interceptor's chain, not the target's, and call it untrusted
 * even though the probe itself trusts the target's real CA.
 */
let pki: TestPki;
let bayeux: BayeuxServer;
let linkscope: LinkscopeStub;
let interceptor: mockttp.Mockttp;
let interceptorCa: X509Certificate;

beforeAll(async () => {
  pki = createTestPki();
  bayeux = await startBayeuxServer(pki);
  linkscope = await startLinkscopeStub(TEST_KEY);
  const ca = await mockttp.generateCACertificate({ subject: { commonName: "Interceptor Test CA", organizationName: "Inspecting Proxy Ltd" } });
  interceptorCa = new X509Certificate(ca.cert);
  interceptor = mockttp.getLocal({ https: { key: ca.key, cert: ca.cert } });
  await interceptor.start();
  await interceptor.forAnyRequest().thenPassThrough({ ignoreHostHttpsErrors: true });
});

afterAll(async () => {
  await Promise.all([interceptor?.stop(), bayeux?.close(), linkscope?.close()]);
});

/** mockttp reports an https:// URL, but takes plain HTTP CONNECT on the same port, as proxies do. */
const proxyUrl = () => `http://127.0.0.1:${interceptor.port}`;

const argsFor = (device: string) => [
  "--once", "--no-idle", "--server", linkscope.url, "--key", TEST_KEY, "--site", "lab", "--device", device,
  "--target", bayeux.url, "--ca", pki.caFile, "--spool", tempSpool(),
];

describe("through a TLS-intercepting proxy", () => {
  it.each([
    ["--proxy", (device: string) => runProbe([...argsFor(device), "--proxy", proxyUrl()])],
    ["HTTPS_PROXY", (device: string) => runProbe(argsFor(device), { HTTPS_PROXY: proxyUrl(), NO_PROXY: `127.0.0.1:${linkscope.port}` })],
  ])("captures the interceptor's chain as untrusted (proxy from %s)", async (source, run) => {
    const device = `probe-intercepted-${source === "--proxy" ? "flag" : "env"}`;
    const result = await run(device);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/TLS interception\?/);
    const mine = linkscope.events.filter((e) => e.device === device);
    const tls = mine.find((e) => e.type === "tls");
    expect(tls).toMatchObject({ endpoint: `127.0.0.1:${bayeux.port}`, verified: false, attrs: { proxy: `127.0.0.1:${interceptor.port}` } });
    expect(["SELF_SIGNED_CERT_IN_CHAIN", "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY"]).toContain(tls?.error);
    const chain = tls?.chain as { subject: string; issuer: string }[];
    expect(chain[0].issuer).toContain("CN=Interceptor Test CA");
    expect(chain[0].issuer).toContain("O=Inspecting Proxy Ltd");
    expect(chain.some((cert) => cert.issuer.includes("Linkscope Test Root CA"))).toBe(false);
    expect(interceptorCa.subject).toContain("Interceptor Test CA");
    // The long-poll still works through the interceptor: the device could connect if told to trust it.
    expect(mine.filter((e) => e.type === "connect")).toHaveLength(1);
    // But the verdict is the weakest stage's: a device that verifies certificates stops at TLS.
    expect(result.stdout).toContain("NOT reachable for a device that verifies certificates: stuck at tls");
    expect(result.stdout).not.toContain("reachable through Bayeux");
    expect(mine.find((e) => e.type === "probe")).toMatchObject({ result: { ok: false, weakestStage: "tls", bayeux: true } });
    expect(linkscope.rejected).toEqual([]);
  });
});
