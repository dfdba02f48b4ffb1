import { authenticateKey } from "@/lib/auth/api-key-auth";
import { getDb } from "@/lib/db/client";
import { backgroundWork } from "@/lib/findings/scheduler";
import { readJsonBody } from "@/lib/api/body";
import { ingestLimiter } from "@/lib/api/rate-limit";
import { apiError, badRequest, ok, rateLimited, refused, unavailable } from "@/lib/api/response";
import { isStorageUnavailable } from "@/lib/db/errors";
import { batchShapeProblem, ingest } from "@/lib/ingest";
import { MAX_BODY_BYTES } from "@/lib/contract/events";

export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  const db = getDb();
  try {
    const auth = await authenticateKey(db, request, "ingest");
    if ("refusal" in auth) return refused(auth.refusal);
    const waitS = ingestLimiter()?.take(auth.principal.prefix) ?? 0;
    if (waitS > 0) return rateLimited(waitS);
    const body = await readJsonBody(request, MAX_BODY_BYTES);
    if ("response" in body) return body.response;
    const problem = batchShapeProblem(body.value);
    if (problem) return badRequest("invalid_body", problem);
    const events = (body.value as { events: unknown[] }).events;
    const result = await ingest(db, { site: auth.principal.site, keyPrefix: auth.principal.prefix }, events);
    if (result.accepted > 0) backgroundWork()?.poke(); // analysis follows, debounced, off the request
    return ok(result);
  } catch (error) {
    if (isStorageUnavailable(error)) return unavailable(2);
    console.error("ingest failed", error);
    return apiError(500, "internal", "The batch could not be stored; nothing was accepted. Retry later.");
  }
}
