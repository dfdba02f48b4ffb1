// The probe against the real dashboard: downloaded from /probe.mjs and run with plain Node,
// its events land in the database; through a TLS-intercepting proxy (mockttp posing as
// Zscaler) the dashboard raises tls_interception naming the vendor — end to end.
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import * as mockttp from "mockttp";
import { afterAll, beforeAll, expect, test } from "vitest";
import { keyFor, startApp, type RunningApp } from "./../helpers/app";
import { sqliteTestDb, type TestDb } from "../helpers/test-db";
import { startBayeuxServer, type BayeuxServer } from "./probe/helpers/bayeux-server";
import { createTestPki, type TestPki } from "./probe/helpers/certs";
import { runProbeProcess, tempSpool } from "./probe/helpers/run-probe";

let t: TestDb;
let app: RunningApp;
let pki: TestPki;
let bayeux: BayeuxServer;
let interceptor: mockttp.Mockttp;
let ingestKey: string;
let readKey: string;
let probeFile: string;

beforeAll(async () => {
  pki = createTestPki();
  bayeux = await startBayeuxServer(pki);
  const ca = await mockttp.generateCACertificate({ subject: { commonName: "Zscaler Root CA", organizationName: "Zscaler Inc." } });
  interceptor = mockttp.getLocal({ https: { key: ca.key, cert: ca.cert } });
  await interceptor.start();
  await interceptor.forAnyRequest().thenPassThrough({ ignoreHostHttpsErrors: true });

  t = await sqliteTestDb();
  ingestKey = await keyFor(t.db, "ingest");
  readKey = await keyFor(t.db, "read");
  // The Bayeux endpoint's genuine chain ends in the test PKI's private root: pin it, as an
  // operator would for a private platform, so only the interceptor's chain is suspect.
  const caSubject = new (await import("node:crypto")).X509Certificate(fs.readFileSync(pki.caFile)).subject.split("\n").reverse().join(", ");
  const pins = { [`127.0.0.1:${bayeux.port}`]: { issuers: [caSubject] } };
  app = await startApp(t.config, { LINKSCOPE_ANALYSIS_DEBOUNCE_MS: "200", LINKSCOPE_TLS_PINS: JSON.stringify(pins) });

  // Download the probe exactly as the README tells a site engineer to.
  const res = await fetch(`${app.url}/probe.mjs`);
  expect(res.status).toBe(200);
  probeFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "probe-download-")), "probe.mjs");
  fs.writeFileSync(probeFile, Buffer.from(await res.arrayBuffer()));
});

afterAll(async () => {
  await Promise.all([interceptor?.stop(), bayeux?.close(), app?.stop()]);
  await t?.cleanup();
});

async function findings(kind: string) {
  const res = await fetch(`${app.url}/api/v1/findings?kind=${kind}`, { headers: { authorization: `Bearer ${readKey}` } });
  return ((await res.json()) as { items: Array<Record<string, any>> }).items;
}

test("the downloaded probe runs with plain Node and its report is stored", async () => {
  const result = await runProbeProcess(probeFile, [
    "--once", "--no-idle", "--server", app.url, "--key", ingestKey, "--site", "lab", "--device", "probe-direct",
    "--target", bayeux.url, "--ca", pki.caFile, "--spool", tempSpool(),
  ]);
  expect(result.code, result.stderr).toBe(0);
  const device = await t.db.prisma.device.findUnique({ where: { externalId: "probe-direct" }, include: { events: true } });
  const types = new Set(device?.events.map((e) => e.type));
  expect(types).toEqual(new Set(["tls", "connect", "disconnect", "probe"]));
  const tls = JSON.parse(device!.events.find((e) => e.type === "tls")!.data);
  expect(tls).toMatchObject({ verified: true, endpoint: `127.0.0.1:${bayeux.port}` });
});

test("through an intercepting proxy the dashboard raises tls_interception and names the vendor", async () => {
  const result = await runProbeProcess(probeFile, [
    "--once", "--no-idle", "--server", app.url, "--key", ingestKey, "--site", "lab", "--device", "probe-intercepted",
    "--target", bayeux.url, "--ca", pki.caFile, "--spool", tempSpool(), "--proxy", `http://127.0.0.1:${interceptor.port}`,
  ]);
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/interception/i);
  let found: Array<Record<string, any>> = [];
  for (let i = 0; i < 60 && found.length === 0; i++) {
    await new Promise((r) => setTimeout(r, 250));
    found = await findings("tls_interception");
  }
  expect(found).toHaveLength(1);
  expect(found[0]).toMatchObject({
    site: "lab",
    status: "open",
    evidence: expect.objectContaining({ vendor: "Zscaler", endpoint: `127.0.0.1:${bayeux.port}` }),
  });
  expect(found[0].evidence.issuer).toMatch(/Zscaler Root CA/);
  expect(found[0].recommendation).toMatch(/inspection|exempt|intercept/i);
});

test("a proxy the probe cannot reach is stored as such: the server keeps proxy and proxyStage of connect_failed", async () => {
  const closed = await new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
  // HTTPS_PROXY covers the https target only; the report goes to the plain-http app directly.
  const result = await runProbeProcess(
    probeFile,
    ["--once", "--no-idle", "--server", app.url, "--key", ingestKey, "--site", "lab", "--device", "probe-wrong-proxy", "--target", bayeux.url, "--ca", pki.caFile, "--spool", tempSpool()],
    { HTTPS_PROXY: `http://127.0.0.1:${closed}` },
  );
  expect(result.code).toBe(1);
  expect(result.stdout).toContain(`Report: 2 events; server accepted 2`);
  const device = await t.db.prisma.device.findUnique({ where: { externalId: "probe-wrong-proxy" }, include: { events: true } });
  const failed = device!.events.filter((e) => e.type === "connect_failed").map((e) => JSON.parse(e.data));
  expect(failed).toMatchObject([{ stage: "tcp", errno: "ECONNREFUSED", endpoint: `127.0.0.1:${bayeux.port}`, proxy: `127.0.0.1:${closed}`, proxyStage: "tcp" }]);
});
