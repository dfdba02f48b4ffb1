import { mutationRoute } from "@/lib/api/mutation-route";
import { badRequest, ok, rateLimited } from "@/lib/api/response";
import { clientAddress } from "@/lib/auth/client-address";
import { canManageOwnSessions } from "@/lib/auth/permissions";
import { sessionTokenFromRequest } from "@/lib/auth/user-sessions";
import { changeOwnPassword } from "@/lib/auth/users";
import { changePasswordBody } from "@/lib/contract/auth";

export const dynamic = "force-dynamic";

// The signed-in user's own password; every other session of theirs ends, this one stays.
export const POST = (request: Request) =>
  mutationRoute(request, { allowed: canManageOwnSessions, action: "change a password", body: changePasswordBody }, async ({ db, body, principal }) => {
    if (principal.kind !== "user") return badRequest("invalid_body", "Only a signed-in user has a password.");
    const result = await changeOwnPassword(db, principal.userId, { ...body, ip: clientAddress(request), keepToken: sessionTokenFromRequest(request) });
    if (result.kind === "throttled") return rateLimited(result.retryAfterS);
    if (result.kind === "wrong_password") {
      return badRequest("invalid_body", "currentPassword: is not your current password", { issues: [{ path: "currentPassword", message: "is not your current password" }] });
    }
    return ok({ changed: true, signedOutSessions: result.signedOut });
  });
