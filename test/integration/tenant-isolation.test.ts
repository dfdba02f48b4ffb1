// Tenant isolation and account hardening (issue 12), over real HTTP against the built app and
// at the store on both databases: a site's key can neither write into nor take over another
// site's device; only a fleet-wide key or an operator moves a device, and every move is
// recorded; a site-confined reader never sees what a device did at another site; the client
// address comes from the socket unless LINKSCOPE_TRUST_PROXY says otherwise; password change,
// removal and revocation take effect on the next request.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createKey } from "@/lib/auth/key-admin";
import { createUser } from "@/lib/auth/users";
import type { Db } from "@/lib/db/client";
import { ingest } from "@/lib/ingest";
import { keyFor, postEvents, startApp, type RunningApp } from "../helpers/app";
import { startPostgres, type RunningPostgres } from "../helpers/postgres";
import { postgresTestDb, sqliteTestDb, type TestDb } from "../helpers/test-db";

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const T0 = Date.now() - 48 * HOUR;

async function site(db: Db, slug: string) {
  return db.prisma.site.findUniqueOrThrow({ where: { slug } });
}

/** The store's tenant rules, on one database. */
function storeSuite(name: string, open: () => Promise<TestDb>) {
  describe(name, () => {
    let t: TestDb;
    beforeAll(async () => {
      t = await open();
      await ingest(t.db, { site: null }, [
        { id: "a1", device: "dev-a", site: "alpha", type: "connect", session: "s1", endpoint: "tenant.example.com:443", at: iso(T0) },
        { id: "b1", device: "dev-b", site: "beta", type: "connect", session: "s1", endpoint: "tenant.example.com:443", at: iso(T0) },
      ]);
    });
    afterAll(() => t?.cleanup());

    test("a site key's events for another site's device are refused item by item; nothing stored, the device untouched", async () => {
      const alpha = await site(t.db, "alpha");
      const beta = await site(t.db, "beta");
      const before = await t.db.prisma.device.findUniqueOrThrow({ where: { externalId: "dev-b" } });
      const result = await ingest(t.db, { site: { id: alpha.id, slug: "alpha" }, keyPrefix: "alphakey" }, [
        { id: "x1", device: "dev-b", site: "alpha", type: "heartbeat", at: iso(T0 + HOUR) },
        { id: "x2", device: "dev-b", type: "disconnect", session: "s1", reason: "reset", at: iso(T0 + HOUR) },
        { id: "x3", device: "dev-a", type: "heartbeat", at: iso(T0 + HOUR) },
      ]);
      expect(result.accepted).toBe(1);
      expect(result.rejected.map((r) => [r.index, r.error.code])).toEqual([
        [0, "device_forbidden"],
        [1, "device_forbidden"],
      ]);
      const after = await t.db.prisma.device.findUniqueOrThrow({ where: { externalId: "dev-b" } });
      expect(after).toEqual(before);
      expect(after.siteId).toBe(beta.id);
      expect(await t.db.prisma.event.count({ where: { deviceId: before.id } })).toBe(1);
      expect(await t.db.prisma.session.findMany({ where: { deviceId: before.id }, select: { end: true } })).toEqual([{ end: null }]);
    });

    test("a fleet-wide key moves the device by naming another site; the move is recorded with the key; an older replay does not move it back", async () => {
      const alpha = await site(t.db, "alpha");
      const beta = await site(t.db, "beta");
      await ingest(t.db, { site: null, keyPrefix: "fleetkey" }, [{ id: "m1", device: "dev-b", site: "alpha", type: "heartbeat", at: iso(T0 + 2 * HOUR) }]);
      const device = await t.db.prisma.device.findUniqueOrThrow({ where: { externalId: "dev-b" } });
      expect(device.siteId).toBe(alpha.id);
      const moves = await t.db.prisma.deviceSiteChange.findMany({ where: { deviceId: device.id }, select: { fromSiteId: true, toSiteId: true, keyPrefix: true, userId: true } });
      expect(moves).toEqual([{ fromSiteId: beta.id, toSiteId: alpha.id, keyPrefix: "fleetkey", userId: null }]);
      // A spooled batch from before the move, naming the old site: stored, but the device stays.
      const replay = await ingest(t.db, { site: null, keyPrefix: "fleetkey" }, [{ id: "old1", device: "dev-b", site: "beta", type: "heartbeat", at: iso(T0 + HOUR / 2) }]);
      expect(replay.accepted).toBe(1);
      expect((await t.db.prisma.device.findUniqueOrThrow({ where: { externalId: "dev-b" } })).siteId).toBe(alpha.id);
      expect(await t.db.prisma.deviceSiteChange.count({ where: { deviceId: device.id } })).toBe(1);
      // Now the beta key is the one refused.
      const betaTry = await ingest(t.db, { site: { id: beta.id, slug: "beta" } }, [{ id: "bt1", device: "dev-b", type: "heartbeat", at: iso(T0 + 3 * HOUR) }]);
      expect(betaTry.rejected.map((r) => r.error.code)).toEqual(["device_forbidden"]);
    });

    test("two site keys racing to register one new device: one site owns it, the other's events are refused", async () => {
      const alpha = await site(t.db, "alpha");
      const beta = await site(t.db, "beta");
      const batch = (k: string) => Array.from({ length: 20 }, (_, i) => ({ id: `${k}-${i}`, device: "dev-new", type: "heartbeat", at: iso(T0 + i * 1000) }));
      const [a, b] = await Promise.all([
        ingest(t.db, { site: { id: alpha.id, slug: "alpha" } }, batch("ka")),
        ingest(t.db, { site: { id: beta.id, slug: "beta" } }, batch("kb")),
      ]);
      const owner = (await t.db.prisma.device.findUniqueOrThrow({ where: { externalId: "dev-new" } })).siteId;
      const [winner, loser] = owner === alpha.id ? [a, b] : [b, a];
      expect(winner.accepted).toBe(20);
      expect(loser.accepted).toBe(0);
      expect(new Set(loser.rejected.map((r) => r.error.code))).toEqual(new Set(["device_forbidden"]));
      const deviceId = (await t.db.prisma.device.findUniqueOrThrow({ where: { externalId: "dev-new" } })).id;
      expect(await t.db.prisma.event.count({ where: { deviceId, siteId: { not: owner } } })).toBe(0);
    });
  });
}

storeSuite("tenant rules at the store, SQLite", sqliteTestDb);
let pg: RunningPostgres | { skipped: string } | undefined;
beforeAll(async () => {
  pg = await startPostgres();
  if ("skipped" in pg) console.warn(`PostgreSQL tenant tests skipped: ${pg.skipped}`);
});
afterAll(async () => {
  if (pg && "stop" in pg) await pg.stop();
});
storeSuite("tenant rules at the store, PostgreSQL", async () => {
  if (!pg || "skipped" in pg) throw new Error("no PostgreSQL");
  return postgresTestDb(pg.url);
});

describe("over HTTP", () => {
  let t: TestDb;
  let app: RunningApp;
  let fleetIngest: string;
  let alphaRead: string;
  let betaRead: string;

  const get = async (path: string, key: string) => {
    const res = await fetch(`${app.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
    return { status: res.status, json: (await res.json()) as Record<string, any> };
  };
  const send = (method: string, path: string, cookie: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${app.url}${path}`, {
      method,
      headers: { cookie, origin: app.url, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: "manual",
    });
  const login = async (email: string, password: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${app.url}/api/v1/auth/login`, { method: "POST", headers: { "content-type": "application/json", origin: app.url, ...headers }, body: JSON.stringify({ email, password }) });
    return { status: res.status, cookie: res.headers.get("set-cookie")?.split(";")[0] ?? null };
  };

  beforeAll(async () => {
    t = await sqliteTestDb();
    fleetIngest = await keyFor(t.db, "ingest");
    // LINKSCOPE_KEY_CACHE_S=1: revocations through another instance must bite within a second.
    app = await startApp(t.config, { LINKSCOPE_BACKGROUND: "off", LINKSCOPE_KEY_CACHE_S: "1" });
    const history = [
      { id: "c1", device: "mover", site: "beta", type: "connect", session: "old", endpoint: "tenant.example.com:443", at: iso(T0) },
      { id: "d1", device: "mover", site: "beta", type: "disconnect", session: "old", reason: "reset", at: iso(T0 + 600_000) },
      { id: "f1", device: "mover", site: "beta", type: "connect_failed", endpoint: "tenant.example.com:443", stage: "tcp", errno: "ECONNREFUSED", at: iso(T0 + 700_000) },
      { id: "h1", device: "stay-a", site: "alpha", type: "heartbeat", at: iso(T0) },
    ];
    expect((await postEvents(app.url, fleetIngest, { events: history })).status).toBe(200);
    alphaRead = await keyFor(t.db, "read", "alpha");
    betaRead = await keyFor(t.db, "read", "beta");
  });
  afterAll(async () => {
    await app?.stop();
    await t?.cleanup();
  });

  test("after a move, the new site's reader sees the device but none of what it did at the old site; the old site's reader no longer sees it", async () => {
    expect((await get("/api/v1/devices/mover", alphaRead)).status).toBe(404);
    const moved = await postEvents(app.url, fleetIngest, { events: [{ id: "c2", device: "mover", site: "alpha", type: "connect", session: "new", endpoint: "tenant.example.com:443", at: iso(T0 + 3 * HOUR) }] });
    expect(moved.status).toBe(200);
    const range = `from=${iso(T0 - HOUR)}&to=${iso(Date.now())}`;
    const detail = await get("/api/v1/devices/mover", alphaRead);
    expect(detail.status).toBe(200);
    expect(detail.json.site).toBe("alpha");
    expect(detail.json.moves).toEqual([{ at: expect.any(String), from: null, to: "alpha", by: expect.stringMatching(/^key lsk_/) }]);
    const events = await get(`/api/v1/devices/mover/events?${range}`, alphaRead);
    expect(events.json.items.map((e: { id: string }) => e.id)).toEqual(["c2"]);
    const timeline = await get(`/api/v1/devices/mover/timeline?${range}`, alphaRead);
    expect(timeline.json.sessions.map((s: { session: string }) => s.session)).toEqual(["new"]);
    expect(timeline.json.failures).toEqual([]);
    const sessions = await get("/api/v1/sessions?device=mover", alphaRead);
    expect(sessions.json.items.map((s: { session: string }) => s.session)).toEqual(["new"]);
    // The old site's reader: the device is gone from its view, its sessions there stay its own.
    expect((await get("/api/v1/devices/mover", betaRead)).status).toBe(404);
    expect((await get("/api/v1/sessions?device=mover", betaRead)).json.items.map((s: { session: string }) => s.session)).toEqual(["old"]);
    // A fleet reader sees both sites in the history.
    const fleetRead = await keyFor(t.db, "read");
    expect((await get("/api/v1/devices/mover", fleetRead)).json.moves).toEqual([{ at: expect.any(String), from: "beta", to: "alpha", by: expect.stringMatching(/^key lsk_/) }]);
  });

  test("an operator moves a device (recorded with the operator's email); a viewer and a read key may not", async () => {
    const operator = await createUser(t.db, { email: "op@example.com", name: "Op", role: "operator", password: "operator password 1" });
    await createUser(t.db, { email: "vi@example.com", name: "Vi", role: "viewer", password: "viewer password 12" });
    const op = (await login("op@example.com", "operator password 1")).cookie!;
    const vi = (await login("vi@example.com", "viewer password 12")).cookie!;
    expect((await send("PATCH", "/api/v1/devices/stay-a", vi, { site: "beta" })).status).toBe(403);
    expect((await fetch(`${app.url}/api/v1/devices/stay-a`, { method: "PATCH", headers: { authorization: `Bearer ${alphaRead}`, "content-type": "application/json" }, body: '{"site":"beta"}' })).status).toBe(403);
    expect((await send("PATCH", "/api/v1/devices/stay-a", op, { site: "nowhere" })).status).toBe(404);
    const res = await send("PATCH", "/api/v1/devices/stay-a", op, { site: "beta" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ device: "stay-a", site: "beta", moved: true });
    const change = await t.db.prisma.deviceSiteChange.findFirstOrThrow({ where: { userId: operator.id } });
    expect(change.toSiteId).toBe((await site(t.db, "beta")).id);
    expect((await get("/api/v1/devices/stay-a", betaRead)).json.moves[0].by).toBe("user op@example.com");
  });

  test("the client address is the socket's: a rotating X-Forwarded-For does not reset the per-address throttle", async () => {
    for (let i = 0; i < 20; i++) {
      const r = await login(`spray-${i}@example.com`, "wrong guess", { "x-forwarded-for": `203.0.113.${i}` });
      expect(r.status).toBe(401);
    }
    expect((await login("spray-x@example.com", "wrong guess", { "x-forwarded-for": "198.51.100.250" })).status).toBe(429);
    expect(await t.db.prisma.loginFailure.findMany({ distinct: ["ip"], select: { ip: true } })).toEqual([{ ip: "127.0.0.1" }]);
    await t.db.prisma.loginFailure.deleteMany({});
  });

  test("own password change: the current one is required; other sessions end, this one stays; the new one signs in", async () => {
    await createUser(t.db, { email: "pat@example.com", name: "Pat", role: "viewer", password: "the old password" });
    const here = (await login("pat@example.com", "the old password")).cookie!;
    const elsewhere = (await login("pat@example.com", "the old password")).cookie!;
    const wrong = await send("POST", "/api/v1/auth/password", here, { currentPassword: "not it", newPassword: "a brand new password" });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { error: { details: { issues: { path: string }[] } } }).error.details.issues[0].path).toBe("currentPassword");
    const ok = await send("POST", "/api/v1/auth/password", here, { currentPassword: "the old password", newPassword: "a brand new password" });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ changed: true, signedOutSessions: 1 });
    expect((await send("GET", "/api/v1/auth/me", here)).status).toBe(200);
    expect((await send("GET", "/api/v1/auth/me", elsewhere)).status).toBe(401);
    expect((await login("pat@example.com", "the old password")).status).toBe(401);
    expect((await login("pat@example.com", "a brand new password")).status).toBe(200);
    await t.db.prisma.loginFailure.deleteMany({});
  });

  test("pages renew the sliding session cookie, as API calls do", async () => {
    await createUser(t.db, { email: "page@example.com", name: "Page", role: "viewer", password: "page password 12" });
    const cookie = (await login("page@example.com", "page password 12")).cookie!;
    const res = await send("GET", "/findings", cookie);
    expect(res.status).toBe(200);
    const renewed = res.headers.getSetCookie().find((c) => c.startsWith("linkscope_session="));
    expect(renewed).toBeDefined();
    expect(renewed!.split(";")[0]).toBe(cookie);
    expect(renewed).toMatch(/Max-Age=1209[0-9]{3}/);
    expect(renewed).toMatch(/HttpOnly/);
    // The API and the shared report are not pages: the proxy leaves them alone.
    expect((await send("GET", "/api/v1/health", cookie)).headers.getSetCookie()).toEqual([]);
  });

  test("removing or disabling a user ends their access on the next request", async () => {
    await createUser(t.db, { email: "boss@example.com", name: "Boss", role: "admin", password: "admin password 12" });
    const gone = await createUser(t.db, { email: "gone@example.com", name: "Gone", role: "operator", password: "gone password 12" });
    const off = await createUser(t.db, { email: "off@example.com", name: "Off", role: "operator", password: "off password 123" });
    const admin = (await login("boss@example.com", "admin password 12")).cookie!;
    const goneCookie = (await login("gone@example.com", "gone password 12")).cookie!;
    const offCookie = (await login("off@example.com", "off password 123")).cookie!;
    expect((await send("GET", "/api/v1/auth/me", goneCookie)).status).toBe(200);
    expect((await send("DELETE", `/api/v1/users/${gone.id}`, admin)).status).toBe(200);
    expect((await send("GET", "/api/v1/auth/me", goneCookie)).status).toBe(401);
    expect((await send("DELETE", `/api/v1/users/${gone.id}`, admin)).status).toBe(404);
    expect((await send("PATCH", `/api/v1/users/${off.id}`, admin, { disabled: true })).status).toBe(200);
    expect((await send("GET", "/api/v1/auth/me", offCookie)).status).toBe(401);
    const self = await t.db.prisma.user.findUniqueOrThrow({ where: { email: "boss@example.com" } });
    expect((await send("DELETE", `/api/v1/users/${self.id}`, admin)).status).toBe(409);
  });

  test("a key revoked through the API fails on the very next request; one revoked elsewhere within the cache's second", async () => {
    const admin = await createUser(t.db, { email: "keys@example.com", name: "Keys", role: "admin", password: "keys password 12" });
    void admin;
    const cookie = (await login("keys@example.com", "keys password 12")).cookie!;
    const { key, prefix } = await createKey(t.db, { scope: "ingest", site: "alpha" });
    const beat = (id: string) => ({ events: [{ id, device: "stay-a2", type: "heartbeat", at: iso(Date.now()) }] });
    expect((await postEvents(app.url, key, beat("r1"))).status).toBe(200);
    expect((await send("POST", `/api/v1/keys/${prefix}/revoke`, cookie)).status).toBe(200);
    expect((await postEvents(app.url, key, beat("r2"))).status).toBe(401);
    // Revoked behind this instance's back (the CLI, another instance): the cache holds it at most LINKSCOPE_KEY_CACHE_S.
    const other = await createKey(t.db, { scope: "ingest", site: "alpha" });
    expect((await postEvents(app.url, other.key, beat("r3"))).status).toBe(200);
    await t.db.prisma.apiKey.update({ where: { prefix: other.prefix }, data: { revokedAt: new Date() } });
    await new Promise((r) => setTimeout(r, 1200));
    expect((await postEvents(app.url, other.key, beat("r4"))).status).toBe(401);
  });
});
