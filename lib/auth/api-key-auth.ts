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

export async function authenticateKey(
  db: Db,
  request: Request,
  scope: KeyScope,
): Promise<{ principal: KeyPrincipal } | { refusal: Refusal }> {
  const parsed = keyFromAuthorization(request.headers.get("authorization"));
  if (!parsed) return { refusal: notAuthenticated("Send an API key: Authorization: Bearer lsk_...") };
  const key = await db.prisma.apiKey.findUnique({ where: { prefix: parsed.prefix }, include: { site: true } });
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
