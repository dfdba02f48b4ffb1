import { authenticateKey } from "@/lib/auth/api-key-auth";
import { getDb } from "@/lib/db/client";
import { badRequest, ok, refused } from "@/lib/api/response";
import { holdSeconds, waitUnlessAborted } from "@/lib/probe-server/hold";

export const dynamic = "force-dynamic";

// Sends nothing at all — no headers, no bytes — until `after` seconds have passed
// (PROTOCOL.md): a route handler's response starts only when the returned promise resolves.
export async function GET(request: Request): Promise<Response> {
  const auth = await authenticateKey(getDb(), request, "ingest");
  if ("refusal" in auth) return refused(auth.refusal);
  const after = holdSeconds(new URL(request.url).searchParams.get("after"));
  if (after === null) return badRequest("invalid_query", "after: must be a number of seconds from 1 to 7200");
  const held = await waitUnlessAborted(after * 1000, request.signal);
  if (!held) return new Response(null, { status: 499 });
  return ok({ heldS: after });
}
