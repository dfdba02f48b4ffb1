// The four steps every read endpoint takes: authenticate (a read key or a signed-in user),
// parse the query, narrow to what the caller may see, answer with the data layer's result.
import type { z } from "zod";
import { authenticateRequest } from "@/lib/auth/principal";
import { canViewFleet, canViewSite, confinedSite, refusalReason, type Principal } from "@/lib/auth/permissions";
import { getDb, type Db } from "@/lib/db/client";
import { apiError, badRequest, forbidden, ok, unauthenticated, unavailable, withSessionCookie } from "./response";
import { isStorageUnavailable } from "@/lib/db/errors";
import { InvalidCursorError } from "@/lib/queries/cursor";
import { InvalidQueryError } from "@/lib/queries/invalid-query";

export interface ReadRule {
  /**
   * Who may call this endpoint at all (default: whoever may see the fleet or one site).
   * Site narrowing applies after it either way.
   */
  allowed?: (p: Principal) => boolean;
  /** What the caller is refused, for the 403 message ("read this"). */
  action?: string;
}

const mayReadSomething = (p: Principal) => {
  const own = confinedSite(p);
  return canViewFleet(p) || (own !== null && canViewSite(p, own));
};

export async function readRoute<S extends z.ZodObject, R>(
  request: Request,
  schema: S,
  run: (db: Db, query: z.infer<S>, principal: Principal) => Promise<R>,
  rule: ReadRule = {},
): Promise<Response> {
  const db = getDb();
  try {
    const auth = await authenticateRequest(db, request);
    if (!auth) return unauthenticated("Sign in, or send an API key: Authorization: Bearer lsk_...");
    const { principal } = auth;
    if (!(rule.allowed ?? mayReadSomething)(principal)) return forbidden(refusalReason(principal, rule.action ?? "read this"));
    const params = Object.fromEntries(new URL(request.url).searchParams);
    const parsed = schema.safeParse(params);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return badRequest("invalid_query", `${issue.path.join(".") || "query"}: ${issue.message}`);
    }
    const query = parsed.data as z.infer<S> & { site?: string };
    if (query.site !== undefined && !canViewSite(principal, query.site)) {
      return forbidden(`This ${principal.kind === "key" ? "key" : "link"} may only read site "${confinedSite(principal)}".`);
    }
    if (!canViewFleet(principal)) {
      const own = confinedSite(principal);
      if (own === null) return forbidden(refusalReason(principal, "read the whole fleet"));
      query.site = own;
    }
    return withSessionCookie(ok(await run(db, query, principal)), auth.setCookie);
  } catch (error) {
    if (error instanceof InvalidCursorError || error instanceof InvalidQueryError) return badRequest("invalid_query", error.message);
    if (isStorageUnavailable(error)) return unavailable(2, "Storage is unavailable. Retry later.");
    console.error("read failed", error);
    return apiError(500, "internal", "The request failed unexpectedly.");
  }
}
