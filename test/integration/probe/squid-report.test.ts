import fs from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startBayeuxServer, type BayeuxServer } from "./helpers/bayeux-server";
import { createTestPki, type TestPki } from "./helpers/certs";
import { startLinkscopeStub, type LinkscopeStub } from "./helpers/linkscope-stub";
import { TEST_KEY, runProbe, spooledEvents, tempSpool } from "./helpers/run-probe";
import { describeWithSquid, startSquid, type Squid } from "./helpers/squid";

/**
 * The probe's own report to the Linkscope server takes the same proxy as the target when the
 * proxy setting covers it. Behind a full bump the key must not cross the interceptor, the
 * output must say how to get the report through (NO_PROXY, --ca, a direct route), and the
 * events must wait in the spool until one of them is done.
 */
describeWithSquid("the probe's report behind Squid", () => {
  let pki: TestPki;
  let origin: BayeuxServer;
  let httpsServer: LinkscopeStub;
  let httpServer: LinkscopeStub;
  let bump: Squid;

  beforeAll(async () => {
    pki = createTestPki();
    origin = await startBayeuxServer(pki);
    httpsServer = await startLinkscopeStub(TEST_KEY, 0, { tls: { key: pki.leafKeyPem, cert: pki.chainPem } });
    httpServer = await startLinkscopeStub(TEST_KEY);
    bump = await startSquid({ mode: "bump", originCaFile: pki.caFile });
  });

  afterAll(async () => {
    await Promise.all([bump?.stop(), origin?.close(), httpsServer?.close(), httpServer?.close()]);
  });

  it("keeps the key off a bumped https server, says what to do, spools, and delivers once the route is fixed", async () => {
    const spool = tempSpool();
    const args = ["--once", "--no-idle", "--server", httpsServer.url, "--key", TEST_KEY, "--site", "lab", "--device", "probe-report-bumped", "--spool", spool, "--target", origin.url, "--ca", pki.caFile];
    const env = { HTTPS_PROXY: bump.url() };

    const blocked = await runProbe(args, env);
    expect(blocked.code).toBe(1);
    expect(httpsServer.received).toEqual([]);
    // The probe refused the bumped chain before sending anything: the key never reached Squid.
    expect(bump.accessLog().filter((line) => line.includes("/api/v1/events"))).toEqual([]);
    const spooled = spooledEvents(spool);
    expect(spooled.map((e) => e.type)).toEqual(["tls", "connect", "disconnect", "probe"]);
    // Server and target share 127.0.0.1: the exemption names the server's port only.
    const exempt = `NO_PROXY=127.0.0.1:${httpsServer.port}`;
    for (const text of [blocked.stdout, blocked.stderr]) {
      expect(text).toContain(`the report goes through the proxy ${bump.label}`);
      expect(text).toContain(exempt);
      expect(text).toContain("--ca FILE");
      expect(text).toContain("direct route");
    }
    expect(blocked.stdout).toContain(`4 still spooled in ${spool}`);

    // What the advice says, done: the report goes around the proxy, the target still through it.
    const direct = await runProbe(args, { ...env, NO_PROXY: `127.0.0.1:${httpsServer.port}` });
    expect(direct.stdout).toContain("server accepted 8");
    expect(fs.existsSync(spool)).toBe(false);
    const delivered = new Set(httpsServer.events.map((e) => e.id));
    for (const event of spooled) expect(delivered.has(String(event.id))).toBe(true);
    expect(httpsServer.events.filter((e) => e.type === "tls").every((e) => e.verified === false)).toBe(true);
    expect(httpsServer.rejected).toEqual([]);
  });

  it("sends the report through the bump once the proxy's CA is trusted (--ca)", async () => {
    const from = httpsServer.events.length;
    const run = await runProbe(
      ["--once", "--no-idle", "--server", httpsServer.url, "--key", TEST_KEY, "--site", "lab", "--device", "probe-report-trusted-bump", "--spool", tempSpool(), "--ca", bump.ca!.caFile],
      { HTTPS_PROXY: bump.url() },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(httpsServer.events.length - from).toBe(4);
    expect(bump.accessLog().some((line) => line.includes(`POST https://127.0.0.1:${httpsServer.port}/api/v1/events`))).toBe(true);
  });

  it("names the proxy and the remedy when it cuts a plain-http report, and keeps the events", async () => {
    const spool = tempSpool();
    const run = await runProbe(["--once", "--no-idle", "--server", httpServer.url, "--key", TEST_KEY, "--site", "lab", "--device", "probe-report-http", "--spool", spool, "--proxy", bump.url()]);
    expect(run.code).toBe(1);
    expect(httpServer.received).toEqual([]);
    expect(spooledEvents(spool).length).toBeGreaterThan(0);
    expect(run.stdout).toContain(`What to do: the proxy ${bump.label} (from --proxy) broke the connection carrying the report to ${httpServer.url}`);
    expect(run.stdout).toContain("Use the server's https:// address, exempt it (NO_PROXY=127.0.0.1), or run with --no-proxy");
    expect(run.stdout).toContain(`What to do: the proxy ${bump.label} opened the tunnel but cut the plain HTTP inside it`);
  });
});
