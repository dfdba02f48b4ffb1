import { readRoute } from "@/lib/api/read-route";
import { durationsQuery } from "@/lib/contract/read";
import { siteSlug } from "@/lib/contract/events";
import { badRequest, notFound, ok } from "@/lib/api/response";
import { siteDurations } from "@/lib/queries/site-durations";

export const dynamic = "force-dynamic";

export async function GET(request: Request, context: { params: Promise<{ slug: string }> }): Promise<Response> {
  const { slug } = await context.params;
  if (!siteSlug.safeParse(slug).success) return badRequest("invalid_query", "slug: not a site slug");
  // The slug joins the query so the shared read steps narrow and check it like ?site=.
  const url = new URL(request.url);
  url.searchParams.set("site", slug);
  const schema = durationsQuery.extend({ site: siteSlug });
  let missing = false;
  const response = await readRoute(new Request(url, request), schema, async (db, query) => {
    const result = await siteDurations(db, query.site, query);
    missing = result === null;
    return result;
  });
  return missing ? notFound(`No site "${slug}".`) : response;
}
