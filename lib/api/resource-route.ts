// Read endpoints addressed by a path parameter (/sites/{slug}/..., /devices/{id}/...,
// /findings/{id}/...): the shared read steps, then 404 when the data layer finds nothing the
// caller may see. Site-confined callers get their site in `query.site`, so a device or
// finding of another site is "not found" to them, exactly like one that does not exist.
import type { z } from "zod";
import type { Principal } from "@/lib/auth/permissions";
import type { Db } from "@/lib/db/client";
import { badRequest, notFound } from "./response";
import { siteSlug } from "@/lib/contract/events";
import { readRoute } from "./read-route";

export async function readResource<S extends z.ZodObject, R>(
  request: Request,
  schema: S,
  run: (db: Db, query: z.infer<S>, principal: Principal) => Promise<R | null>,
  missing: string,
): Promise<Response> {
  let found = true;
  const response = await readRoute(request, schema, async (db, query, principal) => {
    const result = await run(db, query, principal);
    found = result !== null;
    return result;
  });
  return found ? response : notFound(missing);
}

/**
 * A site's endpoint: the slug joins the query as `site`, so the shared steps check it like
 * ?site= (403 for another site's key) before the data layer runs.
 */
export async function readSiteResource<S extends z.ZodObject, R>(
  request: Request,
  slug: string,
  schema: S,
  run: (db: Db, query: z.infer<S> & { site: string }) => Promise<R | null>,
): Promise<Response> {
  if (!siteSlug.safeParse(slug).success) return badRequest("invalid_query", "slug: not a site slug");
  const url = new URL(request.url);
  url.searchParams.set("site", slug);
  return readResource(new Request(url, request), schema, (db, query) => run(db, query as z.infer<S> & { site: string }), `No site "${slug}".`);
}

/** A numeric path id, or null (answered 404 like an unknown id). */
export function numericId(raw: string): number | null {
  return /^\d{1,9}$/.test(raw) ? Number(raw) : null;
}
