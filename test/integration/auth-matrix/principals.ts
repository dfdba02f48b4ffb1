// The callers of the auth matrix: who they are to lib/auth/permissions.ts (the expectation
// side) and what they send over HTTP (the request side). Share links are tried everywhere
// the way a curious holder would: as a bearer token on the API and pages, and in /r/{token}.
import { createKey } from "@/lib/auth/key-admin";
import type { Principal } from "@/lib/auth/permissions";
import type { Db } from "@/lib/db/client";
import { createShareLink, revokeShareLink } from "@/lib/reports/share-links";
import { signIn } from "../../helpers/app";
import { OTHER_SITE, REPORT_SITE } from "../../helpers/report-seed";

export interface Caller {
  name: string;
  /** as the access table sees it; null for no credentials at all */
  principal: Principal | null;
  /** the request headers; users with `fresh` get a new session (for sign-out routes) */
  headers(fresh?: boolean): Promise<Record<string, string>>;
  /** a share link's token, and the site it opens while it is valid */
  share?: { token: string; site: typeof REPORT_SITE | null };
}

type Role = "viewer" | "operator" | "admin";

export async function matrixCallers(url: string, db: Db): Promise<Caller[]> {
  const keyCaller = async (name: string, scope: "ingest" | "read", site: typeof REPORT_SITE | null): Promise<Caller> => {
    const { key, prefix } = await createKey(db, { scope, site: site?.slug, name: `matrix ${name}` });
    const row = site ? await db.prisma.site.findUniqueOrThrow({ where: { slug: site.slug } }) : null;
    return {
      name,
      principal: { kind: "key", keyId: 0, prefix, scope, site: row ? { id: row.id, slug: row.slug } : null },
      headers: async () => ({ authorization: `Bearer ${key}` }),
    };
  };
  const userCaller = async (role: Role): Promise<Caller> => {
    const cookie = await signIn(url, db, role);
    return {
      name: role,
      principal: { kind: "user", userId: 0, email: `${role}@example.com`, name: role, role },
      headers: async (fresh) => ({ cookie: fresh ? await signIn(url, db, role) : cookie, origin: url }),
    };
  };
  const shareCaller = async (name: string, site: typeof REPORT_SITE, state: "valid" | "expired" | "revoked"): Promise<Caller> => {
    const created = await createShareLink(db, { siteSlug: site.slug, createdById: null, expiresInDays: 7, note: `matrix ${name}` });
    if (!created) throw new Error(`no site ${site.slug}`);
    if (state === "expired") await db.prisma.shareLink.update({ where: { id: created.link.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    if (state === "revoked") await revokeShareLink(db, created.link.id);
    const row = await db.prisma.site.findUniqueOrThrow({ where: { slug: site.slug } });
    return {
      name,
      principal: { kind: "share", linkId: created.link.id, site: { id: row.id, slug: row.slug } },
      headers: async () => ({ authorization: `Bearer ${created.token}` }),
      share: { token: created.token, site: state === "valid" ? site : null },
    };
  };
  return [
    { name: "no credentials", principal: null, headers: async () => ({}) },
    await keyCaller("ingest key", "ingest", null),
    await keyCaller("ingest key (other site)", "ingest", OTHER_SITE),
    await keyCaller("read key (fleet)", "read", null),
    await keyCaller("read key (other site)", "read", OTHER_SITE),
    await userCaller("viewer"),
    await userCaller("operator"),
    await userCaller("admin"),
    await shareCaller("share link (this site)", REPORT_SITE, "valid"),
    await shareCaller("share link (other site)", OTHER_SITE, "valid"),
    await shareCaller("expired link", REPORT_SITE, "expired"),
    await shareCaller("revoked link", REPORT_SITE, "revoked"),
  ];
}
