import { randomUUID } from "node:crypto";

/**
 * The events the probe sends, shaped exactly as PROTOCOL.md's ingest contract. The probe
 * cannot import the server's zod schemas (it must bundle with no npm dependencies), so the
 * shapes are restated here as types.
 */

export type FunnelStage = "dns" | "tcp" | "tls" | "http" | "bayeux";
export type Transport = "long-polling" | "websocket" | "mqtt" | "https" | "tcp";
export type DisconnectReason = "client_closed" | "server_closed" | "reset" | "timeout" | "error" | "unknown";
export type IdleDirection = "downstream" | "upstream";

export interface EventBase {
  id: string;
  device: string;
  site?: string;
  at: string;
  transport?: Transport;
  attrs?: Record<string, unknown>;
}

export interface CertificateSummary {
  subject: string;
  issuer: string;
  sha256: string;
  spkiSha256?: string;
  notBefore?: string;
  notAfter?: string;
}

export interface TlsEvent extends EventBase {
  type: "tls";
  endpoint: string;
  verified: boolean;
  error?: string;
  protocol?: string;
  cipher?: string;
  chain: CertificateSummary[];
}

export interface ConnectEvent extends EventBase {
  type: "connect";
  session: string;
  endpoint: string;
  handshakeMs?: number;
}

export interface DisconnectEvent extends EventBase {
  type: "disconnect";
  session: string;
  reason: DisconnectReason;
  errno?: string;
  idleS?: number;
  maxIdleS?: number;
  durationS?: number;
}

export interface ConnectFailedEvent extends EventBase {
  type: "connect_failed";
  endpoint: string;
  stage: FunnelStage;
  errno: string;
  elapsedMs?: number;
}

export interface IdleTimeoutResult {
  survivedS: number[];
  diedS: number[];
  estimateS: number | null;
  direction: IdleDirection;
}

export interface IdleTimeoutProbeEvent extends EventBase {
  type: "probe";
  kind: "idle_timeout";
  result: IdleTimeoutResult;
}

export interface ReachabilityProbeEvent extends EventBase {
  type: "probe";
  kind: "reachability";
  result: Record<string, unknown>;
}

export type ProbeEvent =
  | TlsEvent
  | ConnectEvent
  | DisconnectEvent
  | ConnectFailedEvent
  | IdleTimeoutProbeEvent
  | ReachabilityProbeEvent;

/** Distributes Omit over the union so each member keeps its own fields. */
type WithoutBase<E> = E extends ProbeEvent ? Omit<E, "id" | "device" | "site" | "at"> : never;
export type ProbeEventBody = WithoutBase<ProbeEvent>;

export interface ProbeIdentity {
  device: string;
  site?: string;
}

/** Stamps event bodies with a fresh id, the probe's identity and the time they happened. */
export function stampEvent(identity: ProbeIdentity, body: ProbeEventBody, at: Date = new Date()): ProbeEvent {
  const base = { id: `probe-${randomUUID()}`, device: identity.device, at: at.toISOString() };
  const site = identity.site === undefined ? {} : { site: identity.site };
  return { ...base, ...site, ...body } as ProbeEvent;
}

/** `host:port` as PROTOCOL.md writes endpoints (IPv6 hosts in brackets). */
export function endpointOf(host: string, port: number): string {
  return host.includes(":") && !host.startsWith("[") ? `[${host}]:${port}` : `${host}:${port}`;
}
