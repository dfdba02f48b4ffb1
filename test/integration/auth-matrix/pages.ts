// What each page must answer each caller. Pages judge only the session cookie: a key or a
// share token sent as a bearer header is no login, so every dashboard page redirects such a
// caller to /login. The few pages with other rules are listed; any other page found under
// app/ is a dashboard page (signed-in users: 200; everyone else: to /login).
import { canManageKeys, canManageUsers, canShareReports, type Principal } from "@/lib/auth/permissions";
import type { Caller } from "./principals";

export type PageAnswer =
  | { status: 200; contains: string[]; lacks?: string[] }
  | { status: 307; location: RegExp }
  | { status: 404; contains: string[] };

export const PAGE_PARAMS: Record<string, (caller: Caller) => string> = {
  slug: () => "hamburg",
  id: () => "gw-hh-01",
  // A caller without a link of its own tries a well-formed token that was never issued.
  token: (c) => c.share?.token ?? `lsr_${"A".repeat(43)}`,
};

/** To /login, with ?next= naming the page (and any query it keeps) unless it is the home page. */
const toLogin = (path: string): PageAnswer => ({
  status: 307,
  location: path === "/" ? /^\/login$/ : new RegExp(`^/login\\?next=${encodeURIComponent(path).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(%3F[^&]*)?$`),
});
const isUser = (p: Principal | null): p is Extract<Principal, { kind: "user" }> => p?.kind === "user";
const gated = (path: string, may: (p: Principal) => boolean, yes: string, no: string) => (c: Caller): PageAnswer =>
  !isUser(c.principal) ? toLogin(path) : may(c.principal) ? { status: 200, contains: [yes] } : { status: 200, contains: [no], lacks: [yes] };

export const EXPIRED_TEXT = "This link has expired or was revoked";

/** The shared report: its own site's content for a valid link, never the other site's. */
export function reportAnswer(c: Caller, sites: { this: { name: string; devicePrefix: string }; other: { name: string; devicePrefix: string } }): PageAnswer {
  const site = c.share?.site;
  if (!site) return { status: 404, contains: [EXPIRED_TEXT] };
  const other = site.name === sites.this.name ? sites.other : sites.this;
  return { status: 200, contains: [site.name, `${site.devicePrefix}01`, "Generated at"], lacks: [other.name, other.devicePrefix] };
}

export const SPECIAL_PAGES: Record<string, (c: Caller, path: string) => PageAnswer> = {
  "/login": (c) => (isUser(c.principal) ? { status: 307, location: /^\/$/ } : { status: 200, contains: ["Sign in to Linkscope"] }),
  // Setup is open only until the first account exists (checked before any exists, in beforeAll).
  "/setup": () => ({ status: 307, location: /^\/login$/ }),
  "/settings/keys": (c, path) => gated(path, canManageKeys, "Create a key", "Only admins manage API keys")(c),
  "/settings/users": (c, path) => gated(path, canManageUsers, "Add an account", "Only admins manage accounts")(c),
  "/settings/share-links": (c, path) => gated(path, canShareReports, "Share a site report", "Operators and admins share site reports")(c),
};

export function dashboardPage(c: Caller, path: string): PageAnswer {
  return isUser(c.principal) ? { status: 200, contains: ["Linkscope"] } : toLogin(path);
}
