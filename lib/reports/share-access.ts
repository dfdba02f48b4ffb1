// The one gate of everything under /r/{token}: the token resolves to a live link, and the
// access table (lib/auth/permissions.ts) lets that link's principal see the link's site.
import { canViewSite, type SharePrincipal } from "@/lib/auth/permissions";
import type { Db } from "@/lib/db/client";
import { resolveShareToken, type ResolvedShare } from "./share-links";

export const EXPIRED_LINK_MESSAGE = "This link has expired or was revoked — ask your contact for a new one.";

export async function openShare(db: Db, token: string, now = new Date()): Promise<ResolvedShare | null> {
  const share = await resolveShareToken(db, token, now);
  if (!share) return null;
  const principal: SharePrincipal = { kind: "share", linkId: share.linkId, site: { id: share.site.id, slug: share.site.slug } };
  return canViewSite(principal, share.site.slug) ? share : null;
}
