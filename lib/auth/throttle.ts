// Login throttling from the LoginFailure table: at most 5 failed logins per account and 20
// per client address in any 15 minutes. Past that, logins are refused (429 with
// Retry-After) until the oldest counted failure leaves the window; the password is not
// even checked, so guessing on gains nothing. A successful login clears its account's
// failures (not the address's: one known account must not reset a spray at others).
import type { Db } from "@/lib/db/client";

export interface ThrottleLimits {
  windowMs: number;
  perEmail: number;
  perIp: number;
}

export const LOGIN_LIMITS: ThrottleLimits = { windowMs: 15 * 60_000, perEmail: 5, perIp: 20 };

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterS: number };

/**
 * The rule, pure: given the times (ms) of recent failures for the account and for the
 * address, may another attempt happen at `now`, and if not, how long until it may.
 */
export function throttleVerdict(
  failures: { email: number[]; ip: number[] },
  now: number,
  limits: ThrottleLimits = LOGIN_LIMITS,
): ThrottleVerdict {
  const waits = [waitFor(failures.email, limits.perEmail, now, limits.windowMs), waitFor(failures.ip, limits.perIp, now, limits.windowMs)];
  const waitMs = Math.max(...waits);
  return waitMs > 0 ? { allowed: false, retryAfterS: Math.max(1, Math.ceil(waitMs / 1000)) } : { allowed: true };
}

/** Milliseconds until fewer than `limit` failures remain in the window (0: allowed now). */
function waitFor(times: number[], limit: number, now: number, windowMs: number): number {
  const recent = times.filter((t) => t > now - windowMs && t <= now).sort((a, b) => a - b);
  if (recent.length < limit) return 0;
  // The attempt may happen once all but limit-1 of them have left the window.
  return recent[recent.length - limit] + windowMs - now;
}

export async function loginThrottle(db: Db, email: string, ip: string | null, now: Date = new Date(), limits = LOGIN_LIMITS): Promise<ThrottleVerdict> {
  const since = new Date(now.getTime() - limits.windowMs);
  const [byEmail, byIp] = await Promise.all([
    db.prisma.loginFailure.findMany({ where: { email, at: { gt: since } }, select: { at: true } }),
    ip ? db.prisma.loginFailure.findMany({ where: { ip, at: { gt: since } }, select: { at: true } }) : Promise.resolve([]),
  ]);
  return throttleVerdict({ email: byEmail.map((f) => f.at.getTime()), ip: byIp.map((f) => f.at.getTime()) }, now.getTime(), limits);
}

export async function recordLoginFailure(db: Db, email: string, ip: string | null, now: Date = new Date(), limits = LOGIN_LIMITS): Promise<void> {
  await db.prisma.loginFailure.create({ data: { email, ip, at: now } });
  // Failures older than the window count for nothing; keep the table small.
  await db.prisma.loginFailure.deleteMany({ where: { at: { lte: new Date(now.getTime() - limits.windowMs) } } });
}

export async function clearLoginFailures(db: Db, email: string): Promise<void> {
  await db.prisma.loginFailure.deleteMany({ where: { email } });
}
