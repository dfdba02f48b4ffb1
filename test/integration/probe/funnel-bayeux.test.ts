import { X509Certificate, createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestPki, type TestPki } from "./helpers/certs";
import { startBayeuxServer, type BayeuxServer } from "./helpers/bayeux-server";
import { startLinkscopeStub, type LinkscopeStub } from "./helpers/linkscope-stub";
import { TEST_KEY, runProbe, tempSpool } from "./helpers/run-probe";

let pki: TestPki;
let bayeux: BayeuxServer;
let guarded: BayeuxServer;
let linkscope: LinkscopeStub;

beforeAll(async () => {
  pki = createTestPki();
  bayeux = await startBayeuxServer(pki);
  guarded = await startBayeuxServer(pki, { user: "device", password: "s3cret" });
  linkscope = await startLinkscopeStub(TEST_KEY);
});

afterAll(async () => {
  await Promise.all([bayeux?.close(), guarded?.close(), linkscope?.close()]);
});

const base = () => ["--once", "--no-idle", "--server", linkscope.url, "--key", TEST_KEY, "--site", "lab", "--spool", tempSpool()];
const eventsOf = (type: string, from: number) => linkscope.events.slice(from).filter((e) => e.type === type);

describe("funnel against a real Bayeux server (faye over HTTPS)", () => {
  it("reports the presented chain, a trusted handshake and a Bayeux connect with its disconnect", async () => {
    const from = linkscope.events.length;
    const result = await runProbe([...base(), "--target", bayeux.url, "--ca", pki.caFile]);
    expect(result.stderr).toContain("handshake ok");
    expect(result.code).toBe(0);

    const [tls] = eventsOf("tls", from);
    expect(tls).toMatchObject({ device: "probe-test-host", site: "lab", endpoint: `127.0.0.1:${bayeux.port}`, verified: true });
    const leaf = new X509Certificate(pki.leafPem);
    const ca = new X509Certificate(pki.caPem);
    const chain = tls.chain as Record<string, string>[];
    expect(chain).toHaveLength(2);
    expect(chain[0]).toMatchObject({
      subject: "O=Linkscope Tests, CN=127.0.0.1",
      issuer: "O=Linkscope Tests, CN=Linkscope Test Root CA",
      sha256: createHash("sha256").update(leaf.raw).digest("hex"),
      spkiSha256: createHash("sha256").update(leaf.publicKey.export({ type: "spki", format: "der" })).digest("hex"),
      notAfter: new Date(leaf.validTo).toISOString(),
    });
    expect(chain[1].sha256).toBe(createHash("sha256").update(ca.raw).digest("hex"));

    const [connect] = eventsOf("connect", from);
    const [disconnect] = eventsOf("disconnect", from);
    expect(connect).toMatchObject({ transport: "long-polling", endpoint: `127.0.0.1:${bayeux.port}` });
    expect(typeof connect.handshakeMs).toBe("number");
    expect(disconnect).toMatchObject({ session: connect.session, reason: "client_closed" });

    const ids = linkscope.events.slice(from).map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const event of linkscope.events.slice(from)) expect(Date.parse(String(event.at))).not.toBeNaN();
    expect(linkscope.rejected).toEqual([]);
  });

  it("reports an untrusted chain (private root not in Node's store) and exits non-zero", async () => {
    const from = linkscope.events.length;
    const result = await runProbe([...base(), "--target", bayeux.url]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/not trusted \(SELF_SIGNED_CERT_IN_CHAIN\)/);
    const [tls] = eventsOf("tls", from);
    expect(tls).toMatchObject({ verified: false, error: "SELF_SIGNED_CERT_IN_CHAIN" });
    expect(eventsOf("connect", from)).toHaveLength(1);
    expect(linkscope.rejected).toEqual([]);
  });

  it("fails the bayeux stage with HTTP_401 without credentials, and connects with them", async () => {
    let from = linkscope.events.length;
    const refused = await runProbe([...base(), "--target", guarded.url, "--ca", pki.caFile]);
    expect(refused.code).toBe(1);
    expect(eventsOf("connect_failed", from)).toMatchObject([{ stage: "bayeux", errno: "HTTP_401", endpoint: `127.0.0.1:${guarded.port}` }]);
    expect(eventsOf("connect", from)).toHaveLength(0);

    from = linkscope.events.length;
    const allowed = await runProbe([...base(), "--target", guarded.url, "--ca", pki.caFile, "--user", "device", "--password", "s3cret"]);
    expect(allowed.code).toBe(0);
    expect(eventsOf("connect", from)).toHaveLength(1);
  });
});
