// The auth forms' one way to call the API: JSON in, JSON out, and a readable sentence
// when it fails (the API's {error: {message, details}} shape, or the network's).
export interface ApiFailure {
  status: number;
  message: string;
  /** Field path → message, from a 400's details.issues. */
  fields: Record<string, string>;
  retryAfterS?: number;
}

export type ApiResult<T> = { ok: true; data: T } | { ok: false; failure: ApiFailure };

export async function sendJson<T>(url: string, method: "POST" | "PATCH", body?: unknown): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch {
    return { ok: false, failure: { status: 0, message: "Linkscope did not answer. Check your connection and try again.", fields: {} } };
  }
  const json = (await response.json().catch(() => null)) as
    | { error?: { message?: string; details?: { issues?: { path: string; message: string }[]; retryAfterS?: number } } }
    | null;
  if (response.ok) return { ok: true, data: json as T };
  const fields: Record<string, string> = {};
  for (const issue of json?.error?.details?.issues ?? []) fields[issue.path] ??= issue.message;
  return {
    ok: false,
    failure: {
      status: response.status,
      message: json?.error?.message ?? `The request failed (HTTP ${response.status}).`,
      fields,
      retryAfterS: json?.error?.details?.retryAfterS,
    },
  };
}
