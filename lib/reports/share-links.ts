// Share links: a read-only report of one site for a customer's IT team, opened without a
// login. The token is 256 random bits shown once; only its SHA-256 is stored. A link expires,
// can be revoked, and gives access to that one site's report — no API route accepts it.
import { createHash, randomBytes } from "node:crypto";
import type { Db } from "@/lib/db/client";

export const SHARE_TOKEN_PREFIX = "lsr_";
const TOKEN_PATTERN = /^lsr_[A-Za-z0-9_-]{43}$/;
const LAST_USED_EVERY_MS = 60_000;

export interface ShareLinkView {
  id: number;
  site: string;
  createdBy: string | null;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
  rangeFrom: string | null;
  rangeTo: string | null;
  note: string | null;
  active: boolean;
}

export interface ResolvedShare {
  linkId: number;
  site: { id: number; slug: string; name: string };
  /** the report's window, ms */
  from: number;
  to: number;
  expiresAt: Date;
}

const hash = (token: string) => createHash("sha256").update(token).digest("hex");

export async function createShareLink(
  db: Db,
  input: { siteSlug: string; createdById: number | null; expiresInDays: number; from?: Date; to?: Date; note?: string },
  now = new Date(),
): Promise<{ token: string; link: ShareLinkView } | null> {
  const site = await db.prisma.site.findUnique({ where: { slug: input.siteSlug }, select: { id: true } });
  if (!site) return null;
  const token = `${SHARE_TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  const link = await db.prisma.shareLink.create({
    data: {
      tokenHash: hash(token),
      siteId: site.id,
      createdById: input.createdById,
      createdAt: now,
      expiresAt: new Date(now.getTime() + input.expiresInDays * 86_400_000),
      rangeFrom: input.from ?? null,
      rangeTo: input.to ?? null,
      note: input.note ?? null,
    },
    include: { site: true, createdBy: true },
  });
  return { token, link: view(link, now) };
}

type LinkRow = {
  id: number;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  rangeFrom: Date | null;
  rangeTo: Date | null;
  note: string | null;
  site: { slug: string };
  createdBy: { email: string } | null;
};

function view(l: LinkRow, now: Date): ShareLinkView {
  return {
    id: l.id,
    site: l.site.slug,
    createdBy: l.createdBy?.email ?? null,
    createdAt: l.createdAt.toISOString(),
    expiresAt: l.expiresAt.toISOString(),
    revokedAt: l.revokedAt?.toISOString() ?? null,
    lastUsedAt: l.lastUsedAt?.toISOString() ?? null,
    rangeFrom: l.rangeFrom?.toISOString() ?? null,
    rangeTo: l.rangeTo?.toISOString() ?? null,
    note: l.note,
    active: l.revokedAt === null && l.expiresAt > now,
  };
}

/** Active links (not revoked, not expired), newest first; `all` adds the ended ones. */
export async function listShareLinks(db: Db, query: { site?: string; all?: boolean }, now = new Date()): Promise<ShareLinkView[]> {
  const links = await db.prisma.shareLink.findMany({
    where: {
      ...(query.site ? { site: { slug: query.site } } : {}),
      ...(query.all ? {} : { revokedAt: null, expiresAt: { gt: now } }),
    },
    include: { site: true, createdBy: true },
    orderBy: { id: "desc" },
    take: 500,
  });
  return links.map((l) => view(l, now));
}

export async function revokeShareLink(db: Db, id: number, now = new Date()): Promise<ShareLinkView | null> {
  const link = await db.prisma.shareLink.findUnique({ where: { id } });
  if (!link) return null;
  const updated = await db.prisma.shareLink.update({
    where: { id },
    data: { revokedAt: link.revokedAt ?? now },
    include: { site: true, createdBy: true },
  });
  return view(updated, now);
}

/** The site and window a token opens, or null when it is malformed, unknown, expired or revoked. */
export async function resolveShareToken(db: Db, token: string, now = new Date()): Promise<ResolvedShare | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const link = await db.prisma.shareLink.findUnique({ where: { tokenHash: hash(token) }, include: { site: true } });
  if (!link || link.revokedAt !== null || link.expiresAt <= now) return null;
  if (!link.lastUsedAt || now.getTime() - link.lastUsedAt.getTime() > LAST_USED_EVERY_MS) {
    await db.prisma.shareLink.update({ where: { id: link.id }, data: { lastUsedAt: now } }).catch(() => undefined);
  }
  const to = link.rangeTo?.getTime() ?? now.getTime();
  return {
    linkId: link.id,
    site: { id: link.site.id, slug: link.site.slug, name: link.site.name },
    from: link.rangeFrom?.getTime() ?? to - 7 * 86_400_000,
    to,
    expiresAt: link.expiresAt,
  };
}
