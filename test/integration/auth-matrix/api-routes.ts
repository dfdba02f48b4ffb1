// Every API route's access rule, declared once. The expectation for each caller is derived
// from lib/auth/permissions.ts (the same functions the handlers ask), never written per
// caller by hand; the matrix test fails if a route file or method has no line here.
import {
  canAcknowledgeFindings,
  canIngest,
  canManageKeys,
  canManageOwnSessions,
  canManageUsers,
  canMoveDevices,
  canShareReports,
  canViewFleet,
  canViewSite,
  confinedSite,
  type Principal,
} from "@/lib/auth/permissions";

export type Access =
  /** deliberately public: the same answer for every caller, credentials or not */
  | { kind: "public"; status: number; why: string }
  /** signed-in people only (keys are not people): 401 for everyone else */
  | { kind: "user"; status: number }
  /** the devices' protocol: ingest keys; other keys 403; no key (a login, a share link) 401 */
  | { kind: "ingest"; status: number }
  /** one named permission; 403 for authenticated callers without it */
  | { kind: "permission"; allowed: (p: Principal) => boolean; status: number[] }
  /** the read API: whoever may see the fleet or a site; `site` is the one this sample addresses */
  | { kind: "read"; status: number; site?: string; otherSite?: 403 | 404 };

export interface Sample {
  path: string;
  body?: () => unknown;
  /** users get a new session for it (the route ends the session it is called with) */
  freshSession?: boolean;
  /** the site this sample narrows to (?site=), for a read rule */
  site?: string;
}

export interface RouteRule {
  access: Access;
  samples: Sample[];
}

export interface MatrixContext {
  findingId: number;
  spareFindingId: number;
  spareKeyPrefix: string;
  spareLinkId: number;
  spareUserId: number;
  removableUserId: number;
}

let unique = 0;
const next = () => `${process.pid}-${unique++}`;
const SITE = "hamburg";
const read = (status = 200): Access => ({ kind: "read", status });
const siteRead = (otherSite: 403 | 404 = 403): Access => ({ kind: "read", status: 200, site: SITE, otherSite });
const may = (allowed: (p: Principal) => boolean, ...status: number[]): Access => ({ kind: "permission", allowed, status });
const one = (path: string, extra: Omit<Sample, "path"> = {}): Sample[] => [{ path, ...extra }];
/** a list: unnarrowed (a site key sees its own site only) and narrowed to this site */
const list = (path: string): Sample[] => [{ path }, { path: `${path}${path.includes("?") ? "&" : "?"}site=${SITE}`, site: SITE }];

export function apiRules(ctx: MatrixContext): Record<string, RouteRule> {
  return {
    "GET /api/v1/health": { access: { kind: "public", status: 200, why: "liveness for load balancers" }, samples: one("/api/v1/health") },
    "GET /api/v1/openapi.json": { access: { kind: "public", status: 200, why: "the API's own documentation" }, samples: one("/api/v1/openapi.json") },
    "POST /api/v1/auth/login": {
      access: { kind: "public", status: 401, why: "signing in needs no prior credential; wrong ones are 401 whatever else is sent" },
      samples: one("/api/v1/auth/login", { body: () => ({ email: `nobody-${next()}@example.com`, password: "not the password" }) }),
    },
    "POST /api/v1/auth/setup": {
      access: { kind: "public", status: 403, why: "first run only: closed (403) once an account exists" },
      samples: one("/api/v1/auth/setup", { body: () => ({ email: `late-${next()}@example.com`, name: "Late", password: "correct horse battery staple", passwordConfirm: "correct horse battery staple" }) }),
    },
    "POST /api/v1/auth/logout": {
      access: { kind: "public", status: 200, why: "ends only the session the request carries, if any; always leaves the browser signed out" },
      samples: one("/api/v1/auth/logout", { freshSession: true }),
    },
    "POST /api/v1/auth/logout-all": { access: may(canManageOwnSessions, 200), samples: one("/api/v1/auth/logout-all", { freshSession: true }) },
    "GET /api/v1/auth/me": { access: { kind: "user", status: 200 }, samples: one("/api/v1/auth/me") },
    // A wrong current password: 400 for every signed-in user (the change itself is tested in tenant-isolation.test.ts).
    "POST /api/v1/auth/password": {
      access: may(canManageOwnSessions, 400),
      samples: one("/api/v1/auth/password", { body: () => ({ currentPassword: "not the password", newPassword: "a brand new password" }) }),
    },

    "POST /api/v1/events": {
      access: { kind: "ingest", status: 200 },
      samples: one("/api/v1/events", { body: () => ({ events: [{ id: `m-${next()}`, device: "gw-hh-01", site: SITE, type: "heartbeat", at: new Date().toISOString() }] }) }),
    },
    "GET /api/v1/probe/hold": { access: { kind: "ingest", status: 200 }, samples: one("/api/v1/probe/hold?after=1") },

    "GET /api/v1/sites": { access: read(), samples: list("/api/v1/sites") },
    "GET /api/v1/devices": { access: read(), samples: list("/api/v1/devices") },
    "GET /api/v1/sessions": { access: read(), samples: list("/api/v1/sessions?limit=20") },
    "GET /api/v1/findings": { access: read(), samples: list("/api/v1/findings?status=all") },
    "GET /api/v1/fleet/overview": { access: read(), samples: list("/api/v1/fleet/overview") },
    "GET /api/v1/search": { access: read(), samples: list("/api/v1/search?q=gw") },
    "GET /api/v1/sites/{slug}/summary": { access: siteRead(), samples: one(`/api/v1/sites/${SITE}/summary`) },
    "GET /api/v1/sites/{slug}/durations": { access: siteRead(), samples: one(`/api/v1/sites/${SITE}/durations`) },
    "GET /api/v1/devices/{id}": { access: siteRead(404), samples: one("/api/v1/devices/gw-hh-01") },
    // Moving a device to the site it is at already: allowed callers get 200 and nothing changes.
    "PATCH /api/v1/devices/{id}": { access: may(canMoveDevices, 200), samples: one("/api/v1/devices/gw-hh-01", { body: () => ({ site: SITE }) }) },
    "GET /api/v1/devices/{id}/timeline": { access: siteRead(404), samples: one("/api/v1/devices/gw-hh-01/timeline") },
    "GET /api/v1/devices/{id}/events": { access: siteRead(404), samples: one("/api/v1/devices/gw-hh-01/events") },
    "GET /api/v1/findings/{id}/evidence": { access: siteRead(404), samples: one(`/api/v1/findings/${ctx.findingId}/evidence`) },

    "POST /api/v1/findings/{id}/acknowledge": { access: may(canAcknowledgeFindings, 200, 409), samples: one(`/api/v1/findings/${ctx.spareFindingId}/acknowledge`) },
    "POST /api/v1/findings/{id}/resolve": { access: may(canAcknowledgeFindings, 200, 409), samples: one(`/api/v1/findings/${ctx.spareFindingId}/resolve`) },

    "GET /api/v1/keys": { access: may(canManageKeys, 200), samples: one("/api/v1/keys") },
    "POST /api/v1/keys": { access: may(canManageKeys, 201), samples: one("/api/v1/keys", { body: () => ({ scope: "read", site: SITE, name: `matrix ${next()}` }) }) },
    "POST /api/v1/keys/{prefix}/revoke": { access: may(canManageKeys, 200, 404), samples: one(`/api/v1/keys/${ctx.spareKeyPrefix}/revoke`) },

    "GET /api/v1/share-links": { access: may(canShareReports, 200), samples: one("/api/v1/share-links") },
    "POST /api/v1/sites/{slug}/share-links": { access: may(canShareReports, 201), samples: one(`/api/v1/sites/${SITE}/share-links`, { body: () => ({ expiresInDays: 1 }) }) },
    "POST /api/v1/share-links/{id}/revoke": { access: may(canShareReports, 200), samples: one(`/api/v1/share-links/${ctx.spareLinkId}/revoke`) },

    "GET /api/v1/users": { access: may(canManageUsers, 200), samples: one("/api/v1/users") },
    "POST /api/v1/users": {
      access: may(canManageUsers, 201),
      samples: one("/api/v1/users", { body: () => ({ email: `new-${next()}@example.com`, role: "viewer", password: "correct horse battery staple" }) }),
    },
    "PATCH /api/v1/users/{id}": { access: may(canManageUsers, 200), samples: one(`/api/v1/users/${ctx.spareUserId}`, { body: () => ({ role: "viewer" }) }) },
    "DELETE /api/v1/users/{id}": { access: may(canManageUsers, 200, 404), samples: one(`/api/v1/users/${ctx.removableUserId}`) },
  };
}

/** The statuses this caller must get from a route with this access rule. */
export function expectedStatus(access: Access, p: Principal | null, sample: Pick<Sample, "site"> = {}): number[] {
  if (access.kind === "public") return [access.status];
  // No credentials, or a share link's token: no API route accepts either.
  if (p === null || p.kind === "share") return [401];
  switch (access.kind) {
    case "user":
      return p.kind === "user" ? [access.status] : [401];
    case "ingest":
      return p.kind !== "key" ? [401] : canIngest(p) ? [access.status] : [403];
    case "permission":
      return access.allowed(p) ? access.status : [403];
    case "read": {
      const own = confinedSite(p);
      if (!(canViewFleet(p) || (own !== null && canViewSite(p, own)))) return [403];
      const site = sample.site ?? access.site;
      if (site && !canViewSite(p, site)) return [access.otherSite ?? 403];
      return [access.status];
    }
  }
}
