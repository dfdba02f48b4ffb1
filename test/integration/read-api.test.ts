// The read API over real HTTP against the production build: scopes, site narrowing,
// cursor pagination that never serves an item twice while ingest keeps writing, and the
// probe hold endpoint's silence.
import net from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { keyFor, postEvents, startApp, type RunningApp } from "../helpers/app";
import { sqliteTestDb, type TestDb } from "../helpers/test-db";

let t: TestDb;
let app: RunningApp;
let ingestKey: string;
let readKey: string;
let hamburgReadKey: string;

const T0 = Date.parse("2026-11-25T00:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();

function sessionEvents(site: string, device: string, n: number, offsetS = 0) {
  const events: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const start = T0 + (offsetS + i * 1000) * 1000;
    events.push({ id: `${device}-c${offsetS}-${i}`, device, site, type: "connect", session: `${device}-${offsetS}-${i}`, endpoint: "tenant.example.com:443", at: iso(start) });
    events.push({ id: `${device}-d${offsetS}-${i}`, device, site, type: "disconnect", session: `${device}-${offsetS}-${i}`, reason: "reset", idleS: 900, maxIdleS: 300, at: iso(start + 905_000) });
  }
  return events;
}

async function get(path: string, key: string | null) {
  const res = await fetch(`${app.url}${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  return { status: res.status, json: (await res.json()) as Record<string, any> };
}

beforeAll(async () => {
  t = await sqliteTestDb();
  ingestKey = await keyFor(t.db, "ingest");
  readKey = await keyFor(t.db, "read");
  hamburgReadKey = await keyFor(t.db, "read", "hamburg");
  app = await startApp(t.config);
  for (const [site, device] of [["hamburg", "hh-1"], ["hamburg", "hh-2"], ["munich", "mu-1"]]) {
    const res = await postEvents(app.url, ingestKey, { events: sessionEvents(site, device, 20) });
    expect(res.status).toBe(200);
  }
});
afterAll(async () => {
  await app?.stop();
  await t?.cleanup();
});

describe("access", () => {
  test("no key: 401; an ingest key: 403", async () => {
    expect((await get("/api/v1/sites", null)).status).toBe(401);
    const r = await get("/api/v1/sessions", ingestKey);
    expect(r.status).toBe(403);
    expect(r.json.error.code).toBe("forbidden");
  });
  test("a site-scoped read key sees only its site, and asking for another is 403", async () => {
    const sites = await get("/api/v1/sites", hamburgReadKey);
    expect(sites.json.items.map((s: { slug: string }) => s.slug)).toEqual(["hamburg"]);
    const devices = await get("/api/v1/devices", hamburgReadKey);
    expect(devices.json.items.map((d: { id: string }) => d.id).sort()).toEqual(["hh-1", "hh-2"]);
    expect((await get("/api/v1/sessions?site=munich", hamburgReadKey)).status).toBe(403);
  });
  test("a bad cursor or limit is 400 invalid_query", async () => {
    expect((await get("/api/v1/sessions?cursor=nonsense", readKey)).json.error.code).toBe("invalid_query");
    expect((await get("/api/v1/devices?limit=501", readKey)).status).toBe(400);
    expect((await get("/api/v1/sessions?from=yesterday", readKey)).status).toBe(400);
  });
});

describe("content", () => {
  test("sites and devices carry the protocol's fields; online is judged on the device's clock", async () => {
    // Every device was received a moment ago, but only mu-1 has a recent event by its own
    // clock (lib/contract/liveness.ts): the others' last sign of life is their old history.
    const beat = { id: "mu-1-now", device: "mu-1", type: "heartbeat", intervalS: 60, at: new Date().toISOString() };
    expect((await postEvents(app.url, ingestKey, { events: [beat] })).status).toBe(200);
    const sites = await get("/api/v1/sites", readKey);
    expect(sites.json.items).toEqual([
      { slug: "hamburg", name: "hamburg", devices: 2, online: 0, openFindings: 0 },
      { slug: "munich", name: "munich", devices: 1, online: 1, openFindings: 0 },
    ]);
    const devices = await get("/api/v1/devices?q=mu", readKey);
    expect(devices.json.items).toEqual([
      expect.objectContaining({ id: "mu-1", site: "munich", online: true, sessionOpen: false, openFindings: 0, lastSeen: expect.any(String) }),
    ]);
  });
  test("sessions carry end reason, idle times and device-clock durations", async () => {
    const r = await get("/api/v1/sessions?device=hh-1&limit=1", readKey);
    expect(r.json.items[0]).toMatchObject({ device: "hh-1", site: "hamburg", endReason: "reset", idleS: 900, maxIdleS: 300, durationS: 905 });
    expect(r.json.nextCursor).toEqual(expect.any(String));
  });
  test("from/to narrow by start", async () => {
    const r = await get(`/api/v1/sessions?site=hamburg&from=${iso(T0)}&to=${iso(T0 + 3_000_000)}`, readKey);
    expect(r.json.items).toHaveLength(6); // sessions 0..2 of two devices
  });
});

describe("pagination", () => {
  test("paging through sessions while ingest adds older and newer ones never serves an item twice", async () => {
    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r = await get(`/api/v1/sessions?limit=7${cursor ? `&cursor=${cursor}` : ""}`, readKey);
      expect(r.status).toBe(200);
      for (const item of r.json.items) {
        const key = `${item.device}/${item.session}`;
        expect(seen.has(key), `${key} served twice`).toBe(false);
        seen.add(key);
      }
      cursor = r.json.nextCursor;
      // Concurrent ingest between pages: sessions both before and after the cursor position.
      const offset = pages % 2 ? -500_000 + pages : 500_000 + pages;
      await postEvents(app.url, ingestKey, { events: sessionEvents("munich", "mu-2", 2, offset) });
      pages++;
    } while (cursor && pages < 100);
    expect(cursor).toBeNull();
    // Every session that existed before paging started was served.
    for (const d of ["hh-1", "hh-2", "mu-1"]) for (let i = 0; i < 20; i++) expect(seen.has(`${d}/${d}-0-${i}`)).toBe(true);
  });
});

describe("GET /api/v1/probe/hold", () => {
  test("sends not a single byte before `after` seconds, then 200 {heldS}", async () => {
    const { port } = new URL(app.url);
    const socket = net.connect(Number(port), "127.0.0.1");
    const started = Date.now();
    let firstByteAt = 0;
    let response = "";
    socket.on("data", (chunk) => {
      firstByteAt ||= Date.now();
      response += chunk.toString();
    });
    socket.write(`GET /api/v1/probe/hold?after=2 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ingestKey}\r\nConnection: close\r\n\r\n`);
    await new Promise((resolve) => socket.on("close", resolve));
    expect(firstByteAt - started).toBeGreaterThanOrEqual(2000);
    expect(response).toMatch(/^HTTP\/1\.1 200/);
    expect(response).toContain('{"heldS":2}');
  });
  test("needs an ingest key and a sane `after`", async () => {
    expect((await get("/api/v1/probe/hold?after=1", null)).status).toBe(401);
    expect((await get("/api/v1/probe/hold?after=1", readKey)).status).toBe(403);
    for (const after of ["0", "7201", "abc", "-5", ""]) {
      const r = await get(`/api/v1/probe/hold?after=${after}`, ingestKey);
      expect(r.status).toBe(400);
      expect(r.json.error.code).toBe("invalid_query");
    }
  });
});

test("the OpenAPI document describes every endpoint", async () => {
  const r = await get("/api/v1/openapi.json", null);
  expect(r.json.openapi).toBe("3.1.0");
  expect(Object.keys(r.json.paths)).toEqual(
    expect.arrayContaining(["/api/v1/events", "/api/v1/probe/hold", "/api/v1/sites", "/api/v1/devices", "/api/v1/sessions"]),
  );
});
