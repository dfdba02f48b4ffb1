// Dashboard login sessions. The browser holds 256 random bits in an HttpOnly, SameSite=Lax
// cookie; the database holds only their SHA-256, so a leaked table signs nobody in.
// Sessions expire 14 days after last use (sliding); lastSeenAt is written at most once a
// minute so busy pages do not turn every read into a write.
import { createHash, randomBytes } from "node:crypto";
import type { Db } from "@/lib/db/client";
import { isRole, type UserPrincipal } from "./permissions";

export const SESSION_COOKIE = "linkscope_session";
export const SESSION_TTL_MS = 14 * 24 * 60 * 60 * 1000;
export const LAST_SEEN_EVERY_MS = 60_000;

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface ValidSession {
  sessionId: number;
  expiresAt: Date;
  /** The expiry moved forward just now: the cookie should be sent again with it. */
  renewed: boolean;
  user: UserPrincipal;
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export async function createSession(
  db: Db,
  userId: number,
  options: { userAgent?: string | null; now?: Date } = {},
): Promise<{ token: string; expiresAt: Date }> {
  const now = options.now ?? new Date();
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  // Housekeeping while we are here: this user's dead sessions.
  await db.prisma.userSession.deleteMany({ where: { userId, expiresAt: { lte: now } } });
  await db.prisma.userSession.create({
    data: {
      tokenHash: hashToken(token),
      userId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt,
      userAgent: options.userAgent?.slice(0, 512) ?? null,
    },
  });
  return { token, expiresAt };
}

/** The session behind a cookie token, or null when unknown, expired, or its user is disabled. */
export async function validateSession(db: Db, token: string, now: Date = new Date()): Promise<ValidSession | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const session = await db.prisma.userSession.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: true } });
  if (!session) return null;
  if (session.expiresAt.getTime() <= now.getTime()) {
    await db.prisma.userSession.deleteMany({ where: { id: session.id } });
    return null;
  }
  const { user } = session;
  if (user.disabledAt !== null || !isRole(user.role)) return null;
  let expiresAt = session.expiresAt;
  const renewed = now.getTime() - session.lastSeenAt.getTime() >= LAST_SEEN_EVERY_MS;
  if (renewed) {
    expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
    // updateMany: a concurrent sign-out may have removed the row; that is not an error.
    await db.prisma.userSession.updateMany({ where: { id: session.id }, data: { lastSeenAt: now, expiresAt } });
  }
  return {
    sessionId: session.id,
    expiresAt,
    renewed,
    user: { kind: "user", userId: user.id, email: user.email, name: user.name, role: user.role },
  };
}

/** Signs out this one session (this browser). */
export async function endSession(db: Db, token: string): Promise<void> {
  if (!TOKEN_PATTERN.test(token)) return;
  await db.prisma.userSession.deleteMany({ where: { tokenHash: hashToken(token) } });
}

/** Signs the user out everywhere; returns how many sessions ended. */
export async function endAllSessions(db: Db, userId: number): Promise<number> {
  const { count } = await db.prisma.userSession.deleteMany({ where: { userId } });
  return count;
}

/** Signs the user out everywhere but the session of `keepToken` (this browser); returns how many ended. */
export async function endOtherSessions(db: Db, userId: number, keepToken: string | null): Promise<number> {
  const keep = keepToken !== null && TOKEN_PATTERN.test(keepToken) ? hashToken(keepToken) : null;
  const { count } = await db.prisma.userSession.deleteMany({ where: { userId, ...(keep ? { tokenHash: { not: keep } } : {}) } });
  return count;
}

/** The session token from a request's Cookie header, if any. */
export function sessionTokenFromRequest(request: Request): string | null {
  return sessionTokenFromCookieHeader(request.headers.get("cookie"));
}

export function sessionTokenFromCookieHeader(header: string | null): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim() || null;
  }
  return null;
}

/** Whether the browser reached us over HTTPS (directly, or through a TLS-terminating proxy). */
export function isHttps(request: Request): boolean {
  const forwarded = request.headers.get("x-forwarded-proto")?.split(",")[0].trim().toLowerCase();
  return forwarded ? forwarded === "https" : new URL(request.url).protocol === "https:";
}

function cookieAttributes(request: Request, maxAgeS: number): string {
  return `Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeS}${isHttps(request) ? "; Secure" : ""}`;
}

/** Set-Cookie value carrying a session token until its expiry. */
export function sessionCookie(request: Request, token: string, expiresAt: Date, now: Date = new Date()): string {
  const maxAgeS = Math.max(0, Math.round((expiresAt.getTime() - now.getTime()) / 1000));
  return `${SESSION_COOKIE}=${token}; ${cookieAttributes(request, maxAgeS)}`;
}

/**
 * For a page request carrying a well-formed session cookie: the same cookie with its lifetime
 * renewed (proxy.ts). The database still decides whether the session is valid.
 */
export function renewedSessionCookie(request: Request, now: Date = new Date()): string | null {
  const token = sessionTokenFromRequest(request);
  return token && TOKEN_PATTERN.test(token) ? sessionCookie(request, token, new Date(now.getTime() + SESSION_TTL_MS), now) : null;
}

/** Set-Cookie value that makes the browser forget the session. */
export function clearedSessionCookie(request: Request): string {
  return `${SESSION_COOKIE}=; ${cookieAttributes(request, 0)}`;
}
