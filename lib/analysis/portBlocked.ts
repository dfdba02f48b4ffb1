/**
 * port_blocked: TCP connects to the platform's HTTPS port keep failing and no connection
 * from the same place has succeeded since. Refused (RST to the SYN: ECONNREFUSED) and
 * dropped (no answer: ETIMEDOUT after ~130 s, or ICMP unreachable) need different words to IT.
 * Failures before the last successful session are history, not a block.
 */
import { count, deviceList, isoTime, plural, readableTime, scopeLabel } from "./findingText";
import { lastSuccessBefore, parseScopeId, scopeId, type LastStarts } from "./scopes";
import { proxyFailureMode } from "./proxyFailure";
import { median } from "./statistics";
import type { PortBlockedEvidence } from "@/lib/contract/evidence";
import type { ConnectFailedEvent, DraftOf, EventRecord } from "./types";

export interface PortBlockedOptions {
  ports: number[];
  /** fewest failed connects after the last success */
  minFailures: number;
  /** failures must span at least this long, so one retry burst is not a block */
  minSpanMs: number;
}

export const DEFAULT_PORT_BLOCKED_OPTIONS: PortBlockedOptions = {
  ports: [443],
  minFailures: 3,
  minSpanMs: 10 * 60_000,
};

const REFUSED = new Set(["ECONNREFUSED"]);
const DROPPED = new Set(["ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH"]);

/** Port of `host:port` (IPv6 hosts in brackets), or null. */
export function endpointPort(endpoint: string): number | null {
  const m = /:(\d+)$/.exec(endpoint);
  return m ? Number(m[1]) : null;
}

export function detectPortBlocked(
  lastStarts: LastStarts,
  events: readonly EventRecord[],
  options: Partial<PortBlockedOptions> = {},
): DraftOf<"port_blocked">[] {
  const o = { ...DEFAULT_PORT_BLOCKED_OPTIONS, ...options };
  const failuresByGroup = new Map<string, ConnectFailedEvent[]>();
  for (const e of events) {
    // An attempt that failed at the site's proxy is the proxy's finding (proxyFailure.ts).
    if (e.type !== "connect_failed" || e.stage !== "tcp" || proxyFailureMode(e) !== null) continue;
    const port = endpointPort(e.endpoint);
    if (port === null || !o.ports.includes(port)) continue;
    const id = `${scopeId(e)}\u0000${e.endpoint}`;
    const list = failuresByGroup.get(id);
    if (list) list.push(e);
    else failuresByGroup.set(id, [e]);
  }
  if (failuresByGroup.size === 0) return [];

  const findings: DraftOf<"port_blocked">[] = [];
  for (const [id, all] of failuresByGroup) {
    const cut = id.lastIndexOf("\u0000");
    const { scope, key } = parseScopeId(id.slice(0, cut));
    const endpoint = id.slice(cut + 1);
    // The last successful connection from here to this endpoint (a session without an endpoint counts for any).
    const since = lastSuccessBefore(lastStarts, id.slice(0, cut), endpoint);
    const current = all.filter((e) => e.at > since);
    if (current.length < o.minFailures) continue;
    let first = Infinity;
    let last = -Infinity;
    for (const e of current) {
      first = Math.min(first, e.at);
      last = Math.max(last, e.at);
    }
    if (last - first < o.minSpanMs) continue;
    const refused = current.filter((e) => REFUSED.has(e.errno)).length;
    const dropped = current.filter((e) => DROPPED.has(e.errno)).length;
    if (refused + dropped === 0) continue;
    findings.push(
      blockedFinding(scope, key, endpoint, current, refused >= dropped ? "refused" : "dropped", since, first, last),
    );
  }
  return findings;
}

function blockedFinding(
  scope: "site" | "publicIp" | "device",
  key: string,
  endpoint: string,
  failures: ConnectFailedEvent[],
  mode: "refused" | "dropped",
  lastSuccess: number,
  first: number,
  last: number,
): DraftOf<"port_blocked"> {
  const devices = new Set(failures.map((e) => e.device));
  const errnos = new Map<string, number>();
  for (const e of failures) errnos.set(e.errno, (errnos.get(e.errno) ?? 0) + 1);
  const errnoText = [...errnos.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${count(n)} ${k}`).join(", ");
  const elapsed = failures.map((e) => e.elapsedMs).filter((v): v is number => typeof v === "number");
  const typicalMs = elapsed.length ? median(elapsed) : null;
  const port = endpointPort(endpoint);
  const host = endpoint.replace(/:\d+$/, "");
  const where = scopeLabel(scope, key);
  const sinceText = Number.isFinite(lastSuccess) ? `since its last successful connection at ${readableTime(lastSuccess)}` : "at all in this window";
  const how =
    mode === "refused"
      ? `outbound port ${port} is actively refused (a firewall answers the connection attempt with a reset${typicalMs !== null ? `, within ${Math.round(typicalMs)} ms` : ""})`
      : `outbound port ${port} is silently dropped (connection attempts get no answer${typicalMs !== null && typicalMs > 10_000 ? ` and time out after ~${Math.round(typicalMs / 1000)} s` : ""})`;
  const evidence: PortBlockedEvidence = {
    endpoint,
    mode,
    affectedDevices: deviceList(devices),
    affectedDeviceCount: devices.size,
    failures: failures.length,
    errnos: Object.fromEntries(errnos),
    lastSuccess: Number.isFinite(lastSuccess) ? isoTime(lastSuccess) : null,
    typicalElapsedMs: typicalMs === null ? null : Math.round(typicalMs),
  };
  return {
    kind: "port_blocked",
    scope,
    scopeKey: key,
    site: scope === "site" ? key : (failures[0].site ?? null),
    device: scope === "device" ? key : null,
    severity: "critical",
    title: `Port ${port} to ${host} ${mode === "refused" ? "refused" : "blocked"} at ${where}`,
    summary: `No TCP connection from ${where} to ${endpoint} has succeeded ${sinceText}: ${plural(devices.size, "device")} failed ${plural(failures.length, "attempt")} (${errnoText}) — ${how}.`,
    recommendation: `Ask IT to allow outbound TCP from this site's network to ${host} on port ${port}${port === 443 ? " (HTTPS)" : ""}${mode === "dropped" ? "; the firewall currently drops these connections without answering" : "; the firewall currently rejects them"}.`,
    evidence,
    firstSeen: first,
    lastSeen: last,
  };
}
