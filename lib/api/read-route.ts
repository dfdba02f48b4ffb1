// The four steps every read endpoint takes: authenticate, parse the query, narrow to what
// the caller may see, answer with the data layer's result.
import type { z } from "zod";
import { authenticateKey, type KeyPrincipal } from "@/lib/auth/api-key-auth";
import { getDb, type Db } from "@/lib/db/client";
import { apiError, badRequest, forbidden, ok, unavailable } from "@/lib/http/response";
import { isStorageUnavailable } from "@/lib/ingest/errors";
import { InvalidCursorError } from "@/lib/queries/cursor";

export async function readRoute<S extends z.ZodObject, R>(
  request: Request,
  schema: S,
  run: (db: Db, query: z.infer<S>, principal: KeyPrincipal) => Promise<R>,
): Promise<Response> {
  const db = getDb();
  try {
    const auth = await authenticateKey(db, request, "read");
    if ("response" in auth) return auth.response;
    const params = Object.fromEntries(new URL(request.url).searchParams);
    const parsed = schema.safeParse(params);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return badRequest("invalid_query", `${issue.path.join(".") || "query"}: ${issue.message}`);
    }
    const query = parsed.data as z.infer<S> & { site?: string };
    const own = auth.principal.site;
    if (own) {
      if (query.site !== undefined && query.site !== own.slug) return forbidden(`This key may only read site "${own.slug}".`);
      query.site = own.slug;
    }
    return ok(await run(db, query, auth.principal));
  } catch (error) {
    if (error instanceof InvalidCursorError) return badRequest("invalid_query", error.message);
    if (isStorageUnavailable(error)) return unavailable(2, "Storage is unavailable. Retry later.");
    console.error("read failed", error);
    return apiError(500, "internal", "The request failed unexpectedly.");
  }
}
