/**
 * Which sessions count as drops, and the scopes the analyses run over: per site, and per
 * egress public IP where one IP serves several sites (a carrier NAT, a corporate VPN
 * concentrator) so a middlebox shared by small sites is still seen as one.
 */
import { parseCellKey } from "./digest";
import { upperBound } from "./statistics";
import { isDropReason } from "@/lib/contract/vocabulary";
import type { FindingScope, SessionRecord } from "./types";

/** Sessions an earlier finding already explains (a Set works; so does a union of Sets). */
export interface Explained {
  has(session: SessionRecord): boolean;
}

export function isDrop(s: SessionRecord): boolean {
  return s.end !== null && isDropReason(s.endReason);
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

  // One map per scope kind, so the hot loop needs no composite string keys.
  const groups: Record<ScopeGroup<T>["scope"], Map<string, ScopeGroup<T>>> = { site: new Map(), publicIp: new Map(), device: new Map() };
  const add = (scope: ScopeGroup<T>["scope"], key: string, site: string | null, item: T) => {
    let group = groups[scope].get(key);
    if (!group) groups[scope].set(key, (group = { scope, key, site, items: [] }));
    group.items.push(item);
  };
  for (const item of items) {
    if (item.site !== null) add("site", item.site, item.site, item);
    else if (item.publicIp && !sharedIps.has(item.publicIp)) add("publicIp", item.publicIp, null, item);
    else if (!item.publicIp) add("device", item.device, null, item);
    if (item.publicIp && sharedIps.has(item.publicIp)) add("publicIp", item.publicIp, null, item);
  }
  // Site-level groups first: callers let egress groups report only what sites did not.
  const byKey = (a: ScopeGroup<T>, b: ScopeGroup<T>) => a.key.localeCompare(b.key);
  return [
    ...[...groups.site.values()].sort(byKey),
    ...[...groups.device.values()].sort(byKey),
    ...[...groups.publicIp.values()].sort(byKey),
  ];
}

/** A scope of digest cells (lib/analysis/digest.ts): its items are cell keys. */
export type CellScope = ScopeGroup<string>;

/** The scopes of a fleet's digest cells, in scopeGroups' order (sites first). */
export function cellScopes(cells: Iterable<string>): CellScope[] {
  const items = [...cells].map((cell) => ({ cell, ...parseCellKey(cell) }));
  return scopeGroups(items).map((g) => ({ ...g, items: g.items.map((i) => i.cell) }));
}

/** Cells grouped by their own scope (ownScope: site, else egress address, else device), sorted by scope id. */
export function ownCellScopes(cells: Iterable<string>): CellScope[] {
  const groups = new Map<string, CellScope>();
  for (const cell of cells) {
    const parsed = parseCellKey(cell);
    const { scope, key } = ownScope(parsed);
    const id = `${scope}\u0000${key}`;
    let group = groups.get(id);
    if (!group) groups.set(id, (group = { scope, key, site: parsed.site, items: [] }));
    group.items.push(cell);
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => g);
}

/** The scope a single-site kind (TLS, ports, outages) reports under. */
export function ownScope(item: Scoped): { scope: "site" | "publicIp" | "device"; key: string } {
  if (item.site !== null) return { scope: "site", key: item.site };
  if (item.publicIp) return { scope: "publicIp", key: item.publicIp };
  return { scope: "device", key: item.device };
}

/**
 * Sessions grouped by ownScope and by device, built once per input array: analyzeFleet
 * hands the same array to every detector, and a fleet's sessions run into the millions.
 * Inputs are treated as immutable; an array that grew since is grouped again.
 */
function perArray<V>(build: (sessions: readonly SessionRecord[]) => V): (sessions: readonly SessionRecord[]) => V {
  const cache = new WeakMap<readonly SessionRecord[], { length: number; value: V }>();
  return (sessions) => {
    const hit = cache.get(sessions);
    if (hit && hit.length === sessions.length) return hit.value;
    const value = build(sessions);
    cache.set(sessions, { length: sessions.length, value });
    return value;
  };
}

export function scopeId(item: Scoped): string {
  const { scope, key } = ownScope(item);
  return `${scope}\u0000${key}`;
}

export function parseScopeId(id: string): { scope: "site" | "publicIp" | "device"; key: string } {
  const cut = id.indexOf("\u0000");
  return { scope: id.slice(0, cut) as "site" | "publicIp" | "device", key: id.slice(cut + 1) };
}

/** Per own scope (scopeId), the latest session start per endpoint (null: sessions that named none). */
export type LastStarts = ReadonlyMap<string, ReadonlyMap<string | null, number>>;

export function lastStartsOf(sessions: Iterable<SessionRecord>): Map<string, Map<string | null, number>> {
  const out = new Map<string, Map<string | null, number>>();
  for (const s of sessions) {
    const id = scopeId(s);
    let byEndpoint = out.get(id);
    if (!byEndpoint) out.set(id, (byEndpoint = new Map()));
    if (s.start > (byEndpoint.get(s.endpoint) ?? -Infinity)) byEndpoint.set(s.endpoint, s.start);
  }
  return out;
}

/** The last successful connection from a scope to an endpoint (a session without an endpoint counts for any). */
export function lastSuccessBefore(lastStarts: LastStarts, scope: string, endpoint: string): number {
  const byEndpoint = lastStarts.get(scope);
  return Math.max(byEndpoint?.get(endpoint) ?? -Infinity, byEndpoint?.get(null) ?? -Infinity);
}

export const sessionsByScope: (sessions: readonly SessionRecord[]) => Map<string, SessionRecord[]> = perArray((sessions) =>
  groupBy(sessions, scopeId),
);

/** Each device's sessions, sorted by start. */
export const sessionsByDevice: (sessions: readonly SessionRecord[]) => Map<string, SessionRecord[]> = perArray((sessions) => {
  const groups = groupBy(sessions, (s) => s.device);
  for (const list of groups.values()) list.sort((a, b) => a.start - b.start);
  return groups;
});

/** Start of the device's first session starting after `t` (device list sorted by start). */
export function nextStartAfter(deviceSessions: readonly SessionRecord[], t: number): number {
  let lo = 0;
  let hi = deviceSessions.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (deviceSessions[mid].start <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo < deviceSessions.length ? deviceSessions[lo].start : Infinity;
}

export interface ConnectionIndex {
  /** session starts, ascending */
  starts: Float64Array;
  /** session ends (open sessions: +Infinity), ascending */
  ends: Float64Array;
}

/** Per scope, sorted starts and ends: how many sessions were open at any time, by binary search. */
export const connectionIndex: (sessions: readonly SessionRecord[]) => Map<string, ConnectionIndex> = perArray((sessions) => {
  const index = new Map<string, ConnectionIndex>();
  for (const [id, list] of sessionsByScope(sessions)) {
    const starts = new Float64Array(list.length);
    const ends = new Float64Array(list.length);
    list.forEach((s, i) => {
      starts[i] = s.start;
      ends[i] = s.end ?? Infinity;
    });
    index.set(id, { starts: starts.sort(), ends: ends.sort() });
  }
  return index;
});

/** Sessions of the scope open at time t. */
export function connectedAt(index: ConnectionIndex, t: number): number {
  return upperBound(index.starts, t) - upperBound(index.ends, t);
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = groups.get(key);
    if (list) list.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
