/**
 * proxy_failure: attempts through the site's HTTP proxy fail at the proxy itself — it is not
 * reached (a wrong address or port, a proxy that is down), it wants credentials (407), its
 * policy refuses the CONNECT (403), or it cannot reach the platform on its own side. None of
 * these is a blocked port at the site's firewall, and each asks IT for a different change,
 * naming the proxy (docs/protocol-additions.md: connect_failed `proxy`, `proxyStage`). A
 * failure beyond an open tunnel (`proxyStage: tunnel`) is the path's, and the other detectors'.
 * As for port blocks, failures before the scope's last successful connection are history.
 */
import type { ProxyFailureEvidence } from "@/lib/contract/evidence";
import { count, deviceList, isoTime, plural, readableTime, scopeLabel } from "./findingText";
import { lastSuccessBefore, parseScopeId, scopeId, type LastStarts } from "./scopes";
import type { ConnectFailedEvent, DraftOf, EventRecord } from "./types";

export interface ProxyFailureOptions {
  /** fewest failed attempts after the last success */
  minFailures: number;
  /** failures must span at least this long, so one retry burst is not a finding */
  minSpanMs: number;
}

export const DEFAULT_PROXY_FAILURE_OPTIONS: ProxyFailureOptions = { minFailures: 3, minSpanMs: 10 * 60_000 };

type Mode = ProxyFailureEvidence["mode"];

/** A failed attempt that the proxy itself answers for, as one of the modes; null: not the proxy's doing. */
export function proxyFailureMode(e: ConnectFailedEvent): Mode | null {
  if (!e.proxy || !e.proxyStage || e.proxyStage === "tunnel") return null;
  if (e.proxyStage === "origin") return "origin_unreachable";
  if (e.proxyStage === "dns" || e.proxyStage === "tcp") return "unreachable";
  if (e.errno === "PROXY_AUTH_REQUIRED") return "auth_required";
  return e.errno === "ETIMEDOUT" ? "unreachable" : "forbidden";
}

const MODE_RANK: Mode[] = ["unreachable", "auth_required", "forbidden", "origin_unreachable"];

export function detectProxyFailures(
  lastStarts: LastStarts,
  events: readonly EventRecord[],
  options: Partial<ProxyFailureOptions> = {},
): DraftOf<"proxy_failure">[] {
  const o = { ...DEFAULT_PROXY_FAILURE_OPTIONS, ...options };
  const groups = new Map<string, ConnectFailedEvent[]>();
  for (const e of events) {
    if (e.type !== "connect_failed") continue;
    const mode = proxyFailureMode(e);
    if (mode === null) continue;
    const id = `${scopeId(e)}\u0000${e.proxy}\u0000${e.endpoint}`;
    const list = groups.get(id);
    if (list) list.push(e);
    else groups.set(id, [e]);
  }
  if (groups.size === 0) return [];
  const findings: DraftOf<"proxy_failure">[] = [];
  for (const [id, all] of groups) {
    const [scopePart, proxy, endpoint] = splitId(id);
    const { scope, key } = parseScopeId(scopePart);
    const since = lastSuccessBefore(lastStarts, scopePart, endpoint);
    const current = all.filter((e) => e.at > since);
    if (current.length < o.minFailures) continue;
    const first = Math.min(...current.map((e) => e.at));
    const last = Math.max(...current.map((e) => e.at));
    if (last - first < o.minSpanMs) continue;
    const modes = new Map<Mode, number>();
    for (const e of current) {
      const m = proxyFailureMode(e)!;
      modes.set(m, (modes.get(m) ?? 0) + 1);
    }
    // The most frequent mode; ties go to the one nearest the device (fix that first).
    const mode = [...modes.entries()].sort((a, b) => b[1] - a[1] || MODE_RANK.indexOf(a[0]) - MODE_RANK.indexOf(b[0]))[0][0];
    findings.push(proxyFinding(scope, key, proxy, endpoint, current, mode, since, first, last));
  }
  return findings;
}

function splitId(id: string): [string, string, string] {
  const b = id.lastIndexOf("\u0000");
  const a = id.lastIndexOf("\u0000", b - 1);
  return [id.slice(0, a), id.slice(a + 1, b), id.slice(b + 1)];
}

const WHAT: Record<Mode, (proxy: string, host: string, port: string) => { summary: string; recommendation: string }> = {
  unreachable: (proxy) => ({
    summary: `the proxy ${proxy} itself could not be reached (its name did not resolve, the connection was refused, or it never answered)`,
    recommendation: `Check the proxy setting the devices use (HTTPS_PROXY / --proxy): is ${proxy} the right address and port, and is the proxy running and reachable from this network? If the site needs no proxy, remove the setting.`,
  }),
  auth_required: (proxy) => ({
    summary: `the proxy ${proxy} asks for authentication (407) and the devices' requests carry none it accepts`,
    recommendation: `Give the devices credentials for ${proxy} (in the proxy URL, http://user:password@${proxy}), or ask IT to let these devices through without authentication (an exception by source address for IoT devices).`,
  }),
  forbidden: (proxy, host, port) => ({
    summary: `the proxy ${proxy} refuses to open the connection to ${host}:${port} (its policy answers CONNECT with an error)`,
    recommendation: `Ask IT to allow CONNECT to ${host} on port ${port} on the proxy ${proxy} (its allow-list or URL filtering policy), for this site's devices.`,
  }),
  origin_unreachable: (proxy, host, port) => ({
    summary: `the proxy ${proxy} accepted the request but could not reach ${host}:${port} itself`,
    recommendation: `Ask IT to check the proxy ${proxy}'s own path to ${host} on port ${port}: its outbound firewall rules, its DNS, and, for an inspecting proxy, whether it can verify the platform's certificate.`,
  }),
};

function proxyFinding(
  scope: "site" | "publicIp" | "device",
  key: string,
  proxy: string,
  endpoint: string,
  failures: ConnectFailedEvent[],
  mode: Mode,
  lastSuccess: number,
  first: number,
  last: number,
): DraftOf<"proxy_failure"> {
  const devices = new Set(failures.map((e) => e.device));
  const errnos = new Map<string, number>();
  const proxyErrors = new Map<string, number>();
  for (const e of failures) {
    errnos.set(e.errno, (errnos.get(e.errno) ?? 0) + 1);
    if (e.proxyError) proxyErrors.set(e.proxyError, (proxyErrors.get(e.proxyError) ?? 0) + 1);
  }
  const errnoText = [...errnos.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${count(n)} ${k}`).join(", ");
  const [host, port] = [endpoint.replace(/:\d+$/, ""), /:(\d+)$/.exec(endpoint)?.[1] ?? "443"];
  const where = scopeLabel(scope, key);
  const what = WHAT[mode](proxy, host, port);
  const sinceText = Number.isFinite(lastSuccess) ? `since the last successful connection at ${readableTime(lastSuccess)}` : "in this window";
  return {
    kind: "proxy_failure",
    scope,
    scopeKey: key,
    site: scope === "site" ? key : (failures[0].site ?? null),
    device: scope === "device" ? key : null,
    severity: "critical",
    title: `Proxy ${proxy} ${mode === "unreachable" ? "unreachable" : mode === "auth_required" ? "wants credentials" : mode === "forbidden" ? "refuses the platform" : "cannot reach the platform"} at ${where}`,
    summary: `${plural(devices.size, "device")} at ${where} failed ${plural(failures.length, "attempt")} to reach ${endpoint} through the proxy ${proxy} ${sinceText} (${errnoText}): ${what.summary}. This is the proxy's doing, not a blocked port.`,
    recommendation: what.recommendation,
    evidence: {
      proxy,
      endpoint,
      mode,
      affectedDevices: deviceList(devices),
      affectedDeviceCount: devices.size,
      failures: failures.length,
      errnos: Object.fromEntries(errnos),
      proxyErrors: Object.fromEntries(proxyErrors),
      lastSuccess: Number.isFinite(lastSuccess) ? isoTime(lastSuccess) : null,
    },
    firstSeen: first,
    lastSeen: last,
  };
}
