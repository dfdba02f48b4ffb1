// Accounts over real HTTP against the production build: first-run setup, login and its
// throttle, cookie flags, session expiry and sign-out, CSRF, the read API with a cookie or a
// key, the page gate, user administration, and the headless admin from the environment.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { hashToken } from "@/lib/auth/user-sessions";
import { keyFor, postEvents, startApp, type RunningApp } from "../helpers/app";
import { sqliteTestDb, type TestDb } from "../helpers/test-db";

const ADMIN = { email: "ada@example.com", name: "Ada", password: "correct horse battery" };
const VIEWER = { email: "vic@example.com", name: "Vic", password: "viewer password 1", role: "viewer" };
const OPERATOR = { email: "otto@example.com", name: "Otto", password: "operator password 1", role: "operator" };

let t: TestDb;
let app: RunningApp;
let ipCounter = 0;

/** Each caller gets its own client address, so the per-address throttle stays out of the way. */
const freshIp = () => `198.51.100.${++ipCounter}`;

interface Answer {
  status: number;
  json: Record<string, any>;
  headers: Headers;
  location: string | null;
}

async function call(method: string, path: string, options: { cookie?: string | null; key?: string; body?: unknown; origin?: string | null; headers?: Record<string, string> } = {}): Promise<Answer> {
  const headers: Record<string, string> = { "x-forwarded-for": freshIp(), ...options.headers };
  if (options.cookie) headers.cookie = options.cookie;
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  // Browsers send Origin on every POST; tests say so explicitly (null: leave it out).
  const origin = options.origin === undefined ? app.url : options.origin;
  if (origin !== null && method !== "GET") headers.origin = origin;
  const res = await fetch(`${app.url}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body), redirect: "manual" });
  const text = await res.text();
  let json: Record<string, any> = {};
  try {
    json = JSON.parse(text);
  } catch {
    /* a page */
  }
  return { status: res.status, json, headers: res.headers, location: res.headers.get("location") };
}

function sessionCookieOf(a: Answer): string {
  const set = a.headers.getSetCookie().find((c) => c.startsWith("linkscope_session="));
  if (!set) throw new Error(`no session cookie in ${a.status} answer`);
  return set.split(";")[0];
}

async function login(who: { email: string; password: string }, headers: Record<string, string> = {}): Promise<string> {
  const res = await call("POST", "/api/v1/auth/login", { body: { email: who.email, password: who.password }, headers });
  expect(res.status).toBe(200);
  return sessionCookieOf(res);
}

beforeAll(async () => {
  t = await sqliteTestDb();
  // The test plays one trusted reverse proxy in front of the app: X-Forwarded-For says who the client is.
  app = await startApp(t.config, { LINKSCOPE_BACKGROUND: "off", LINKSCOPE_TRUST_PROXY: "1" });
});
afterAll(async () => {
  await app?.stop();
  await t?.cleanup();
});

let adminCookie: string;

describe("first start", () => {
  test("with no account, pages and the login page lead to /setup", async () => {
    for (const path of ["/", "/login", "/settings/users"]) {
      const res = await call("GET", path);
      expect(res.status, path).toBe(307);
      expect(res.location, path).toBe("/setup");
    }
    expect((await call("GET", "/setup")).status).toBe(200);
    expect((await call("GET", "/api/v1/auth/me")).status).toBe(401);
  });

  test("setup checks its input, then creates the admin and signs them in", async () => {
    const mismatch = await call("POST", "/api/v1/auth/setup", { body: { ...ADMIN, passwordConfirm: "something else entirely" } });
    expect(mismatch.status).toBe(400);
    expect(mismatch.json.error.details.issues).toEqual([expect.objectContaining({ path: "passwordConfirm" })]);
    const short = await call("POST", "/api/v1/auth/setup", { body: { ...ADMIN, password: "short", passwordConfirm: "short" } });
    expect(short.status).toBe(400);
    const foreign = await call("POST", "/api/v1/auth/setup", { body: { ...ADMIN, passwordConfirm: ADMIN.password }, origin: "https://evil.example" });
    expect(foreign.status).toBe(403);

    const res = await call("POST", "/api/v1/auth/setup", { body: { ...ADMIN, email: "Ada@Example.com", passwordConfirm: ADMIN.password } });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({ email: ADMIN.email, name: "Ada", role: "admin" });
    adminCookie = sessionCookieOf(res);
    expect((await call("GET", "/api/v1/auth/me", { cookie: adminCookie })).json).toEqual({ email: ADMIN.email, name: "Ada", role: "admin" });
  });

  test("setup is closed once an account exists", async () => {
    const again = await call("POST", "/api/v1/auth/setup", { body: { email: "eve@example.com", name: "Eve", password: "eve's long password", passwordConfirm: "eve's long password" } });
    expect(again.status).toBe(403);
    const page = await call("GET", "/setup");
    expect(page.status).toBe(307);
    expect(page.location).toBe("/login");
    expect(await t.db.prisma.user.count()).toBe(1);
  });
});

describe("pages", () => {
  test("without a session every dashboard page redirects to /login?next=", async () => {
    expect((await call("GET", "/")).location).toBe("/login");
    for (const path of ["/settings/users", "/settings/account"]) {
      const res = await call("GET", path);
      expect(res.status, path).toBe(307);
      expect(res.location, path).toBe(`/login?next=${encodeURIComponent(path)}`);
    }
    expect((await call("GET", "/login")).status).toBe(200);
  });

  test("with a session they render; the login page forwards a signed-in user to next", async () => {
    const fleet = await fetch(`${app.url}/`, { headers: { cookie: adminCookie } });
    expect(fleet.status).toBe(200);
    const html = await fleet.text();
    expect(html).toContain("Fleet");
    expect(html).toContain("Sign out");
    expect((await call("GET", "/settings/users", { cookie: adminCookie })).status).toBe(200);
    const forward = await call("GET", "/login?next=%2Fsettings%2Fusers", { cookie: adminCookie });
    expect(forward.location).toBe("/settings/users");
    expect((await call("GET", "/login?next=https%3A%2F%2Fevil.example%2F", { cookie: adminCookie })).location).toBe("/");
  });
});

describe("user administration", () => {
  let readKey: string;
  beforeAll(async () => {
    readKey = await keyFor(t.db, "read");
  });

  test("the admin adds accounts; a taken email is 409", async () => {
    for (const user of [VIEWER, OPERATOR]) {
      const res = await call("POST", "/api/v1/users", { cookie: adminCookie, body: user });
      expect(res.status).toBe(201);
      expect(res.json).toMatchObject({ email: user.email, role: user.role, disabledAt: null });
      expect(res.json).not.toHaveProperty("passwordHash");
    }
    expect((await call("POST", "/api/v1/users", { cookie: adminCookie, body: { ...VIEWER, email: "VIC@example.com" } })).status).toBe(409);
    const list = await call("GET", "/api/v1/users", { cookie: adminCookie });
    expect(list.json.items.map((u: { email: string }) => u.email)).toEqual([ADMIN.email, VIEWER.email, OPERATOR.email]);
  });

  test("only admins: viewer and operator 403, a read key 403, nobody 401", async () => {
    const viewer = await login(VIEWER);
    const operator = await login(OPERATOR);
    for (const cookie of [viewer, operator]) {
      expect((await call("GET", "/api/v1/users", { cookie })).status).toBe(403);
      expect((await call("POST", "/api/v1/users", { cookie, body: { ...VIEWER, email: "x@example.com" } })).status).toBe(403);
      expect((await call("PATCH", "/api/v1/users/1", { cookie, body: { role: "viewer" } })).status).toBe(403);
    }
    expect((await call("GET", "/api/v1/users", { key: readKey })).status).toBe(403);
    const byKey = await call("POST", "/api/v1/users", { key: readKey, body: { ...VIEWER, email: "k@example.com" }, origin: null });
    expect(byKey.status).toBe(403);
    expect(byKey.json.error.message).toMatch(/read key/);
    expect((await call("GET", "/api/v1/users")).status).toBe(401);
  });

  test("the last admin cannot demote themselves; unknown ids are 404; bad bodies 400", async () => {
    const self = await call("PATCH", "/api/v1/users/1", { cookie: adminCookie, body: { role: "viewer" } });
    expect(self.status).toBe(409);
    expect((await call("PATCH", "/api/v1/users/999", { cookie: adminCookie, body: { role: "viewer" } })).status).toBe(404);
    expect((await call("PATCH", "/api/v1/users/abc", { cookie: adminCookie, body: { role: "viewer" } })).status).toBe(400);
    expect((await call("PATCH", "/api/v1/users/2", { cookie: adminCookie, body: { role: "root" } })).status).toBe(400);
    expect((await call("PATCH", "/api/v1/users/2", { cookie: adminCookie, body: {} })).status).toBe(400);
  });

  test("a role change applies to existing sessions at once", async () => {
    const operator = await login(OPERATOR);
    const id = (await t.db.prisma.user.findUniqueOrThrow({ where: { email: OPERATOR.email } })).id;
    expect((await call("PATCH", `/api/v1/users/${id}`, { cookie: adminCookie, body: { role: "viewer" } })).json.role).toBe("viewer");
    expect((await call("GET", "/api/v1/auth/me", { cookie: operator })).json.role).toBe("viewer");
    await call("PATCH", `/api/v1/users/${id}`, { cookie: adminCookie, body: { role: "operator" } });
  });

  test("disabling signs the user out and refuses their login", async () => {
    const who = { email: "dora@example.com", name: "Dora", password: "dora's long password", role: "viewer" };
    const id = (await call("POST", "/api/v1/users", { cookie: adminCookie, body: who })).json.id;
    const cookie = await login(who);
    expect((await call("PATCH", `/api/v1/users/${id}`, { cookie: adminCookie, body: { disabled: true } })).json.disabledAt).toEqual(expect.any(String));
    expect((await call("GET", "/api/v1/auth/me", { cookie })).status).toBe(401);
    expect((await call("POST", "/api/v1/auth/login", { body: who })).status).toBe(401);
  });
});

describe("login", () => {
  test("good password: 200, a session cookie that is HttpOnly, SameSite=Lax, Path=/", async () => {
    const res = await call("POST", "/api/v1/auth/login", { body: { email: "  VIC@example.com", password: VIEWER.password } });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ email: VIEWER.email, name: "Vic", role: "viewer" });
    const set = res.headers.getSetCookie().find((c) => c.startsWith("linkscope_session="))!;
    expect(set).toMatch(/^linkscope_session=[A-Za-z0-9_-]{43}; /);
    expect(set).toContain("; HttpOnly");
    expect(set).toContain("; SameSite=Lax");
    expect(set).toContain("; Path=/");
    expect(set).toContain(`; Max-Age=${14 * 24 * 3600}`);
    expect(set).not.toContain("Secure");
    // Only the token's hash is stored.
    const token = set.split(";")[0].split("=")[1];
    expect(await t.db.prisma.userSession.count({ where: { tokenHash: hashToken(token) } })).toBe(1);
  });

  test("behind a TLS-terminating proxy the cookie is Secure", async () => {
    const res = await call("POST", "/api/v1/auth/login", { body: VIEWER, headers: { "x-forwarded-proto": "https" } });
    expect(res.headers.getSetCookie().find((c) => c.startsWith("linkscope_session="))).toMatch(/; Secure$/);
  });

  test("wrong password or unknown email: the same 401, no cookie", async () => {
    for (const body of [{ email: VIEWER.email, password: "not the password" }, { email: "nobody@example.com", password: "whatever it is" }]) {
      const res = await call("POST", "/api/v1/auth/login", { body });
      expect(res.status).toBe(401);
      expect(res.json.error).toEqual({ code: "unauthenticated", message: "Wrong email or password." });
      expect(res.headers.getSetCookie()).toEqual([]);
    }
    expect((await call("POST", "/api/v1/auth/login", { body: { email: VIEWER.email } })).status).toBe(400);
  });

  test("5 failures in 15 minutes: 429 with Retry-After, even with the right password", async () => {
    const who = { email: "tom@example.com", name: "Tom", password: "tom's long password", role: "viewer" };
    await call("POST", "/api/v1/users", { cookie: adminCookie, body: who });
    for (let i = 0; i < 5; i++) expect((await call("POST", "/api/v1/auth/login", { body: { email: who.email, password: `wrong ${i}` } })).status).toBe(401);
    const blocked = await call("POST", "/api/v1/auth/login", { body: who });
    expect(blocked.status).toBe(429);
    expect(blocked.json.error.code).toBe("rate_limited");
    const retryAfter = Number(blocked.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    // Once the failures age out of the window, the right password works and clears them.
    await t.db.prisma.loginFailure.updateMany({ where: { email: who.email }, data: { at: new Date(Date.now() - 16 * 60_000) } });
    await login(who);
    expect(await t.db.prisma.loginFailure.count({ where: { email: who.email } })).toBe(0);
  });

  test("20 failures from one address block that address for every account", async () => {
    const ip = "203.0.113.77";
    const spray = Array.from({ length: 20 }, (_, i) =>
      call("POST", "/api/v1/auth/login", { body: { email: `spray${i}@example.com`, password: "guess guess" }, headers: { "x-forwarded-for": ip } }),
    );
    expect((await Promise.all(spray)).map((r) => r.status)).toEqual(Array(20).fill(401));
    const res = await call("POST", "/api/v1/auth/login", { body: VIEWER, headers: { "x-forwarded-for": ip } });
    expect(res.status).toBe(429);
    expect((await call("POST", "/api/v1/auth/login", { body: VIEWER })).status).toBe(200);
  });
});

describe("sessions", () => {
  test("an expired session is refused", async () => {
    const cookie = await login(VIEWER);
    const token = cookie.split("=")[1];
    await t.db.prisma.userSession.update({ where: { tokenHash: hashToken(token) }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await call("GET", "/api/v1/auth/me", { cookie })).status).toBe(401);
    expect((await call("GET", "/", { cookie })).location).toBe("/login");
  });

  test("use slides the expiry and re-sends the cookie (at most once a minute)", async () => {
    const cookie = await login(VIEWER);
    const token = cookie.split("=")[1];
    const fresh = await call("GET", "/api/v1/sites", { cookie });
    expect(fresh.headers.getSetCookie()).toEqual([]);
    const twoMinutesAgo = new Date(Date.now() - 120_000);
    await t.db.prisma.userSession.update({ where: { tokenHash: hashToken(token) }, data: { lastSeenAt: twoMinutesAgo, expiresAt: new Date(Date.now() + 60_000) } });
    const renewed = await call("GET", "/api/v1/sites", { cookie });
    expect(renewed.headers.getSetCookie()).toEqual([expect.stringMatching(/^linkscope_session=.+; Max-Age=1209600/)]);
    const row = await t.db.prisma.userSession.findUniqueOrThrow({ where: { tokenHash: hashToken(token) } });
    expect(row.expiresAt.getTime()).toBeGreaterThan(Date.now() + 13 * 24 * 3600_000);
  });

  test("sign out ends this session only and clears the cookie", async () => {
    const here = await login(VIEWER);
    const there = await login(VIEWER);
    const res = await call("POST", "/api/v1/auth/logout", { cookie: here });
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie()).toEqual([expect.stringMatching(/^linkscope_session=; .*Max-Age=0/)]);
    expect((await call("GET", "/api/v1/auth/me", { cookie: here })).status).toBe(401);
    expect((await call("GET", "/api/v1/auth/me", { cookie: there })).status).toBe(200);
  });

  test("sign out everywhere ends every session of that user, not of others", async () => {
    const a = await login(OPERATOR);
    const b = await login(OPERATOR);
    const other = await login(VIEWER);
    const res = await call("POST", "/api/v1/auth/logout-all", { cookie: a });
    expect(res.status).toBe(200);
    expect(res.json.sessions).toBeGreaterThanOrEqual(2);
    expect(res.headers.getSetCookie()).toEqual([expect.stringMatching(/Max-Age=0/)]);
    for (const cookie of [a, b]) expect((await call("GET", "/api/v1/auth/me", { cookie })).status).toBe(401);
    expect((await call("GET", "/api/v1/auth/me", { cookie: other })).status).toBe(200);
    expect((await call("POST", "/api/v1/auth/logout-all", {})).status).toBe(401);
  });
});

describe("CSRF", () => {
  test("a cookie POST without Origin, or from another site, is 403; from ours it passes", async () => {
    const body = { email: "csrf@example.com", name: "C", password: "csrf long password", role: "viewer" };
    const none = await call("POST", "/api/v1/users", { cookie: adminCookie, body, origin: null });
    expect(none.status).toBe(403);
    expect(none.json.error.message).toMatch(/Cross-site/);
    expect((await call("POST", "/api/v1/users", { cookie: adminCookie, body, origin: "https://evil.example" })).status).toBe(403);
    expect((await call("PATCH", "/api/v1/users/2", { cookie: adminCookie, body: { name: "x" }, origin: "http://127.0.0.1:1" })).status).toBe(403);
    const viaReferer = await call("POST", "/api/v1/users", { cookie: adminCookie, body, origin: null, headers: { referer: `${app.url}/settings/users` } });
    expect(viaReferer.status).toBe(201);
    expect(await t.db.prisma.user.count({ where: { email: body.email } })).toBe(1);
  });

  test("sign-out from another site is refused; login from another site too", async () => {
    const cookie = await login(VIEWER);
    expect((await call("POST", "/api/v1/auth/logout", { cookie, origin: "https://evil.example" })).status).toBe(403);
    expect((await call("POST", "/api/v1/auth/logout-all", { cookie, origin: "https://evil.example" })).status).toBe(403);
    expect((await call("GET", "/api/v1/auth/me", { cookie })).status).toBe(200);
    expect((await call("POST", "/api/v1/auth/login", { body: VIEWER, origin: "https://evil.example" })).status).toBe(403);
  });
});

describe("read API", () => {
  let readKey: string;
  let hamburgKey: string;
  let ingestKey: string;
  beforeAll(async () => {
    [readKey, hamburgKey, ingestKey] = [await keyFor(t.db, "read"), await keyFor(t.db, "read", "hamburg"), await keyFor(t.db, "ingest")];
    const at = new Date().toISOString();
    const events = ["hamburg", "munich"].map((site) => ({ id: `hb-${site}`, device: `${site}-1`, site, type: "heartbeat", at }));
    expect((await postEvents(app.url, ingestKey, { events })).status).toBe(200);
  });

  test("a signed-in viewer reads every site", async () => {
    const cookie = await login(VIEWER);
    const sites = await call("GET", "/api/v1/sites", { cookie });
    expect(sites.status).toBe(200);
    expect(sites.json.items.map((s: { slug: string }) => s.slug)).toEqual(["hamburg", "munich"]);
    expect((await call("GET", "/api/v1/devices?site=munich", { cookie })).status).toBe(200);
  });

  test("keys work as before: read key 200, site key narrowed, ingest key 403, nothing 401", async () => {
    expect((await call("GET", "/api/v1/sites", { key: readKey })).status).toBe(200);
    const narrowed = await call("GET", "/api/v1/sites", { key: hamburgKey });
    expect(narrowed.json.items.map((s: { slug: string }) => s.slug)).toEqual(["hamburg"]);
    expect((await call("GET", "/api/v1/sites?site=munich", { key: hamburgKey })).status).toBe(403);
    expect((await call("GET", "/api/v1/sites", { key: ingestKey })).status).toBe(403);
    expect((await call("GET", "/api/v1/sites")).status).toBe(401);
  });

  test("a bad key is 401 even with a valid cookie alongside", async () => {
    const cookie = await login(VIEWER);
    expect((await call("GET", "/api/v1/sites", { cookie, key: "lsk_aaaaaaaa_" + "a".repeat(43) })).status).toBe(401);
    expect((await call("GET", "/api/v1/auth/me", { key: readKey })).status).toBe(401);
  });
});

describe("headless first start", () => {
  let envDb: TestDb;
  let envApp: RunningApp;
  beforeAll(async () => {
    envDb = await sqliteTestDb();
    envApp = await startApp(envDb.config, { LINKSCOPE_BACKGROUND: "off", LINKSCOPE_ADMIN_EMAIL: "ops@example.com", LINKSCOPE_ADMIN_PASSWORD: "headless admin password" });
  });
  afterAll(async () => {
    await envApp?.stop();
    await envDb?.cleanup();
  });

  test("the environment's admin exists at first use: no setup page, login works", async () => {
    const page = await fetch(`${envApp.url}/`, { redirect: "manual" });
    expect(page.headers.get("location")).toBe("/login");
    expect((await fetch(`${envApp.url}/setup`, { redirect: "manual" })).headers.get("location")).toBe("/login");
    const res = await fetch(`${envApp.url}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "ops@example.com", password: "headless admin password" }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ email: "ops@example.com", name: "Administrator", role: "admin" });
    expect(await envDb.db.prisma.user.count()).toBe(1);
  });
});
