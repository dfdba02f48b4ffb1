import { anonymousMutationRoute } from "@/lib/api/mutation-route";
import { setupBody } from "@/lib/contract/auth";
import { createSession, sessionCookie } from "@/lib/auth/user-sessions";
import { createFirstAdmin, meView } from "@/lib/auth/users";
import { forbidden, ok, withSessionCookie } from "@/lib/api/response";

export const dynamic = "force-dynamic";

// First run only: creates the admin and signs them in. Closed once any account exists.
export const POST = (request: Request) =>
  anonymousMutationRoute(request, setupBody, async (db, body) => {
    const admin = await createFirstAdmin(db, body);
    if (!admin) return forbidden("Setup is already done: sign in instead.");
    const session = await createSession(db, admin.id, { userAgent: request.headers.get("user-agent") });
    return withSessionCookie(ok(meView(admin), { status: 201 }), sessionCookie(request, session.token, session.expiresAt));
  });
