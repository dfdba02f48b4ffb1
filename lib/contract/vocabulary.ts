// The words the whole system shares (PROTOCOL.md): event types, how a session ends, which
// ends count as drops, finding kinds, scopes, statuses and severities. Everything else
// imports these lists; nothing re-types them.

export const EVENT_TYPES = ["heartbeat", "connect", "disconnect", "connect_failed", "tls", "probe"] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The event types session derivation reads. */
export const LIFECYCLE_TYPES = ["connect", "disconnect", "heartbeat"] as const;
export type LifecycleType = (typeof LIFECYCLE_TYPES)[number];

/** A disconnect's `reason` (PROTOCOL.md). */
export const DISCONNECT_REASONS = ["client_closed", "server_closed", "reset", "timeout", "error", "unknown"] as const;
export type DisconnectReason = (typeof DISCONNECT_REASONS)[number];

/** Why a session ended: a disconnect's reason, or how the server closed it (PROTOCOL.md "sessions"). */
export const END_REASONS = [...DISCONNECT_REASONS, "superseded", "inferred"] as const;
export type EndReason = (typeof END_REASONS)[number];

/**
 * Endings that may be a middlebox cutting the connection. Not counted:
 * - client_closed: the device chose to close;
 * - server_closed: a clean FIN from the platform (deploys, long-poll caps, token expiry) is
 *   normal traffic; idle-closing load balancers surface at the client as errors or resets;
 * - superseded: the device reconnected without reporting the end, so its time is unknown;
 * - inferred: heartbeats stopped; there is no idle measurement (outages still count it).
 */
export const DROP_REASONS = ["reset", "timeout", "error", "unknown"] as const satisfies readonly EndReason[];
export type DropReason = (typeof DROP_REASONS)[number];
const DROP_SET: ReadonlySet<string> = new Set(DROP_REASONS);
export function isDropReason(reason: string | null): reason is DropReason {
  return reason !== null && DROP_SET.has(reason);
}

export const TRANSPORTS = ["long-polling", "websocket", "mqtt", "https", "tcp"] as const;
export const FAILURE_STAGES = ["dns", "tcp", "tls", "http", "bayeux"] as const;
export type ConnectStage = (typeof FAILURE_STAGES)[number];

/** Where an attempt through an HTTP proxy failed (connect_failed `proxyStage`, docs/protocol-additions.md). */
export const PROXY_STAGES = ["dns", "tcp", "connect", "origin", "tunnel"] as const;
export type ProxyStage = (typeof PROXY_STAGES)[number];

export const FINDING_KINDS = [
  "idle_timeout",
  "tls_interception",
  "port_blocked",
  "outage",
  "flapping",
  "offline",
  "session_lifetime",
  "scheduled_drop",
  "proxy_failure",
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

/**
 * `fleet` is used only by platform-side outages (many sites at once), whose scopeKey is
 * "fleet" and whose site is null.
 */
export const FINDING_SCOPES = ["site", "publicIp", "device", "fleet"] as const;
export type FindingScope = (typeof FINDING_SCOPES)[number];

export const FINDING_STATUSES = ["open", "acknowledged", "resolved"] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

/** Most severe first: the order of SEVERITY_RANK. */
export const SEVERITIES = ["critical", "warning", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { critical: 0, warning: 1, info: 2 };

/** Sorts most severe first. */
export function bySeverity(a: { severity: Severity }, b: { severity: Severity }): number {
  return SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity];
}
