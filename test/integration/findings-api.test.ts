// Detection end to end over real HTTP: events ingested through the API are analysed in the
// background (debounced after ingest), and the findings and the site histogram come back
// through the read API with the protocol's evidence.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { keyFor, postEvents, signIn, startApp, type RunningApp } from "../helpers/app";
import { rng } from "../helpers/random";
import { sqliteTestDb, type TestDb } from "../helpers/test-db";

let t: TestDb;
let app: RunningApp;
let ingestKey: string;
let readKey: string;

const NOW = Date.now();
const iso = (ms: number) => new Date(ms).toISOString();

/** A site whose firewall resets connections idle for 900 s, and a healthy one with random drops. */
function fleet() {
  const r = rng(42);
  const events: Record<string, unknown>[] = [];
  for (const [site, devices] of [["hamburg", 8], ["munich", 8]] as const) {
    for (let d = 0; d < devices; d++) {
      const device = `${site}-gw-${d}`;
      let t0 = NOW - 8 * 3_600_000 + r.int(0, 3_600_000); // recent: evidence older than a day resolves
      for (let s = 0; s < 12; s++) {
        const session = `${device}-${s}`;
        const idle = site === "hamburg" ? 900 + r.int(-3, 3) : r.int(30, 20_000);
        const end = t0 + (idle + r.int(60, 600)) * 1000;
        events.push({ id: `${session}-c`, device, site, type: "connect", session, endpoint: "tenant.example.com:443", transport: "long-polling", at: iso(t0) });
        events.push({ id: `${session}-d`, device, site, type: "disconnect", session, reason: "reset", errno: "ECONNRESET", idleS: idle, maxIdleS: 300, at: iso(end) });
        t0 = end + r.int(5_000, 60_000);
      }
    }
  }
  return events;
}

async function get(path: string) {
  const res = await fetch(`${app.url}${path}`, { headers: { authorization: `Bearer ${readKey}` } });
  return { status: res.status, json: (await res.json()) as Record<string, any> };
}

beforeAll(async () => {
  t = await sqliteTestDb();
  ingestKey = await keyFor(t.db, "ingest");
  readKey = await keyFor(t.db, "read");
  // As shipped: the analysis worker process beside the server, polling for new events.
  app = await startApp(t.config, { LINKSCOPE_BACKGROUND: "worker", LINKSCOPE_ANALYSIS_DEBOUNCE_MS: "300" });
  const events = fleet();
  for (let i = 0; i < events.length; i += 500) expect((await postEvents(app.url, ingestKey, { events: events.slice(i, i + 500) })).status).toBe(200);
});
afterAll(async () => {
  await app?.stop();
  await t?.cleanup();
});

async function eventually<T>(probe: () => Promise<T | null>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe("findings from ingested data", () => {
  test("the 900 s firewall site gets an idle_timeout finding after ingest; the healthy site none", async () => {
    const finding = await eventually(async () => (await get("/api/v1/findings?kind=idle_timeout")).json.items[0] ?? null);
    expect(finding).toMatchObject({
      kind: "idle_timeout",
      status: "open",
      site: "hamburg",
      device: null,
      evidence: expect.objectContaining({ mode: "reset", knownAs: expect.any(String), affectedDeviceCount: 8 }),
    });
    expect(Math.abs(finding.evidence.timeoutS - 900)).toBeLessThan(27);
    expect(finding.evidence.drops).toBeGreaterThanOrEqual(90);
    expect(finding.summary).toMatch(/900/);
    expect(finding.recommendation.length).toBeGreaterThan(20);
    expect((await get("/api/v1/findings?site=munich&status=all")).json.items.filter((f: any) => f.kind === "idle_timeout")).toEqual([]);
  });

  test("filters: kind, site, status", async () => {
    expect((await get("/api/v1/findings?site=hamburg")).json.items.length).toBeGreaterThan(0);
    expect((await get("/api/v1/findings?kind=tls_interception")).json.items).toEqual([]);
    expect((await get("/api/v1/findings?status=resolved")).json.items).toEqual([]);
    expect((await get("/api/v1/findings?status=bogus")).status).toBe(400);
  });

  test("the site histogram has log bins with the 900 s pile and the cluster marked", async () => {
    const r = await get("/api/v1/sites/hamburg/durations");
    expect(r.status).toBe(200);
    expect(r.json.total).toBe(96);
    const peak = r.json.bins.reduce((a: any, b: any) => (b.count > a.count ? b : a));
    expect(peak.fromS).toBeLessThanOrEqual(900);
    expect(peak.toS).toBeGreaterThan(900);
    expect(r.json.clusters).toEqual([expect.objectContaining({ mode: "reset", timeoutS: expect.any(Number) })]);
    expect((await get("/api/v1/sites/nowhere/durations")).status).toBe(404);
  });
});

describe("acknowledge and resolve", () => {
  const post = (path: string, headers: Record<string, string>) => fetch(`${app.url}${path}`, { method: "POST", headers });

  test("read keys and viewers may not; operators may, and the finding moves through its lifecycle", async () => {
    const [finding] = (await get("/api/v1/findings?kind=idle_timeout")).json.items;
    const path = `/api/v1/findings/${finding.id}`;
    expect((await post(`${path}/acknowledge`, { authorization: `Bearer ${readKey}` })).status).toBe(403);
    expect((await post(`${path}/acknowledge`, {})).status).toBe(401);
    const viewer = await signIn(app.url, t.db, "viewer");
    expect((await post(`${path}/acknowledge`, { cookie: viewer, origin: app.url })).status).toBe(403);
    const operator = await signIn(app.url, t.db, "operator");
    expect((await post(`${path}/acknowledge`, { cookie: operator, origin: "https://evil.example" })).status).toBe(403);

    const acked = await post(`${path}/acknowledge`, { cookie: operator, origin: app.url });
    expect(acked.status).toBe(200);
    expect(await acked.json()).toMatchObject({ id: finding.id, status: "acknowledged", acknowledgedAt: expect.any(String) });
    expect((await get("/api/v1/findings?status=acknowledged")).json.items.map((f: any) => f.id)).toEqual([finding.id]);

    const resolved = await post(`${path}/resolve`, { cookie: operator, origin: app.url });
    expect(await resolved.json()).toMatchObject({ status: "resolved", resolvedAt: expect.any(String) });
    expect((await post(`${path}/acknowledge`, { cookie: operator, origin: app.url })).status).toBe(409);
    expect((await post("/api/v1/findings/999999/resolve", { cookie: operator, origin: app.url })).status).toBe(404);
    expect((await get("/api/v1/findings")).json.items.filter((f: any) => f.id === finding.id)).toEqual([]);
  });
});
