// Runs before every page request (Next.js 16 "proxy", formerly middleware). One job: keep the
// sliding session cookie alive while someone uses the pages, as the API routes already do.
// Pages cannot set cookies, and the page gate (requireUser) moves the session's expiry in the
// database; this sends the cookie again with the same 14-day lifetime. Validity is still
// decided by the database on every request, so re-sending a dead token keeps nobody signed in.
import { NextResponse, type NextRequest } from "next/server";
import { renewedSessionCookie } from "@/lib/auth/user-sessions";

export function proxy(request: NextRequest): NextResponse {
  const response = NextResponse.next();
  const cookie = renewedSessionCookie(request);
  if (cookie) response.headers.append("set-cookie", cookie);
  return response;
}

export const config = {
  // Pages only: not the API (its routes renew the cookie themselves), Next's assets, shared
  // reports (no login) or the probe download.
  matcher: ["/((?!api/|_next/|r/|probe\\.mjs|icon\\.svg|favicon\\.ico).*)"],
};
