// A login attempt from start to finish: throttle, check the password, record the outcome,
// open a session.
import type { Db } from "@/lib/db/client";
import { clearLoginFailures, loginThrottle, recordLoginFailure } from "./throttle";
import { createSession } from "./user-sessions";
import { checkCredentials, ensureFirstAdmin, normalizeEmail, type UserView } from "./users";

export type SignInResult =
  | { kind: "signed_in"; user: UserView; token: string; expiresAt: Date }
  | { kind: "rejected" }
  | { kind: "throttled"; retryAfterS: number };

export interface SignInAttempt {
  email: string;
  password: string;
  ip: string | null;
  userAgent: string | null;
}

export async function signIn(db: Db, attempt: SignInAttempt, now: Date = new Date()): Promise<SignInResult> {
  await ensureFirstAdmin(db);
  const email = normalizeEmail(attempt.email);
  const verdict = await loginThrottle(db, email, attempt.ip, now);
  if (!verdict.allowed) return { kind: "throttled", retryAfterS: verdict.retryAfterS };
  const user = await checkCredentials(db, email, attempt.password);
  if (!user) {
    await recordLoginFailure(db, email, attempt.ip, now);
    return { kind: "rejected" };
  }
  await clearLoginFailures(db, email);
  const session = await createSession(db, user.id, { userAgent: attempt.userAgent, now });
  return { kind: "signed_in", user, ...session };
}

/** Where to go after signing in: a path on this site, never another origin. */
export function safeNextPath(raw: unknown): string {
  if (typeof raw !== "string" || !raw.startsWith("/") || raw.startsWith("//") || raw.includes("\\")) return "/";
  try {
    const base = "http://linkscope.invalid";
    const url = new URL(raw, base);
    if (url.origin !== base) return "/";
    const path = `${url.pathname}${url.search}${url.hash}`;
    // Never bounce back into the pages that sent the user here.
    return /^\/(login|setup)(\/|$|\?)/.test(path) || path.startsWith("/api/") ? "/" : path;
  } catch {
    return "/";
  }
}
