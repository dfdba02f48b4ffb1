// The dashboard's read models over real HTTP against the production build: a small fleet with
// known numbers (a 900 s firewall at hamburg, a Zscaler proxy at zurich, a healthy munich),
// analysed from the database, then every endpoint the pages call — and what a site-scoped
// key may not see.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { DeviceDetail, DeviceEvent, DeviceTimeline, EvidenceChartData, FleetOverview, SearchResult, SiteSummary } from "@/lib/contract/dashboard";
import type { FindingItem } from "@/lib/contract/read";
import { runAnalysis } from "@/lib/findings/run";
import { keyFor, postEvents, startApp, type RunningApp } from "../helpers/app";
import { postgresSkipReason, startPostgres, type RunningPostgres } from "../helpers/postgres";
import { rng } from "../helpers/random";
import { postgresTestDb, sqliteTestDb, type TestDb } from "../helpers/test-db";

const NOW = Date.now();
const iso = (ms: number) => new Date(ms).toISOString();
const ZSCALER = [
  { subject: "CN=tenant.example.com", issuer: "CN=Zscaler Intermediate Root CA, O=Zscaler Inc.", sha256: "a".repeat(64) },
  { subject: "CN=Zscaler Intermediate Root CA, O=Zscaler Inc.", issuer: "CN=Zscaler Root CA, O=Zscaler Inc.", sha256: "b".repeat(64) },
  { subject: "CN=Zscaler Root CA, O=Zscaler Inc.", issuer: "CN=Zscaler Root CA, O=Zscaler Inc.", sha256: "c".repeat(64), notAfter: "2030-01-01T00:00:00Z" },
];

/** hamburg: 8 devices whose long-polls a firewall resets after 900 s idle; munich: random drops; zurich: intercepted. */
function fleet() {
  const r = rng(7);
  const events: Record<string, unknown>[] = [];
  for (const [site, devices] of [["hamburg", 8], ["munich", 4]] as const) {
    for (let d = 0; d < devices; d++) {
      const device = `${site}-gw-${d}`;
      let t0 = NOW - 8 * 3_600_000 + r.int(0, 3_600_000);
      for (let s = 0; s < 12; s++) {
        const session = `${device}-${s}`;
        const idle = site === "hamburg" ? 900 + r.int(-3, 3) : r.int(30, 20_000);
        const end = t0 + (idle + r.int(60, 600)) * 1000;
        if (end > NOW - 60_000) break;
        events.push({ id: `${session}-c`, device, site, type: "connect", session, endpoint: "tenant.example.com:443", at: iso(t0) });
        events.push({ id: `${session}-d`, device, site, type: "disconnect", session, reason: "reset", errno: "ECONNRESET", idleS: idle, maxIdleS: 300, at: iso(end) });
        t0 = end + r.int(5_000, 60_000);
      }
      for (let h = 0; h < 30; h++) {
        events.push({ id: `${device}-hb-${h}`, device, site, type: "heartbeat", intervalS: 60, rttMs: 40 + h, seq: h, at: iso(NOW - (30 - h) * 60_000) });
      }
    }
  }
  for (let d = 0; d < 3; d++) {
    for (let k = 0; k < 4; k++) {
      const at = NOW - (k + 1) * 3_600_000 - d * 1000;
      const device = `zurich-gw-${d}`;
      events.push({ id: `${device}-tls-${k}`, device, site: "zurich", type: "tls", endpoint: "tenant.example.com:443", verified: false, error: "SELF_SIGNED_CERT_IN_CHAIN", chain: ZSCALER, at: iso(at) });
      events.push({ id: `${device}-cf-${k}`, device, site: "zurich", type: "connect_failed", endpoint: "tenant.example.com:443", stage: "tls", errno: "SELF_SIGNED_CERT_IN_CHAIN", at: iso(at + 50) });
    }
  }
  return events;
}

function dashboardApi(name: string, open: () => Promise<TestDb>) {
describe(name, () => {
  let t: TestDb;
  let app: RunningApp;
  let readKey: string;
  let munichKey: string;

  async function get<T = unknown>(path: string, key = readKey) {
    const res = await fetch(`${app.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
    return { status: res.status, json: (await res.json()) as T };
  }

  beforeAll(async () => {
    t = await open();
    const ingestKey = await keyFor(t.db, "ingest");
    readKey = await keyFor(t.db, "read");
    munichKey = await keyFor(t.db, "read", "munich");
    app = await startApp(t.config, { LINKSCOPE_BACKGROUND: "off" });
    const events = fleet();
    for (let i = 0; i < events.length; i += 1000) {
      const res = await postEvents(app.url, ingestKey, { events: events.slice(i, i + 1000) });
      expect(((await res.json()) as { rejected: unknown[] }).rejected).toEqual([]);
    }
    await runAnalysis(t.db, null);
  }, 120_000);
  afterAll(async () => {
    await app?.stop();
    await t?.cleanup();
  });

  describe("fleet overview and search", () => {
    test("counts devices, ranks the sites with findings first, and fills every drop bucket", async () => {
      const { status, json } = await get<FleetOverview>("/api/v1/fleet/overview");
      expect(status).toBe(200);
      expect(json.devices.total).toBe(15);
      expect(json.devices.online).toBeGreaterThanOrEqual(12); // hamburg and munich heartbeat every minute
      expect(json.sites.map((s) => s.slug).slice(0, 2).sort()).toEqual(["hamburg", "zurich"]);
      expect(json.sites.at(-1)).toMatchObject({ slug: "munich", health: "ok", topFinding: null });
      const hamburg = json.sites.find((s) => s.slug === "hamburg")!;
      expect(hamburg.topFinding).toMatchObject({ kind: "idle_timeout" });
      expect(hamburg.drops).toBe(hamburg.ended);
      expect(json.findings.byKind.map((k) => k.kind).sort()).toEqual(["idle_timeout", "tls_interception"]);
      const buckets = json.drops.buckets;
      expect(json.drops.bucketS).toBe(900);
      expect(buckets.length).toBe(97); // 24 h in 15-minute buckets (a partial one at each end), empty ones included
      expect(buckets.reduce((n, b) => n + Object.values(b.counts).reduce((a, c) => a + c, 0), 0)).toBe(json.drops.total);
      expect(buckets.every((b) => json.drops.keys.every((k) => typeof b.counts[k] === "number"))).toBe(true);
    });

    test("search finds sites and devices, exact matches first", async () => {
      const { json } = await get<{ items: Array<{ type: string; id: string }> }>("/api/v1/search?q=hamburg");
      expect(json.items[0]).toMatchObject({ type: "site", id: "hamburg" });
      expect(json.items.filter((i) => i.type === "device").length).toBeGreaterThan(0);
      expect((await get("/api/v1/search?q=")).status).toBe(400);
    });
  });

  describe("site summary", () => {
    test("reasons over time, survival with the 900 s cliff, heartbeat health", async () => {
      const { status, json } = await get<SiteSummary>("/api/v1/sites/hamburg/summary");
      expect(status).toBe(200);
      expect(json.site).toMatchObject({ slug: "hamburg", devices: 8 });
      expect(json.reasons.keys).toEqual(["reset"]);
      expect(json.reasons.total).toBe(json.sessions.ended);
      expect(json.reasons.bucketS).toBe(7200);
      const beforeCliff = json.survival.points.filter((p) => p.tS < 900).at(-1)!;
      expect(beforeCliff.survival).toBe(1);
      expect(json.survival.medianS).toBeGreaterThan(900);
      expect(json.heartbeat).toMatchObject({ devices: 8, declaring: 8, received: 240, expected: 240, deliveryRatio: 1 });
      expect(json.heartbeat.rttP50Ms).toBeGreaterThan(40);
    });

    test("TLS chains: the interceptor named, with who refused it", async () => {
      const { json } = await get<SiteSummary>("/api/v1/sites/zurich/summary");
      expect(json.tls).toEqual([
        expect.objectContaining({ intercepted: true, vendor: "Zscaler", issuer: "CN=Zscaler Intermediate Root CA, O=Zscaler Inc.", devices: 3, rejected: 12, verified: 0, errors: ["SELF_SIGNED_CERT_IN_CHAIN"] }),
      ]);
      expect(json.failures.keys).toEqual(["SELF_SIGNED_CERT_IN_CHAIN"]);
      expect(json.failures.total).toBe(12);
    });

    test("bad ranges are 400, unknown sites 404", async () => {
      expect((await get(`/api/v1/sites/hamburg/summary?from=${iso(NOW)}&to=${iso(NOW - 1000)}`)).status).toBe(400);
      expect((await get(`/api/v1/sites/hamburg/summary?from=${iso(NOW - 100 * 86_400_000)}`)).status).toBe(400);
      expect((await get("/api/v1/sites/nowhere/summary")).status).toBe(404);
    });
  });

  describe("device", () => {
    test("detail with the last TLS chain, every certificate", async () => {
      const { json } = await get<DeviceDetail>("/api/v1/devices/zurich-gw-1");
      expect(json).toMatchObject({ id: "zurich-gw-1", site: "zurich", lastTls: { intercepted: true, vendor: "Zscaler", verified: false, error: "SELF_SIGNED_CERT_IN_CHAIN" } });
      expect(json.lastTls?.chain.map((c) => c.sha256)).toEqual(ZSCALER.map((c) => c.sha256));
      expect(json.lastTls?.chain[2].notAfter).toBe("2030-01-01T00:00:00Z");
      expect((await get("/api/v1/devices/no-such-device")).status).toBe(404);
    });

    test("timeline: sessions in the window with their end reasons, no heartbeat silence", async () => {
      const { json } = await get<DeviceTimeline>("/api/v1/devices/hamburg-gw-0/timeline");
      expect(json.sessions.length).toBeGreaterThan(3);
      expect(json.sessions.every((s) => s.endReason === "reset")).toBe(true);
      expect(json.heartbeats).toMatchObject({ intervalS: 60, received: 30, gaps: [] });
    });

    test("events: newest first, type filter, cursor pages without repeats", async () => {
      const seen: DeviceEvent[] = [];
      let cursor: string | null = null;
      do {
        const page: { json: { items: DeviceEvent[]; nextCursor: string | null } } = await get(`/api/v1/devices/hamburg-gw-0/events?type=heartbeat,disconnect&limit=7${cursor ? `&cursor=${cursor}` : ""}`);
        seen.push(...page.json.items);
        cursor = page.json.nextCursor;
      } while (cursor);
      expect(new Set(seen.map((e) => e.id)).size).toBe(seen.length);
      expect(new Set(seen.map((e) => e.type))).toEqual(new Set(["heartbeat", "disconnect"]));
      expect(seen.map((e) => e.at)).toEqual([...seen.map((e) => e.at)].sort().reverse());
      expect(seen.find((e) => e.type === "disconnect")!.data).toMatchObject({ reason: "reset", errno: "ECONNRESET" });
      expect((await get("/api/v1/devices/hamburg-gw-0/events?type=bogus")).status).toBe(400);
    });
  });

  describe("findings", () => {
    test("evidence: the idle histogram with the cluster marked; the intercepted chain", async () => {
      const findings = (await get<{ items: FindingItem[] }>("/api/v1/findings?status=active")).json.items;
      const idle = findings.find((f) => f.kind === "idle_timeout")!;
      const evidence = (await get<EvidenceChartData>(`/api/v1/findings/${idle.id}/evidence`)).json;
      expect(evidence.chart).toBe("histogram");
      if (evidence.chart !== "histogram") return;
      expect(Math.abs(evidence.marker.value - 900)).toBeLessThan(10);
      expect(evidence.marker.label).toMatch(/^9\d\d(\.\d)? s — 15-minute firewall/);
      expect(evidence.durations.total).toBeGreaterThanOrEqual(Number(idle.evidence.drops));
      const tls = findings.find((f) => f.kind === "tls_interception")!;
      const chain = (await get<EvidenceChartData>(`/api/v1/findings/${tls.id}/evidence`)).json;
      expect(chain).toMatchObject({ chart: "chain", observation: { intercepted: true, vendor: "Zscaler" } });
      expect((await get("/api/v1/findings/999999/evidence")).status).toBe(404);
      expect((await get<{ items: FindingItem[] }>(`/api/v1/findings?id=${idle.id}&status=all`)).json.items.map((f) => f.id)).toEqual([idle.id]);
    });
  });

  describe("a site-scoped read key", () => {
    test("sees only its site everywhere, and nothing of another", async () => {
      const overview = (await get<FleetOverview>("/api/v1/fleet/overview", munichKey)).json;
      expect(overview.sites.map((s) => s.slug)).toEqual(["munich"]);
      expect(overview.devices.total).toBe(4);
      expect((await get<SearchResult>("/api/v1/search?q=gw", munichKey)).json.items.every((i) => i.site === "munich")).toBe(true);
      expect((await get("/api/v1/sites/hamburg/summary", munichKey)).status).toBe(403);
      expect((await get("/api/v1/sites/munich/summary", munichKey)).status).toBe(200);
      expect((await get("/api/v1/devices/hamburg-gw-0", munichKey)).status).toBe(404);
      expect((await get("/api/v1/devices/hamburg-gw-0/timeline", munichKey)).status).toBe(404);
      expect((await get("/api/v1/devices/hamburg-gw-0/events", munichKey)).status).toBe(404);
      expect((await get("/api/v1/devices/munich-gw-0/events", munichKey)).status).toBe(200);
      const idle = (await get<{ items: FindingItem[] }>("/api/v1/findings?kind=idle_timeout")).json.items[0];
      expect((await get(`/api/v1/findings/${idle.id}/evidence`, munichKey)).status).toBe(404);
    });
  });
});
}

dashboardApi("dashboard read API on SQLite", sqliteTestDb);

const pgSkip = postgresSkipReason();
describe.skipIf(pgSkip !== null)(`on PostgreSQL${pgSkip ? ` (skipped: ${pgSkip})` : ""}`, () => {
  let server: RunningPostgres | { skipped: string } | undefined;
  beforeAll(async () => {
    server = await startPostgres();
  }, 120_000);
  afterAll(async () => {
    if (server && "stop" in server) await server.stop();
  });
  dashboardApi("dashboard read API on PostgreSQL", async () => {
    if (!server || "skipped" in server) throw new Error("no PostgreSQL");
    return postgresTestDb(server.url);
  });
});
