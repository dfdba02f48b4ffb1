// Login sessions against a real SQLite file with an injected clock: hashed tokens, sliding
// 14-day expiry written at most once a minute, disabled users, sign-out one and all.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  LAST_SEEN_EVERY_MS,
  SESSION_TTL_MS,
  clearedSessionCookie,
  createSession,
  endAllSessions,
  endSession,
  hashToken,
  sessionCookie,
  sessionTokenFromCookieHeader,
  validateSession,
} from "@/lib/auth/user-sessions";
import { createUser } from "@/lib/auth/users";
import { sqliteTestDb, type TestDb } from "../../helpers/test-db";

const T0 = new Date("2026-11-26T10:00:00Z");
const later = (ms: number) => new Date(T0.getTime() + ms);
const DAY = 24 * 60 * 60 * 1000;

let t: TestDb;
let userId: number;

beforeAll(async () => {
  t = await sqliteTestDb();
  userId = (await createUser(t.db, { email: "Ada@Example.com", name: "Ada", role: "operator", password: "a long enough password" })).id;
});
afterAll(async () => {
  await t?.cleanup();
});

describe("sessions", () => {
  test("the token is 256 random bits; only its SHA-256 is stored", async () => {
    const { token, expiresAt } = await createSession(t.db, userId, { userAgent: "test", now: T0 });
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(expiresAt).toEqual(later(SESSION_TTL_MS));
    const row = await t.db.prisma.userSession.findFirstOrThrow({ where: { userId } });
    expect(row.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(row)).not.toContain(token);
    const valid = await validateSession(t.db, token, later(1000));
    expect(valid?.user).toEqual({ kind: "user", userId, email: "ada@example.com", name: "Ada", role: "operator" });
  });

  test("expiry slides with use, written at most once a minute", async () => {
    const { token } = await createSession(t.db, userId, { now: T0 });
    const quick = await validateSession(t.db, token, later(LAST_SEEN_EVERY_MS - 1));
    expect(quick).toMatchObject({ renewed: false, expiresAt: later(SESSION_TTL_MS) });
    const slid = await validateSession(t.db, token, later(10 * DAY));
    expect(slid).toMatchObject({ renewed: true, expiresAt: later(10 * DAY + SESSION_TTL_MS) });
    // Still valid 20 days after creation because it was used on day 10.
    expect(await validateSession(t.db, token, later(20 * DAY))).not.toBeNull();
  });

  test("14 days without use: expired, and the row is gone", async () => {
    const { token } = await createSession(t.db, userId, { now: T0 });
    expect(await validateSession(t.db, token, later(SESSION_TTL_MS))).toBeNull();
    expect(await t.db.prisma.userSession.count({ where: { tokenHash: hashToken(token) } })).toBe(0);
  });

  test("unknown, malformed and signed-out tokens are rejected", async () => {
    const { token } = await createSession(t.db, userId, { now: T0 });
    expect(await validateSession(t.db, "x".repeat(43), later(1))).toBeNull();
    expect(await validateSession(t.db, "not a token", later(1))).toBeNull();
    await endSession(t.db, token);
    expect(await validateSession(t.db, token, later(1))).toBeNull();
  });

  test("sign out everywhere ends every session of that user only", async () => {
    const other = await createUser(t.db, { email: "bob@example.com", role: "viewer", password: "another long password" });
    const mine = [await createSession(t.db, userId, { now: T0 }), await createSession(t.db, userId, { now: T0 })];
    const theirs = await createSession(t.db, other.id, { now: T0 });
    expect(await endAllSessions(t.db, userId)).toBeGreaterThanOrEqual(2);
    for (const s of mine) expect(await validateSession(t.db, s.token, later(1))).toBeNull();
    expect(await validateSession(t.db, theirs.token, later(1))).not.toBeNull();
  });

  test("a disabled user's sessions stop working", async () => {
    const carol = await createUser(t.db, { email: "carol@example.com", role: "viewer", password: "carols long password" });
    const { token } = await createSession(t.db, carol.id, { now: T0 });
    await t.db.prisma.user.update({ where: { id: carol.id }, data: { disabledAt: T0 } });
    expect(await validateSession(t.db, token, later(1))).toBeNull();
  });
});

describe("cookies", () => {
  const http = new Request("http://dash.example/");
  const behindTls = new Request("http://10.0.0.5/", { headers: { "x-forwarded-proto": "https" } });

  test("HttpOnly, SameSite=Lax, Path=/, Max-Age until expiry; Secure only over https", () => {
    expect(sessionCookie(http, "tok", later(SESSION_TTL_MS), T0)).toBe(`linkscope_session=tok; Path=/; HttpOnly; SameSite=Lax; Max-Age=${SESSION_TTL_MS / 1000}`);
    expect(sessionCookie(behindTls, "tok", later(60_000), T0)).toBe("linkscope_session=tok; Path=/; HttpOnly; SameSite=Lax; Max-Age=60; Secure");
    expect(sessionCookie(new Request("https://dash.example/"), "tok", later(1000), T0)).toMatch(/; Secure$/);
    expect(clearedSessionCookie(http)).toBe("linkscope_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
  });

  test("the token is read from a Cookie header among others", () => {
    expect(sessionTokenFromCookieHeader("a=1; linkscope_session=abc; b=2")).toBe("abc");
    expect(sessionTokenFromCookieHeader("linkscope_session_x=abc")).toBeNull();
    expect(sessionTokenFromCookieHeader(null)).toBeNull();
  });
});
