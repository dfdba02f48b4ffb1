// The dashboard's one fetch wrapper: same-origin JSON with the login cookie, and every
// non-2xx answer turned into an ApiError carrying the protocol's {error: {code, message,
// details}}. Data hooks use apiGet/apiPost (errors thrown, for TanStack Query); forms use
// trySend, which answers with the failure as a value to show next to the fields.
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Field path → message, from a 400's details.issues. */
    readonly fields: Record<string, string> = {},
    readonly retryAfterS?: number,
  ) {
    super(message);
  }
}

type Params = Record<string, string | number | undefined | null>;

export function apiUrl(path: string, params: Params = {}): string {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") query.set(k, String(v));
  const qs = query.toString();
  return qs ? `${path}?${qs}` : path;
}

interface ErrorBody {
  error?: { code?: string; message?: string; details?: { issues?: { path: string; message: string }[]; retryAfterS?: number } };
}

/** `signedIn`: the page belongs to a signed-in user, so a 401 means the session ended. */
async function answer<T>(res: Response, signedIn: boolean): Promise<T> {
  if (res.ok) return (await res.json().catch(() => null)) as T;
  const body = (await res.json().catch(() => null)) as ErrorBody | null;
  const fields: Record<string, string> = {};
  for (const issue of body?.error?.details?.issues ?? []) fields[issue.path] ??= issue.message;
  const message =
    res.status === 401 && signedIn ? "Your session has ended. Reload the page to sign in again." : (body?.error?.message ?? `The server answered ${res.status}.`);
  throw new ApiError(res.status, body?.error?.code ?? "http_error", message, fields, body?.error?.details?.retryAfterS);
}

async function send<T>(path: string, method: "POST" | "PATCH" | "DELETE", body: unknown, signedIn: boolean): Promise<T> {
  return answer<T>(
    await fetch(path, {
      method,
      credentials: "same-origin",
      headers: body === undefined ? { accept: "application/json" } : { accept: "application/json", "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    signedIn,
  );
}

export async function apiGet<T>(path: string, params: Params = {}, signal?: AbortSignal): Promise<T> {
  return answer<T>(await fetch(apiUrl(path, params), { headers: { accept: "application/json" }, signal, credentials: "same-origin" }), true);
}

export function apiPost<T>(path: string, body?: unknown): Promise<T> {
  return send<T>(path, "POST", body, true);
}

export type ApiResult<T> = { ok: true; data: T } | { ok: false; failure: ApiError };

/** A form's call (sign-in and settings forms): the data, or the failure (network included) as a value, with the server's own message. */
export async function trySend<T>(path: string, method: "POST" | "PATCH" | "DELETE", body?: unknown): Promise<ApiResult<T>> {
  try {
    return { ok: true, data: await send<T>(path, method, body, false) };
  } catch (error) {
    if (error instanceof ApiError) return { ok: false, failure: error };
    return { ok: false, failure: new ApiError(0, "network", "Linkscope did not answer. Check your connection and try again.") };
  }
}

/** Retrying cannot fix a refusal or a missing thing; it can fix a hiccup. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}
