import { anonymousMutationRoute } from "@/lib/api/mutation-route";
import { loginBody } from "@/lib/contract/auth";
import { signIn } from "@/lib/auth/sign-in";
import { clientAddress } from "@/lib/auth/client-address";
import { sessionCookie } from "@/lib/auth/user-sessions";
import { meView } from "@/lib/auth/users";
import { ok, rateLimited, unauthenticated, withSessionCookie } from "@/lib/api/response";

export const dynamic = "force-dynamic";

export const POST = (request: Request) =>
  anonymousMutationRoute(request, loginBody, async (db, body) => {
    const attempt = { ...body, ip: clientAddress(request), userAgent: request.headers.get("user-agent") };
    const result = await signIn(db, attempt);
    if (result.kind === "throttled") return rateLimited(result.retryAfterS);
    if (result.kind === "rejected") return unauthenticated("Wrong email or password.");
    return withSessionCookie(ok(meView(result.user)), sessionCookie(request, result.token, result.expiresAt));
  });
