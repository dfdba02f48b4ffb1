// Why access is refused, as an outcome: lib/api turns it into the 401 or 403 answer.
export interface Refusal {
  status: 401 | 403;
  code: "unauthenticated" | "forbidden";
  message: string;
}

/** 401: who are you? */
export const notAuthenticated = (message: string): Refusal => ({ status: 401, code: "unauthenticated", message });

/** 403: known, but not allowed. */
export const notAllowed = (message: string): Refusal => ({ status: 403, code: "forbidden", message });
