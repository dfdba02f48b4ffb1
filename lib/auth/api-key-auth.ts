// Authenticating API requests by key: who is calling (401) and whether the key's scope
// allows this surface (403).
import type { Db } from "@/lib/db/client";
import { keyFromAuthorization, secretMatches, type KeyScope } from "./keys";
import { notAllowed, notAuthenticated, type Refusal } from "./refusal";

export interface KeyPrincipal {
  keyId: number;
  prefix: string;
  scope: KeyScope;
  site: { id: number; slug: string } | null;
}

const LAST_USED_EVERY_MS = 60_000;
const lastUsedWritten = new Map<number, number>();

/**
 * Key rows are cached per process for LINKSCOPE_KEY_CACHE_S seconds (default 5, 0 turns the
 * cache off): ingest sends many small requests, and a database read per request is most of a
 * single event's cost. A key revoked through this process is dropped from the cache at once
 * (forgetKey); one revoked through another instance (or the CLI) stops working within the TTL.
 */
interface CachedKey {
  row: { id: number; prefix: string; hash: string; scope: string; revokedAt: Date | null; site: { id: number; slug: string } | null } | null;
  until: number;
}
const keyCache = new Map<string, CachedKey>();
const MAX_CACHED_KEYS = 10_000;

export function keyCacheMs(env: Record<string, string | undefined> = process.env): number {
  const s = Number(env.LINKSCOPE_KEY_CACHE_S ?? 5);
  return Number.isFinite(s) && s > 0 ? Math.min(s, 300) * 1000 : 0;
}

/** Drops a key from this process's cache (after revoking it). */
export function forgetKey(prefix: string): void {
  keyCache.delete(prefix);
}

async function keyRow(db: Db, prefix: string): Promise<CachedKey["row"]> {
  const ttl = keyCacheMs();
  const now = Date.now();
  const hit = ttl > 0 ? keyCache.get(prefix) : undefined;
  if (hit && hit.until > now) return hit.row;
  const key = await db.prisma.apiKey.findUnique({
    where: { prefix },
    select: { id: true, prefix: true, hash: true, scope: true, revokedAt: true, site: { select: { id: true, slug: true } } },
  });
  if (ttl > 0) {
    if (keyCache.size >= MAX_CACHED_KEYS) keyCache.clear();
    keyCache.set(prefix, { row: key, until: now + ttl });
  }
  return key;
}

export async function authenticateKey(
  db: Db,
  request: Request,
  scope: KeyScope,
): Promise<{ principal: KeyPrincipal } | { refusal: Refusal }> {
  const parsed = keyFromAuthorization(request.headers.get("authorization"));
  if (!parsed) return { refusal: notAuthenticated("Send an API key: Authorization: Bearer lsk_...") };
  const key = await keyRow(db, parsed.prefix);
  if (!key || key.revokedAt !== null || !secretMatches(parsed.secret, key.hash)) {
    return { refusal: notAuthenticated("The API key is unknown or revoked.") };
  }
  if (key.scope !== scope) {
    return { refusal: notAllowed(`This is a ${key.scope} key; this endpoint needs a ${scope} key.`) };
  }
  touchLastUsed(db, key.id);
  return {
    principal: {
      keyId: key.id,
      prefix: key.prefix,
      scope: key.scope as KeyScope,
      site: key.site ? { id: key.site.id, slug: key.site.slug } : null,
    },
  };
}

/** Records use at most once a minute per key, off the request path. */
function touchLastUsed(db: Db, keyId: number): void {
  const now = Date.now();
  if (now - (lastUsedWritten.get(keyId) ?? 0) < LAST_USED_EVERY_MS) return;
  lastUsedWritten.set(keyId, now);
  db.prisma.apiKey.update({ where: { id: keyId }, data: { lastUsedAt: new Date(now) } }).catch(() => undefined);
}
