import { mutationRoute } from "@/lib/api/mutation-route";
import { canManageOwnSessions } from "@/lib/auth/permissions";
import { clearedSessionCookie, endAllSessions } from "@/lib/auth/user-sessions";
import { ok, withSessionCookie } from "@/lib/api/response";

export const dynamic = "force-dynamic";

// Ends every session of the signed-in user, this one included.
export const POST = (request: Request) =>
  mutationRoute(request, { allowed: canManageOwnSessions, action: "sign out everywhere" }, async ({ db, principal }) => {
    const ended = principal.kind === "user" ? await endAllSessions(db, principal.userId) : 0;
    return withSessionCookie(ok({ signedOut: true, sessions: ended }), clearedSessionCookie(request));
  });
