// Every access decision in Linkscope, as named pure functions over who is calling. Route
// helpers, pages and (later) share-link reports ask these; nothing else compares roles or
// scopes. test/unit/auth/permissions.test.ts holds the whole table.
//
//                        admin  operator  viewer  read key     ingest key  share link
//   canViewFleet          yes    yes       yes     fleet-wide   no          no
//   canViewSite(s)        yes    yes       yes     all / own s  no          own s
//   canIngest             no     no        no      no           yes         no
//   canAcknowledgeFindings yes   yes       no      no           no          no
//   canShareReports       yes    yes       no      no           no          no
//   canManageKeys         yes    no        no      no           no          no
//   canManageUsers        yes    no        no      no           no          no
//   canManageSettings     yes    no        no      no           no          no
//   canManageOwnSessions  yes    yes       yes     no           no          no
//   canMoveDevices        yes    yes       no      no           no (1)      no
//
// (1) A fleet-wide ingest key moves a device by sending its events with another site
//     (lib/ingest/store.ts); a site-scoped key can never touch another site's device.
//
// Ingest is the devices' protocol: only ingest keys send events, never a login.
import { ROLES, type Role } from "@/lib/contract/auth";
import type { KeyScope } from "./keys";

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export interface SiteRef {
  id: number;
  slug: string;
}

/** A signed-in person (dashboard cookie session). */
export interface UserPrincipal {
  kind: "user";
  userId: number;
  email: string;
  name: string | null;
  role: Role;
}

/** An API key (`Authorization: Bearer lsk_...`), fleet-wide or confined to one site. */
export interface ApiKeyPrincipal {
  kind: "key";
  keyId: number;
  prefix: string;
  scope: KeyScope;
  site: SiteRef | null;
}

/** A share link's visitor: one site's report, nothing else. */
export interface SharePrincipal {
  kind: "share";
  linkId: number;
  site: SiteRef;
}

export type Principal = UserPrincipal | ApiKeyPrincipal | SharePrincipal;

const isUser = (p: Principal): p is UserPrincipal => p.kind === "user";
const isReadKey = (p: Principal): p is ApiKeyPrincipal => p.kind === "key" && p.scope === "read";
const hasRole = (p: Principal, roles: readonly Role[]) => isUser(p) && roles.includes(p.role);

/** May see every site at once (lists without narrowing). */
export function canViewFleet(p: Principal): boolean {
  return isUser(p) || (isReadKey(p) && p.site === null);
}

/** May see this one site's data. */
export function canViewSite(p: Principal, siteSlug: string): boolean {
  if (isUser(p)) return true;
  if (isReadKey(p)) return p.site === null || p.site.slug === siteSlug;
  if (p.kind === "share") return p.site.slug === siteSlug;
  return false;
}

/**
 * The one site a principal is confined to (a site-scoped key, a share link), or null when
 * it is not confined to a site. Reads narrow to it; see canViewSite for whether it may read.
 */
export function confinedSite(p: Principal): string | null {
  return p.kind === "user" ? null : (p.site?.slug ?? null);
}

/** May send events (POST /api/v1/events) and hold probes. */
export function canIngest(p: Principal): boolean {
  return p.kind === "key" && p.scope === "ingest";
}

/** May acknowledge, resolve and reopen findings. */
export function canAcknowledgeFindings(p: Principal): boolean {
  return hasRole(p, ["admin", "operator"]);
}

/** May create, list and revoke share links to site reports. */
export function canShareReports(p: Principal): boolean {
  return hasRole(p, ["admin", "operator"]);
}

export function canManageKeys(p: Principal): boolean {
  return hasRole(p, ["admin"]);
}

export function canManageUsers(p: Principal): boolean {
  return hasRole(p, ["admin"]);
}

export function canManageSettings(p: Principal): boolean {
  return hasRole(p, ["admin"]);
}

/** May move a device to another site by hand (PATCH /api/v1/devices/{id}); see (1) above for keys. */
export function canMoveDevices(p: Principal): boolean {
  return hasRole(p, ["admin", "operator"]);
}

/** May sign out everywhere (end every session of one's own account): any signed-in user. */
export function canManageOwnSessions(p: Principal): boolean {
  return isUser(p);
}

/** Why a principal was refused, in a sentence for the 403 answer. */
export function refusalReason(p: Principal, action: string): string {
  switch (p.kind) {
    case "user":
      return `Your role (${p.role}) does not allow you to ${action}.`;
    case "key":
      return `This ${p.scope} key does not allow you to ${action}.`;
    case "share":
      return `A report link does not allow you to ${action}.`;
  }
}
