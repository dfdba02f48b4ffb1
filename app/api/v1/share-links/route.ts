import { shareLinksQuery } from "@/lib/contract/admin";
import { readRoute } from "@/lib/api/read-route";
import { canShareReports } from "@/lib/auth/permissions";
import { listShareLinks } from "@/lib/reports/share-links";

export const dynamic = "force-dynamic";

export const GET = (request: Request) =>
  readRoute(request, shareLinksQuery, async (db, query) => ({ items: await listShareLinks(db, { site: query.site, all: query.all === "true" }), nextCursor: null }), {
    allowed: canShareReports,
    action: "manage share links",
  });
