import { authenticateRequest } from "@/lib/auth/principal";
import { getDb } from "@/lib/db/client";
import { ok, unauthenticated, withSessionCookie } from "@/lib/api/response";

export const dynamic = "force-dynamic";

// The signed-in user; API keys are not users, so they get 401 here too.
export async function GET(request: Request): Promise<Response> {
  const auth = await authenticateRequest(getDb(), request);
  if (auth?.principal.kind !== "user") return unauthenticated("Not signed in.");
  const { email, name, role } = auth.principal;
  return withSessionCookie(ok({ email, name, role }), auth.setCookie);
}
