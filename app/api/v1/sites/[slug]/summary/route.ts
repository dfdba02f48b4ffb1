import { siteSummaryQuery } from "@/lib/contract/dashboard";
import { readSiteResource } from "@/lib/api/resource-route";
import { siteSummary } from "@/lib/queries/site-summary";

export const dynamic = "force-dynamic";

export async function GET(request: Request, context: { params: Promise<{ slug: string }> }): Promise<Response> {
  const { slug } = await context.params;
  return readSiteResource(request, slug, siteSummaryQuery, (db, query) => siteSummary(db, query.site, query));
}
