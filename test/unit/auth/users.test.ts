// Accounts: the first admin (setup page, environment, races), the last-admin rule, and
// credential checks — on SQLite and, where available, PostgreSQL (their transactions differ).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { createSession, validateSession } from "@/lib/auth/user-sessions";
import { checkCredentials, createFirstAdmin, createUser, ensureFirstAdmin, listUsers, updateUser } from "@/lib/auth/users";
import { postgresSkipReason, startPostgres, type RunningPostgres } from "../../helpers/postgres";
import { postgresTestDb, sqliteTestDb, type TestDb } from "../../helpers/test-db";

const pgSkip = postgresSkipReason();
if (pgSkip) console.warn(`PostgreSQL account tests skipped: ${pgSkip}`);
let server: RunningPostgres | null = null;
beforeAll(async () => {
  if (pgSkip) return;
  const started = await startPostgres();
  if ("skipped" in started) throw new Error(started.skipped);
  server = started;
});
afterAll(async () => {
  await server?.stop();
});

describe.each([
  ["sqlite", false],
  ["postgresql", pgSkip !== null],
] as const)("on %s", (provider, skip) => {
  let t: TestDb;
  let opened: TestDb | null = null;
  beforeEach(async (ctx) => {
    if (skip) return ctx.skip();
    t = opened = provider === "sqlite" ? await sqliteTestDb() : await postgresTestDb(server!.url);
  });
  afterEach(async () => {
    await opened?.cleanup();
    opened = null;
  });

  const PASSWORD = "a long enough password";

  describe("first admin", () => {
    test("setup creates one admin; afterwards it is closed", async () => {
      const admin = await createFirstAdmin(t.db, { email: " Ada@Example.com ", name: "Ada", password: PASSWORD });
      expect(admin).toMatchObject({ email: "ada@example.com", role: "admin" });
      expect(await createFirstAdmin(t.db, { email: "eve@example.com", name: "Eve", password: PASSWORD })).toBeNull();
      expect((await listUsers(t.db)).items).toHaveLength(1);
    });

    test("racing setups: exactly one wins", async () => {
      const results = await Promise.all(
        ["a", "b", "c", "d"].map((n) => createFirstAdmin(t.db, { email: `${n}@example.com`, name: n, password: PASSWORD }).catch((e: Error) => e)),
      );
      expect(results.filter((r) => r !== null && !(r instanceof Error))).toHaveLength(1);
      expect(await t.db.prisma.user.count()).toBe(1);
    });

    test("environment admin: created on first use, once, only with both variables", async () => {
      expect(await ensureFirstAdmin(t.db, {})).toBe(false);
      expect(await ensureFirstAdmin(t.db, { LINKSCOPE_ADMIN_EMAIL: "ops@example.com" })).toBe(false);
      const env = { LINKSCOPE_ADMIN_EMAIL: "Ops@Example.com", LINKSCOPE_ADMIN_PASSWORD: PASSWORD };
      const runs = await Promise.all([ensureFirstAdmin(t.db, env), ensureFirstAdmin(t.db, env), ensureFirstAdmin(t.db, env)]);
      expect(runs).toEqual([true, true, true]);
      expect((await listUsers(t.db)).items).toEqual([expect.objectContaining({ email: "ops@example.com", role: "admin" })]);
      expect(await checkCredentials(t.db, "ops@example.com", PASSWORD)).not.toBeNull();
    });

    test("an environment password below the policy is ignored (setup stays open)", async () => {
      expect(await ensureFirstAdmin(t.db, { LINKSCOPE_ADMIN_EMAIL: "ops@example.com", LINKSCOPE_ADMIN_PASSWORD: "short" })).toBe(false);
      expect(await t.db.prisma.user.count()).toBe(0);
    });
  });

  describe("user changes", () => {
    test("the last active admin can be neither demoted nor disabled", async () => {
      const ada = await createUser(t.db, { email: "ada@example.com", role: "admin", password: PASSWORD });
      const bob = await createUser(t.db, { email: "bob@example.com", role: "viewer", password: PASSWORD });
      expect(await updateUser(t.db, ada.id, { role: "operator" })).toEqual({ kind: "last_admin" });
      expect(await updateUser(t.db, ada.id, { disabled: true })).toEqual({ kind: "last_admin" });
      expect(await updateUser(t.db, bob.id, { role: "admin" })).toMatchObject({ kind: "updated", user: { role: "admin" } });
      expect(await updateUser(t.db, ada.id, { role: "viewer" })).toMatchObject({ kind: "updated", user: { role: "viewer" } });
      expect(await updateUser(t.db, 999, { role: "viewer" })).toEqual({ kind: "not_found" });
    });

    test("disabling signs the user out and blocks login; enabling lets them back in", async () => {
      await createUser(t.db, { email: "ada@example.com", role: "admin", password: PASSWORD });
      const bob = await createUser(t.db, { email: "bob@example.com", role: "viewer", password: PASSWORD });
      const { token } = await createSession(t.db, bob.id);
      const disabled = await updateUser(t.db, bob.id, { disabled: true });
      expect(disabled).toMatchObject({ kind: "updated", user: { disabledAt: expect.any(Date) } });
      expect(await validateSession(t.db, token)).toBeNull();
      expect(await checkCredentials(t.db, "bob@example.com", PASSWORD)).toBeNull();
      await updateUser(t.db, bob.id, { disabled: false });
      expect(await checkCredentials(t.db, "BOB@example.com", PASSWORD)).toMatchObject({ email: "bob@example.com" });
    });

    test("a new password ends the user's sessions and replaces the old one", async () => {
      const ada = await createUser(t.db, { email: "ada@example.com", role: "admin", password: PASSWORD });
      const { token } = await createSession(t.db, ada.id);
      await updateUser(t.db, ada.id, { password: "a brand new password" });
      expect(await validateSession(t.db, token)).toBeNull();
      expect(await checkCredentials(t.db, "ada@example.com", PASSWORD)).toBeNull();
      expect(await checkCredentials(t.db, "ada@example.com", "a brand new password")).not.toBeNull();
    });

    test("two admins demoting each other at once leave at least one admin", async () => {
      const ada = await createUser(t.db, { email: "ada@example.com", role: "admin", password: PASSWORD });
      const bob = await createUser(t.db, { email: "bob@example.com", role: "admin", password: PASSWORD });
      const results = await Promise.allSettled([updateUser(t.db, ada.id, { role: "viewer" }), updateUser(t.db, bob.id, { disabled: true })]);
      const applied = results.filter((r) => r.status === "fulfilled" && r.value.kind === "updated");
      expect(applied.length).toBeLessThanOrEqual(1);
      expect(await t.db.prisma.user.count({ where: { role: "admin", disabledAt: null } })).toBeGreaterThanOrEqual(1);
    });

    test("a login upgrades a hash made with weaker parameters", async () => {
      const { scryptSync, randomBytes } = await import("node:crypto");
      const ada = await createUser(t.db, { email: "ada@example.com", role: "admin", password: PASSWORD });
      const salt = randomBytes(16);
      const weak = ["scrypt", 14, 8, 1, salt.toString("base64url"), scryptSync(PASSWORD, salt, 32, { N: 2 ** 14, r: 8, p: 1 }).toString("base64url")].join("$");
      await t.db.prisma.user.update({ where: { id: ada.id }, data: { passwordHash: weak } });
      expect(await checkCredentials(t.db, "ada@example.com", PASSWORD)).not.toBeNull();
      const { passwordHash } = await t.db.prisma.user.findUniqueOrThrow({ where: { id: ada.id } });
      expect(passwordHash).toMatch(/^scrypt\$15\$/);
      expect(await checkCredentials(t.db, "ada@example.com", PASSWORD)).not.toBeNull();
    });

    test("a taken email is Prisma's unique violation (409 at the API)", async () => {
      await createUser(t.db, { email: "ada@example.com", role: "admin", password: PASSWORD });
      await expect(createUser(t.db, { email: "ADA@example.com", role: "viewer", password: PASSWORD })).rejects.toMatchObject({ code: "P2002" });
    });
  });
});
