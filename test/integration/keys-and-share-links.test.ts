// Keys and share links administered over HTTP: who may, what is shown once, and that a
// revoked key or link stops working at once.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { keyFor, postEvents, signIn, startApp, type RunningApp } from "../helpers/app";
import { sqliteTestDb, type TestDb } from "../helpers/test-db";

let t: TestDb;
let app: RunningApp;
let admin: string;
let operator: string;
let viewer: string;

async function call(method: string, path: string, cookie: string | null, body?: unknown) {
  const res = await fetch(`${app.url}${path}`, {
    method,
    headers: { ...(cookie ? { cookie, origin: app.url } : {}), ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, json: (await res.json().catch(() => null)) as Record<string, any> };
}

beforeAll(async () => {
  t = await sqliteTestDb();
  app = await startApp(t.config, { LINKSCOPE_BACKGROUND: "off" });
  [admin, operator, viewer] = [await signIn(app.url, t.db, "admin"), await signIn(app.url, t.db, "operator"), await signIn(app.url, t.db, "viewer")];
  await postEvents(app.url, await keyFor(t.db, "ingest"), { events: [{ id: "1", device: "gw", site: "hamburg", type: "heartbeat", at: new Date().toISOString() }] });
});
afterAll(async () => {
  await app?.stop();
  await t?.cleanup();
});

describe("keys", () => {
  test("an admin creates a key (shown once), it works, the list never shows a secret, revoking stops it", async () => {
    const created = await call("POST", "/api/v1/keys", admin, { scope: "ingest", site: "hamburg", name: "gateways" });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ scope: "ingest", site: "hamburg", name: "gateways", key: expect.stringMatching(/^lsk_/) });
    const key = created.json.key as string;
    expect((await postEvents(app.url, key, { events: [{ id: "k1", device: "gw", type: "heartbeat", at: new Date().toISOString() }] })).status).toBe(200);

    const list = await call("GET", "/api/v1/keys", admin);
    expect(JSON.stringify(list.json)).not.toContain(key.split("_")[2]);
    expect(list.json.items.find((k: any) => k.prefix === created.json.prefix)).toMatchObject({ lastUsedAt: expect.any(String), revokedAt: null });

    expect((await call("POST", `/api/v1/keys/${created.json.prefix}/revoke`, admin)).json.revokedAt).toEqual(expect.any(String));
    expect((await postEvents(app.url, key, { events: [{ id: "k2", device: "gw", type: "heartbeat", at: new Date().toISOString() }] })).status).toBe(401);
  });

  test("operators, viewers and keys may not manage keys", async () => {
    for (const cookie of [operator, viewer]) {
      expect((await call("GET", "/api/v1/keys", cookie)).status).toBe(403);
      expect((await call("POST", "/api/v1/keys", cookie, { scope: "read" })).status).toBe(403);
    }
    const readKey = await keyFor(t.db, "read");
    const res = await fetch(`${app.url}/api/v1/keys`, { headers: { authorization: `Bearer ${readKey}` } });
    expect(res.status).toBe(403);
  });

  test("bad key bodies are 400 with the error shape", async () => {
    for (const body of [{ scope: "admin" }, { scope: "read", site: "Not A Slug" }, { scope: "read", extra: 1 }]) {
      const r = await call("POST", "/api/v1/keys", admin, body);
      expect(r.status).toBe(400);
      expect(r.json.error.code).toEqual(expect.any(String));
    }
  });
});

describe("share links", () => {
  test("an operator creates a link (token shown once), lists it, revokes it", async () => {
    const created = await call("POST", "/api/v1/sites/hamburg/share-links", operator, { expiresInDays: 7, note: "for ACME IT" });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ site: "hamburg", active: true, note: "for ACME IT", url: expect.stringMatching(/^\/r\/lsr_/) });
    const list = await call("GET", "/api/v1/share-links?site=hamburg", operator);
    expect(list.json.items.map((l: any) => l.id)).toContain(created.json.id);
    expect(JSON.stringify(list.json)).not.toContain(created.json.token);

    const revoked = await call("POST", `/api/v1/share-links/${created.json.id}/revoke`, operator);
    expect(revoked.json).toMatchObject({ active: false, revokedAt: expect.any(String) });
    expect((await call("GET", "/api/v1/share-links", operator)).json.items.map((l: any) => l.id)).not.toContain(created.json.id);
  });

  test("viewers may not share; unknown sites are 404; a share token is no API key", async () => {
    expect((await call("POST", "/api/v1/sites/hamburg/share-links", viewer, {})).status).toBe(403);
    expect((await call("POST", "/api/v1/sites/nowhere/share-links", operator, {})).status).toBe(404);
    expect((await call("POST", "/api/v1/sites/hamburg/share-links", operator, { expiresInDays: 365 })).status).toBe(400);
    const { json } = await call("POST", "/api/v1/sites/hamburg/share-links", operator, {});
    for (const path of ["/api/v1/sites", "/api/v1/findings", "/api/v1/sessions?site=hamburg"]) {
      const res = await fetch(`${app.url}${path}`, { headers: { authorization: `Bearer ${json.token}` } });
      expect(res.status, path).toBe(401);
    }
  });
});
