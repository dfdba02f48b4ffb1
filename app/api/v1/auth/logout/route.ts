import { crossSiteRejection } from "@/lib/auth/principal";
import { clearedSessionCookie, endSession, sessionTokenFromRequest, withSessionCookie } from "@/lib/auth/user-sessions";
import { getDb } from "@/lib/db/client";
import { ok } from "@/lib/http/response";

export const dynamic = "force-dynamic";

// Signs this browser out. Answers 200 even when the session had already ended, so the
// button always leaves the browser signed out.
export async function POST(request: Request): Promise<Response> {
  const token = sessionTokenFromRequest(request);
  if (token) {
    const refused = crossSiteRejection(request);
    if (refused) return refused;
    await endSession(getDb(), token);
  }
  return withSessionCookie(ok({ signedOut: true }), clearedSessionCookie(request));
}
