// One response shape for every API answer: data as JSON, errors as
// {"error": {"code", "message", "details"}} (PROTOCOL.md). Only lib/api and app/ make
// Responses; the domain answers with outcomes and refusals.
import type { Refusal } from "@/lib/auth/refusal";
import { SESSION_COOKIE } from "@/lib/auth/user-sessions";
import type { Outcome } from "@/lib/contract/outcome";

export type ErrorCode =
  | "invalid_json"
  | "invalid_body"
  | "invalid_query"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "too_large"
  | "unsupported_media_type"
  | "rate_limited"
  | "unavailable"
  | "internal";

export function ok(data: unknown, init: ResponseInit = {}): Response {
  return Response.json(data, { status: 200, ...init });
}

export function apiError(
  status: number,
  code: ErrorCode,
  message: string,
  details?: unknown,
  headers?: Record<string, string>,
): Response {
  const body = { error: { code, message, ...(details === undefined ? {} : { details }) } };
  return Response.json(body, { status, headers });
}

export const badRequest = (code: "invalid_json" | "invalid_body" | "invalid_query", message: string, details?: unknown) =>
  apiError(400, code, message, details);
export const unauthenticated = (message = "A valid API key or login is required.") =>
  apiError(401, "unauthenticated", message, undefined, { "WWW-Authenticate": 'Bearer realm="linkscope"' });
export const forbidden = (message: string) => apiError(403, "forbidden", message);
export const notFound = (message: string) => apiError(404, "not_found", message);
export const conflict = (message: string) => apiError(409, "conflict", message);
export const tooLarge = (limitBytes: number) =>
  apiError(413, "too_large", `The request body is larger than ${limitBytes} bytes.`, { limitBytes });
export const unsupportedMediaType = () =>
  apiError(415, "unsupported_media_type", "Send the body as JSON with Content-Type: application/json.");
export const rateLimited = (retryAfterS: number) =>
  apiError(429, "rate_limited", "Too many requests; retry later.", { retryAfterS }, { "Retry-After": String(retryAfterS) });
export const unavailable = (retryAfterS: number, message = "Storage is unavailable; nothing was stored. Retry later.") =>
  apiError(503, "unavailable", message, { retryAfterS }, { "Retry-After": String(retryAfterS) });

/** Adds a Set-Cookie header to a response unless it already sets the session cookie. */
export function withSessionCookie(response: Response, setCookie: string | null): Response {
  if (!setCookie) return response;
  if (response.headers.getSetCookie().some((c) => c.startsWith(`${SESSION_COOKIE}=`))) return response;
  response.headers.append("set-cookie", setCookie);
  return response;
}

/** The 401 or 403 for an access refusal (lib/auth/refusal.ts). */
export function refused(r: Refusal): Response {
  return apiError(r.status, r.code, r.message);
}

/** A file download: a streamed CSV, never cached, never indexed. */
export function csvDownload(fileName: string, body: ReadableStream<Uint8Array>): Response {
  const safe = fileName.replace(/[^A-Za-z0-9._-]/g, "_");
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${safe}"`,
      "cache-control": "private, no-store",
      "x-robots-tag": "noindex",
      "referrer-policy": "no-referrer",
    },
  });
}

/** A domain outcome (lib/contract/outcome.ts) as its answer: 200, 404, 409 or 400. */
export function outcomeAnswer<T>(outcome: Outcome<T>): Response {
  if ("ok" in outcome) return ok(outcome.ok);
  if ("notFound" in outcome) return notFound(outcome.notFound);
  if ("conflict" in outcome) return conflict(outcome.conflict);
  return badRequest("invalid_body", outcome.invalid);
}
