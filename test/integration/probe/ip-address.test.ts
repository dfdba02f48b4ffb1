import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBayeuxServer, type BayeuxServer } from "./helpers/bayeux-server";
import { createTestPki, type TestPki } from "./helpers/certs";
import { startLinkscopeStub, type LinkscopeStub } from "./helpers/linkscope-stub";
import { TEST_KEY, runProbe, tempSpool } from "./helpers/run-probe";

/**
 * Targets and servers addressed by IP (https://127.0.0.2): the certificate is checked against
 * that address's IP SAN. The certificates here carry no DNS names at all (no `localhost` to
 * fall back on), and 127.0.0.2 is a loopback address of its own on Linux.
 */
const IP = "127.0.0.2";
let pki: TestPki;
let wrongIp: TestPki;
let bayeux: BayeuxServer;
let misnamed: BayeuxServer;
let linkscope: LinkscopeStub;

beforeAll(async () => {
  pki = createTestPki({ ips: [IP], names: [] });
  wrongIp = createTestPki({ ips: ["127.0.0.3"], names: [] });
  bayeux = await startBayeuxServer(pki, undefined, IP);
  misnamed = await startBayeuxServer(wrongIp, undefined, IP);
  linkscope = await startLinkscopeStub(TEST_KEY, 0, { tls: { key: pki.leafKeyPem, cert: pki.chainPem }, host: IP });
});

afterAll(async () => {
  await Promise.all([bayeux?.close(), misnamed?.close(), linkscope?.close()]);
});

describe("IP-address targets and servers", () => {
  it("verify against the IP SAN, for the target and for the probe's own server", async () => {
    const result = await runProbe(["--once", "--no-idle", "--server", linkscope.url, "--key", TEST_KEY, "--site", "lab", "--device", "probe-ip", "--target", bayeux.url, "--ca", pki.caFile, "--spool", tempSpool()]);
    expect(result.code, result.stderr).toBe(0);
    // The report arrived over https://127.0.0.2: the server's chain was verified too.
    const tls = linkscope.events.find((e) => e.device === "probe-ip" && e.type === "tls");
    expect(tls).toMatchObject({ endpoint: `${IP}:${bayeux.port}`, verified: true });
    expect(tls).not.toHaveProperty("error");
    expect(result.stdout).toContain("reachable through Bayeux /meta/connect");
  });

  it("still reject a certificate for another address", async () => {
    // One --ca file holding both CAs: the server's chain is trusted, the target's is of the wrong address.
    const bothCas = path.join(wrongIp.dir, "both.pem");
    fs.writeFileSync(bothCas, pki.caPem + wrongIp.caPem);
    const result = await runProbe(["--once", "--no-idle", "--server", linkscope.url, "--key", TEST_KEY, "--site", "lab", "--device", "probe-ip-wrong", "--target", misnamed.url, "--ca", bothCas, "--spool", tempSpool()]);
    expect(result.stdout).toContain("server accepted");
    expect(result.code).toBe(1);
    const tls = linkscope.events.find((e) => e.device === "probe-ip-wrong" && e.type === "tls");
    expect(tls).toMatchObject({ verified: false, error: "ERR_TLS_CERT_ALTNAME_INVALID" });
  });
});
