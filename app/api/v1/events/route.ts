import { authenticateKey } from "@/lib/auth/api-key-auth";
import { getDb } from "@/lib/db/client";
import { readJsonBody } from "@/lib/http/body";
import { apiError, badRequest, ok, unavailable } from "@/lib/http/response";
import { batchShapeProblem, ingest, isStorageUnavailable } from "@/lib/ingest";
import { MAX_BODY_BYTES } from "@/lib/ingest/schema";

export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  const db = getDb();
  try {
    const auth = await authenticateKey(db, request, "ingest");
    if ("response" in auth) return auth.response;
    const body = await readJsonBody(request, MAX_BODY_BYTES);
    if ("response" in body) return body.response;
    const problem = batchShapeProblem(body.value);
    if (problem) return badRequest("invalid_body", problem);
    const events = (body.value as { events: unknown[] }).events;
    return ok(await ingest(db, { site: auth.principal.site }, events));
  } catch (error) {
    if (isStorageUnavailable(error)) return unavailable(2);
    console.error("ingest failed", error);
    return apiError(500, "internal", "The batch could not be stored; nothing was accepted. Retry later.");
  }
}
