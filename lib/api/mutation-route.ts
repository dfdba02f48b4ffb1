// The steps every state-changing endpoint takes: authenticate (cookie or key), refuse a
// cross-site cookie request (CSRF), check one named permission, parse the JSON body, run
// one data-layer function, answer. Keys get 403 unless the permission admits them.
//
//   export async function POST(request: Request, ctx: { params: Promise<{ id: string }> }) {
//     const { id } = await ctx.params;
//     return mutationRoute(request, { allowed: canAcknowledgeFindings, action: "acknowledge findings", body: ackBody },
//       ({ db, body, principal }) => acknowledgeFinding(db, Number(id), body, principal));
//   }
//
// `run` returns either a Response (404, 409, 201, ...) or data to send as 200 JSON.
import type { z } from "zod";
import { authenticateRequest, crossSiteAnonymousRejection, csrfRejection } from "@/lib/auth/principal";
import { refusalReason, type Principal } from "@/lib/auth/permissions";
import { getDb, type Db } from "@/lib/db/client";
import { readJsonBody } from "./body";
import { apiError, badRequest, conflict, forbidden, ok, refused, unauthenticated, unavailable, withSessionCookie } from "./response";
import { isStorageUnavailable } from "@/lib/db/errors";

const DEFAULT_BODY_LIMIT = 64 * 1024;

type BodyOf<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface MutationRule<S extends z.ZodType | undefined> {
  /** The permission from lib/auth/permissions.ts, e.g. canAcknowledgeFindings. */
  allowed: (p: Principal) => boolean;
  /** What is being refused, for the 403 message ("acknowledge findings"). */
  action: string;
  /** The JSON body's schema; without one the body is not read. */
  body?: S;
  maxBodyBytes?: number;
}

export interface MutationContext<S extends z.ZodType | undefined> {
  db: Db;
  principal: Principal;
  body: BodyOf<S>;
}

export async function mutationRoute<S extends z.ZodType | undefined = undefined>(
  request: Request,
  rule: MutationRule<S>,
  run: (ctx: MutationContext<S>) => Promise<unknown>,
): Promise<Response> {
  const db = getDb();
  return answer(async () => {
    const auth = await authenticateRequest(db, request);
    if (!auth) return unauthenticated("Sign in, or send an API key: Authorization: Bearer lsk_...");
    const { principal } = auth;
    const refusal = csrfRejection(request, principal);
    if (refusal) return refused(refusal);
    if (!rule.allowed(principal)) return forbidden(refusalReason(principal, rule.action));
    const body = await parseBody(request, rule.body, rule.maxBodyBytes);
    if ("response" in body) return body.response;
    const result = await run({ db, principal, body: body.value as BodyOf<S> });
    return withSessionCookie(result instanceof Response ? result : ok(result), auth.setCookie);
  });
}

/**
 * For the few endpoints that act before anyone is signed in (login, first-run setup): no
 * principal, but a browser's Origin must still be ours.
 */
export async function anonymousMutationRoute<S extends z.ZodType>(
  request: Request,
  schema: S,
  run: (db: Db, body: z.output<S>) => Promise<unknown>,
): Promise<Response> {
  const db = getDb();
  return answer(async () => {
    const refusal = crossSiteAnonymousRejection(request);
    if (refusal) return refused(refusal);
    const body = await parseBody(request, schema);
    if ("response" in body) return body.response;
    const result = await run(db, body.value as z.output<S>);
    return result instanceof Response ? result : ok(result);
  });
}

async function parseBody(request: Request, schema: z.ZodType | undefined, limit = DEFAULT_BODY_LIMIT): Promise<{ value: unknown } | { response: Response }> {
  if (!schema) return { value: undefined };
  const raw = await readJsonBody(request, limit);
  if ("response" in raw) return raw;
  const parsed = schema.safeParse(raw.value);
  if (parsed.success) return { value: parsed.data };
  const issues = parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
  const first = issues[0];
  return { response: badRequest("invalid_body", `${first.path || "body"}: ${first.message}`, { issues }) };
}

/** Maps failures by class: a unique clash is 409, a write conflict 409, storage down 503. */
async function answer(handle: () => Promise<Response>): Promise<Response> {
  try {
    return await handle();
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === "P2002") return conflict("That already exists.");
    if (code === "P2034") return conflict("Another change happened at the same moment; retry.");
    if (isStorageUnavailable(error)) return unavailable(2, "Storage is unavailable; nothing was changed. Retry later.");
    console.error("mutation failed", error);
    return apiError(500, "internal", "The request failed unexpectedly.");
  }
}
