// Dashboard accounts: the first admin (setup page or environment), the admin's user list,
// and checking a login's credentials.
import type { Role } from "@/lib/contract/auth";
import type { Db } from "@/lib/db/client";
import { hashPassword, needsRehash, passwordProblem, verifyAgainstDecoy, verifyPassword } from "./passwords";
import { isRole } from "./permissions";
import { loginThrottle, recordLoginFailure } from "./throttle";
import { endAllSessions, endOtherSessions } from "./user-sessions";

export interface UserView {
  id: number;
  email: string;
  name: string | null;
  role: Role;
  createdAt: Date;
  disabledAt: Date | null;
}

interface UserRow {
  id: number;
  email: string;
  name: string | null;
  role: string;
  createdAt: Date;
  disabledAt: Date | null;
}

function toView(u: UserRow): UserView {
  return { id: u.id, email: u.email, name: u.name, role: isRole(u.role) ? u.role : "viewer", createdAt: u.createdAt, disabledAt: u.disabledAt };
}

/** What the signed-in user learns about themselves (GET /api/v1/auth/me, login). */
export function meView(u: { email: string; name: string | null; role: Role }): { email: string; name: string | null; role: Role } {
  return { email: u.email, name: u.name, role: u.role };
}

/** Emails compare case-insensitively: stored lower-case and trimmed. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function listUsers(db: Db): Promise<{ items: UserView[]; nextCursor: null }> {
  const users = await db.prisma.user.findMany({ orderBy: { id: "asc" } });
  return { items: users.map(toView), nextCursor: null };
}

export interface NewUser {
  email: string;
  name?: string | null;
  role: Role;
  password: string;
}

/** Creates an account; a taken email surfaces as Prisma's P2002 (409 at the API). */
export async function createUser(db: Db, input: NewUser, now: Date = new Date()): Promise<UserView> {
  const user = await db.prisma.user.create({
    data: {
      email: normalizeEmail(input.email),
      name: input.name?.trim() || null,
      role: input.role,
      passwordHash: await hashPassword(input.password),
      createdAt: now,
    },
  });
  return toView(user);
}

export interface UserChange {
  role?: Role;
  name?: string | null;
  disabled?: boolean;
  password?: string;
}

export type UserChangeResult = { kind: "updated"; user: UserView } | { kind: "not_found" } | { kind: "last_admin" };

/**
 * Changes role, name, password or disabled state. Disabling or a new password ends the
 * user's sessions. The last active admin can be neither demoted nor disabled; the check and
 * the write share one serializable transaction, so two admins demoting each other at once
 * cannot leave none.
 */
export async function updateUser(db: Db, id: number, change: UserChange, now: Date = new Date()): Promise<UserChangeResult> {
  const passwordHash = change.password !== undefined ? await hashPassword(change.password) : undefined;
  const result = await db.prisma.$transaction(
    async (tx): Promise<UserChangeResult> => {
      const user = await tx.user.findUnique({ where: { id } });
      if (!user) return { kind: "not_found" };
      const wasActiveAdmin = user.role === "admin" && user.disabledAt === null;
      const staysActiveAdmin = (change.role ?? user.role) === "admin" && !(change.disabled ?? user.disabledAt !== null);
      if (wasActiveAdmin && !staysActiveAdmin) {
        const otherAdmins = await tx.user.count({ where: { role: "admin", disabledAt: null, id: { not: id } } });
        if (otherAdmins === 0) return { kind: "last_admin" };
      }
      const updated = await tx.user.update({
        where: { id },
        data: {
          ...(change.role !== undefined ? { role: change.role } : {}),
          ...(change.name !== undefined ? { name: change.name?.trim() || null } : {}),
          ...(change.disabled !== undefined ? { disabledAt: change.disabled ? (user.disabledAt ?? now) : null } : {}),
          ...(passwordHash !== undefined ? { passwordHash } : {}),
        },
      });
      return { kind: "updated", user: toView(updated) };
    },
    { isolationLevel: "Serializable" },
  );
  if (result.kind === "updated" && (change.disabled === true || passwordHash !== undefined)) await endAllSessions(db, id);
  return result;
}

export type PasswordChangeResult = { kind: "changed"; signedOut: number } | { kind: "wrong_password" } | { kind: "throttled"; retryAfterS: number };

/**
 * A signed-in user's own password change: the current password is required (and wrong guesses
 * count against the login throttle, so a stolen session cannot brute-force it), and every other
 * session of the user ends; `keepToken` (this browser's session) stays signed in.
 */
export async function changeOwnPassword(
  db: Db,
  userId: number,
  input: { currentPassword: string; newPassword: string; ip: string | null; keepToken: string | null },
  now: Date = new Date(),
): Promise<PasswordChangeResult> {
  const user = await db.prisma.user.findUnique({ where: { id: userId } });
  if (!user || user.disabledAt !== null) return { kind: "wrong_password" };
  const verdict = await loginThrottle(db, user.email, input.ip, now);
  if (!verdict.allowed) return { kind: "throttled", retryAfterS: verdict.retryAfterS };
  if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
    await recordLoginFailure(db, user.email, input.ip, now);
    return { kind: "wrong_password" };
  }
  await db.prisma.user.update({ where: { id: userId }, data: { passwordHash: await hashPassword(input.newPassword) } });
  return { kind: "changed", signedOut: await endOtherSessions(db, userId, input.keepToken) };
}

export type UserRemovalResult = { kind: "removed" } | { kind: "not_found" } | { kind: "last_admin" } | { kind: "self" };

/**
 * Removes an account: its sessions end with it (the next request of a signed-in browser gets
 * 401), share links it created stay and lose their creator. Neither oneself nor the last active
 * admin can be removed.
 */
export async function removeUser(db: Db, id: number, byUserId: number): Promise<UserRemovalResult> {
  if (id === byUserId) return { kind: "self" };
  return db.prisma.$transaction(
    async (tx): Promise<UserRemovalResult> => {
      const user = await tx.user.findUnique({ where: { id } });
      if (!user) return { kind: "not_found" };
      if (user.role === "admin" && user.disabledAt === null) {
        const otherAdmins = await tx.user.count({ where: { role: "admin", disabledAt: null, id: { not: id } } });
        if (otherAdmins === 0) return { kind: "last_admin" };
      }
      await tx.userSession.deleteMany({ where: { userId: id } });
      await tx.user.delete({ where: { id } });
      return { kind: "removed" };
    },
    { isolationLevel: "Serializable" },
  );
}

const knownToHaveUsers = new WeakSet<Db>();

async function anyUser(db: Db): Promise<boolean> {
  if (knownToHaveUsers.has(db)) return true;
  const found = (await db.prisma.user.findFirst({ select: { id: true } })) !== null;
  if (found) knownToHaveUsers.add(db);
  return found;
}

/**
 * Creates the first account as admin, only while there is no account at all (the setup
 * page). Null when setup is already closed. Count and insert share one serializable
 * transaction: of two racing setups, one fails, and a retry finds setup closed.
 */
export async function createFirstAdmin(db: Db, input: Omit<NewUser, "role">, now: Date = new Date()): Promise<UserView | null> {
  if (await anyUser(db)) return null;
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.prisma.$transaction(
      async (tx) => {
        if ((await tx.user.count()) > 0) return null;
        const user = await tx.user.create({
          data: { email: normalizeEmail(input.email), name: input.name?.trim() || null, role: "admin", passwordHash, createdAt: now },
        });
        return toView(user);
      },
      { isolationLevel: "Serializable" },
    );
  } catch (error) {
    // Lost the race (unique email, serialization failure, busy database): closed if someone won.
    if (await anyUser(db)) return null;
    throw error;
  }
}

/**
 * Whether any account exists, creating the headless admin from LINKSCOPE_ADMIN_EMAIL and
 * LINKSCOPE_ADMIN_PASSWORD first when none does (first use). Idempotent; cheap once true.
 */
export async function ensureFirstAdmin(db: Db, env: Record<string, string | undefined> = process.env): Promise<boolean> {
  if (await anyUser(db)) return true;
  const email = env.LINKSCOPE_ADMIN_EMAIL?.trim();
  const password = env.LINKSCOPE_ADMIN_PASSWORD;
  if (!email || !password) return false;
  const problem = passwordProblem(password);
  if (problem) {
    console.error(`linkscope: LINKSCOPE_ADMIN_PASSWORD ignored: ${problem} The setup page stays open.`);
    return false;
  }
  await createFirstAdmin(db, { email, name: env.LINKSCOPE_ADMIN_NAME ?? "Administrator", password });
  return anyUser(db);
}

/** The active account these credentials belong to, or null; equal time either way. */
export async function checkCredentials(db: Db, email: string, password: string): Promise<UserView | null> {
  const user = await db.prisma.user.findUnique({ where: { email: normalizeEmail(email) } });
  if (!user || user.disabledAt !== null || !isRole(user.role)) return verifyAgainstDecoy(password).then(() => null);
  if (!(await verifyPassword(password, user.passwordHash))) return null;
  // Hashes from weaker parameters are upgraded while the password is at hand.
  if (needsRehash(user.passwordHash) && passwordProblem(password) === null) await db.prisma.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(password) } });
  return toView(user);
}
