/**
 * Which sessions count as drops, and the scopes the analyses run over: per site, and per
 * egress public IP where one IP serves several sites (a carrier NAT, a corporate VPN
 * concentrator) so a middlebox shared by small sites is still seen as one.
 */
import type { EndReason, FindingScope, SessionRecord } from "./types";

/**
 * Endings that may be a middlebox cutting the connection. Not counted:
 * - client_closed: the device chose to close;
 * - server_closed: a clean FIN from the platform (deploys, long-poll caps, token expiry) is
 *   normal traffic; idle-closing load balancers surface at the client as errors or resets;
 * - superseded: the device reconnected without reporting the end, so its time is unknown;
 * - inferred: heartbeats stopped; there is no idle measurement (outages still count it).
 */
export const DROP_REASONS: ReadonlySet<EndReason> = new Set<EndReason>([
  "reset",
  "timeout",
  "error",
  "unknown",
]);

export function isDrop(s: SessionRecord): boolean {
  return s.end !== null && s.endReason !== null && DROP_REASONS.has(s.endReason);
}

export interface ScopeGroup<T> {
  scope: Exclude<FindingScope, "fleet">;
  key: string;
  /** the site when the scope is one site (or items of one site), else null */
  site: string | null;
  items: T[];
}

interface Scoped {
  device: string;
  site: string | null;
  publicIp?: string | null;
}

/**
 * Site groups first; items without a site go by public IP, else by device. Then one group
 * per public IP shared by two or more sites (site-less devices count as one more "site"),
 * so callers can look for what only the shared egress explains.
 */
export function scopeGroups<T extends Scoped>(items: readonly T[]): ScopeGroup<T>[] {
  const sitesByIp = new Map<string, Set<string | null>>();
  for (const item of items) {
    if (!item.publicIp) continue;
    let sites = sitesByIp.get(item.publicIp);
    if (!sites) sitesByIp.set(item.publicIp, (sites = new Set()));
    sites.add(item.site);
  }
  const sharedIps = new Set([...sitesByIp].filter(([, s]) => s.size >= 2).map(([ip]) => ip));

  const groups = new Map<string, ScopeGroup<T>>();
  const add = (scope: ScopeGroup<T>["scope"], key: string, site: string | null, item: T) => {
    const id = `${scope}\u0000${key}`;
    let group = groups.get(id);
    if (!group) groups.set(id, (group = { scope, key, site, items: [] }));
    group.items.push(item);
  };
  for (const item of items) {
    if (item.site !== null) add("site", item.site, item.site, item);
    else if (item.publicIp && !sharedIps.has(item.publicIp)) add("publicIp", item.publicIp, null, item);
    else if (!item.publicIp) add("device", item.device, null, item);
    if (item.publicIp && sharedIps.has(item.publicIp)) add("publicIp", item.publicIp, null, item);
  }
  // Site-level groups first: callers let egress groups report only what sites did not.
  return [...groups.values()].sort((a, b) => scopeRank(a.scope) - scopeRank(b.scope) || a.key.localeCompare(b.key));
}

function scopeRank(scope: ScopeGroup<unknown>["scope"]): number {
  return scope === "site" ? 0 : scope === "device" ? 1 : 2;
}

/** The scope a single-site kind (TLS, ports, outages) reports under. */
export function ownScope(item: Scoped): { scope: "site" | "publicIp" | "device"; key: string } {
  if (item.site !== null) return { scope: "site", key: item.site };
  if (item.publicIp) return { scope: "publicIp", key: item.publicIp };
  return { scope: "device", key: item.device };
}
