import { crossSiteRejection } from "@/lib/auth/principal";
import { clearedSessionCookie, endSession, sessionTokenFromRequest } from "@/lib/auth/user-sessions";
import { getDb } from "@/lib/db/client";
import { ok, refused, withSessionCookie } from "@/lib/api/response";

export const dynamic = "force-dynamic";

// Signs this browser out. Answers 200 even when the session had already ended, so the
// button always leaves the browser signed out.
export async function POST(request: Request): Promise<Response> {
  const token = sessionTokenFromRequest(request);
  if (token) {
    const refusal = crossSiteRejection(request);
    if (refusal) return refused(refusal);
    await endSession(getDb(), token);
  }
  return withSessionCookie(ok({ signedOut: true }), clearedSessionCookie(request));
}
