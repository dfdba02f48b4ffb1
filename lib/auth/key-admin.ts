// Creating, listing and revoking API keys (CLI now, the keys page later).
import { forgetKey } from "./api-key-auth";
import type { Db } from "@/lib/db/client";
import { generateKey, type KeyScope } from "./keys";

export interface KeySummary {
  prefix: string;
  scope: string;
  site: string | null;
  name: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** Creates a key (and its site, when named and new); returns the full key, shown only now. */
export async function createKey(db: Db, input: { scope: KeyScope; site?: string; name?: string }): Promise<{ key: string; prefix: string }> {
  const now = new Date();
  const site = input.site
    ? await db.prisma.site.upsert({ where: { slug: input.site }, create: { slug: input.site, name: input.site, createdAt: now }, update: {} })
    : null;
  const fresh = generateKey();
  await db.prisma.apiKey.create({
    data: { prefix: fresh.prefix, hash: fresh.hash, scope: input.scope, siteId: site?.id ?? null, name: input.name ?? null, createdAt: now },
  });
  return { key: fresh.key, prefix: fresh.prefix };
}

export async function listKeys(db: Db): Promise<KeySummary[]> {
  const keys = await db.prisma.apiKey.findMany({ include: { site: true }, orderBy: { createdAt: "asc" } });
  return keys.map((k) => ({
    prefix: k.prefix,
    scope: k.scope,
    site: k.site?.slug ?? null,
    name: k.name,
    createdAt: k.createdAt,
    lastUsedAt: k.lastUsedAt,
    revokedAt: k.revokedAt,
  }));
}

/** The key as the API shows it (never the secret or its hash). */
export function keyView(k: KeySummary) {
  return {
    prefix: k.prefix,
    scope: k.scope,
    site: k.site,
    name: k.name,
    createdAt: k.createdAt.toISOString(),
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
  };
}

/** Revokes the key with this prefix; false when there is none (or it was already revoked). */
export async function revokeKey(db: Db, prefix: string): Promise<boolean> {
  const { count } = await db.prisma.apiKey.updateMany({ where: { prefix, revokedAt: null }, data: { revokedAt: new Date() } });
  forgetKey(prefix);
  return count === 1;
}
