// Who is calling: an API key (`Authorization: Bearer lsk_...`) or a signed-in user (the
// session cookie). A request that sends an Authorization header is judged by it alone,
// never by a cookie that happens to ride along.
//
// CSRF: browsers attach the cookie to cross-site requests too, so a cookie-authenticated
// POST/PUT/PATCH/DELETE must come from our own pages: its Origin (or, lacking one, its
// Referer) must name this host. Browsers send Origin on every such request; a key-
// authenticated call carries no ambient credential and needs no check.
import type { Db } from "@/lib/db/client";
import { authenticateKey } from "./api-key-auth";
import type { ApiKeyPrincipal, Principal } from "./permissions";
import { notAllowed, type Refusal } from "./refusal";
import { sessionCookie, sessionTokenFromRequest, validateSession } from "./user-sessions";

export type { ApiKeyPrincipal, Principal, SharePrincipal, UserPrincipal } from "./permissions";
export type { Role } from "@/lib/contract/auth";

export interface Authenticated {
  principal: Principal;
  /** A renewed session cookie to send back (sliding expiry), or null. */
  setCookie: string | null;
}

export async function authenticateRequest(db: Db, request: Request, now: Date = new Date()): Promise<Authenticated | null> {
  if (request.headers.has("authorization")) {
    const key = await keyPrincipal(db, request);
    return key ? { principal: key, setCookie: null } : null;
  }
  const token = sessionTokenFromRequest(request);
  if (!token) return null;
  const session = await validateSession(db, token, now);
  if (!session) return null;
  return { principal: session.user, setCookie: session.renewed ? sessionCookie(request, token, session.expiresAt, now) : null };
}

/** The caller, or null when it sent no valid credentials (401). */
export async function authenticate(db: Db, request: Request): Promise<Principal | null> {
  return (await authenticateRequest(db, request))?.principal ?? null;
}

/**
 * A valid, unrevoked key of either scope. authenticateKey checks a scope as it looks the
 * key up; asking for "read" first and "ingest" when that was refused for its scope keeps
 * its last-used bookkeeping in one place, at one extra lookup for ingest keys off their path.
 */
async function keyPrincipal(db: Db, request: Request): Promise<ApiKeyPrincipal | null> {
  for (const scope of ["read", "ingest"] as const) {
    const result = await authenticateKey(db, request, scope);
    if ("principal" in result) return { kind: "key", ...result.principal };
    if (result.refusal.status !== 403) return null;
  }
  return null;
}

export function isUnsafeMethod(method: string): boolean {
  return !["GET", "HEAD", "OPTIONS"].includes(method.toUpperCase());
}

function hostOf(url: string | null): string | null {
  if (!url || url === "null") return null;
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return null;
  }
}

function normalizedHost(host: string | null | undefined): string | null {
  return host ? hostOf(`http://${host.split(",")[0].trim()}`) : null;
}

/**
 * True when the request names this host as its source: Origin, or Referer when a browser
 * sent no Origin. The host is the Host header or the X-Forwarded-Host of a proxy in front
 * (a cross-site page cannot set either without a preflight, which we never grant).
 */
export function isSameOrigin(request: Request): boolean {
  const source = hostOf(request.headers.get("origin")) ?? (request.headers.has("origin") ? null : hostOf(request.headers.get("referer")));
  if (!source) return false;
  const own = [normalizedHost(request.headers.get("host")), normalizedHost(request.headers.get("x-forwarded-host"))];
  return own.includes(source);
}

/** 403 unless the request's Origin (or Referer) names this host; null when it does. */
export function crossSiteRejection(request: Request): Refusal | null {
  if (isSameOrigin(request)) return null;
  return notAllowed("Cross-site request refused: a signed-in change must come from Linkscope's own pages (Origin header).");
}

/** The 403 for a cookie-authenticated state change from another site, or null when fine. */
export function csrfRejection(request: Request, principal: Principal): Refusal | null {
  if (principal.kind !== "user" || !isUnsafeMethod(request.method)) return null;
  return crossSiteRejection(request);
}

/**
 * For requests that carry no principal yet (login, setup): a browser's Origin, when sent,
 * must be ours, so another site cannot sign a visitor into an account of its choosing.
 */
export function crossSiteAnonymousRejection(request: Request): Refusal | null {
  const sent = request.headers.get("origin") ?? request.headers.get("referer");
  if (sent === null || isSameOrigin(request)) return null;
  return notAllowed("Cross-site request refused (Origin header).");
}
