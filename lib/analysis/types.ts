/**
 * Inputs and outputs of Linkscope's detection engine (lib/analysis).
 *
 * The engine is pure: callers map their stored sessions, events and device heartbeat state
 * into these plain records, pass "now" explicitly, and persist the FindingDraft[] it returns.
 * All times are milliseconds since the epoch by the device's clock (PROTOCOL.md), durations
 * are seconds.
 */
import type { EvidenceByKind } from "@/lib/contract/evidence";
import type { ConnectStage, EndReason, FindingKind, FindingScope, ProxyStage, Severity } from "@/lib/contract/vocabulary";

export type { ConnectStage, EndReason, FindingKind, FindingScope, ProxyStage, Severity };

/** One device connection, as materialised by lib/sessions. */
export interface SessionRecord {
  device: string;
  site: string | null;
  publicIp: string | null;
  session: string;
  /** ms epoch, device clock */
  start: number;
  /** ms epoch, device clock; null while the session is open */
  end: number | null;
  durationS: number | null;
  endReason: EndReason | null;
  /** seconds from the last byte received to the moment the end was noticed */
  idleS: number | null;
  /** the longest idle gap this connection survived */
  maxIdleS: number | null;
  errno: string | null;
  /** `host:port` */
  endpoint: string | null;
}

/** One certificate of a presented chain, leaf first (PROTOCOL.md `tls.chain`). */
export interface ChainCertificate {
  subject: string;
  issuer: string;
  /** lowercase hex SHA-256 of the certificate */
  sha256: string;
  /** lowercase hex SHA-256 of the SubjectPublicKeyInfo */
  spkiSha256?: string;
  notBefore?: string;
  notAfter?: string;
}

interface EventBase {
  device: string;
  site: string | null;
  publicIp?: string | null;
  /** ms epoch, device clock */
  at: number;
}

export interface TlsEvent extends EventBase {
  type: "tls";
  endpoint: string;
  /** did the device's own trust store accept the chain */
  verified: boolean;
  /** e.g. SELF_SIGNED_CERT_IN_CHAIN */
  error?: string | null;
  chain: ChainCertificate[];
  /** the HTTP proxy (host:port) the handshake went through, when the device used one */
  proxy?: string | null;
}

export interface ConnectFailedEvent extends EventBase {
  type: "connect_failed";
  endpoint: string;
  stage: ConnectStage;
  /** e.g. ECONNREFUSED, ETIMEDOUT, PROXY_AUTH_REQUIRED */
  errno: string;
  elapsedMs?: number | null;
  /** the HTTP proxy (host:port) the attempt went through, when the device used one */
  proxy?: string | null;
  /** with proxy: where it failed (docs/protocol-additions.md) */
  proxyStage?: ProxyStage | null;
  /** the proxy's own error text */
  proxyError?: string | null;
}

/** PROTOCOL.md probe `idle_timeout` result. */
export interface IdleTimeoutProbeResult {
  survivedS: number[];
  diedS: number[];
  estimateS: number | null;
  direction?: "downstream" | "upstream";
}

export interface IdleTimeoutProbeEvent extends EventBase {
  type: "probe";
  kind: "idle_timeout";
  result: IdleTimeoutProbeResult;
}

export interface ReachabilityProbeEvent extends EventBase {
  type: "probe";
  kind: "reachability";
  /** free-form funnel result; the engine does not interpret it yet */
  result: Record<string, unknown>;
}

export type ProbeEvent = IdleTimeoutProbeEvent | ReachabilityProbeEvent;

/** The non-session evidence. Heartbeats arrive as one summary per device instead. */
export type EventRecord = TlsEvent | ConnectFailedEvent | ProbeEvent;

/** Latest heartbeat state of one device (from the devices table). */
export interface HeartbeatSummary {
  device: string;
  site: string | null;
  /** ms epoch of the latest heartbeat, null if the device never sent one */
  lastHeartbeatAt: number | null;
  /** the interval the device declared; null: no offline inference (PROTOCOL.md) */
  intervalS: number | null;
}

export interface FleetInput {
  sessions: SessionRecord[];
  events: EventRecord[];
  heartbeats: HeartbeatSummary[];
}

interface DraftFields {
  scope: FindingScope;
  scopeKey: string;
  site: string | null;
  device: string | null;
  severity: Severity;
  title: string;
  summary: string;
  recommendation: string;
  /** ms epoch of the earliest evidence */
  firstSeen: number;
  /** ms epoch of the latest evidence */
  lastSeen: number;
}

/** A detector's finding: its kind decides the shape of its evidence (lib/contract/evidence.ts). */
export type FindingDraft = { [K in FindingKind]: DraftFields & { kind: K; evidence: EvidenceByKind[K] } }[FindingKind];

/** The draft of one kind. */
export type DraftOf<K extends FindingKind> = Extract<FindingDraft, { kind: K }>;

/** Expected identity of an endpoint's certificate chain (any match means "genuine"). */
export interface TlsPin {
  /** certificate fingerprints (lowercase hex SHA-256) of any chain member or root */
  sha256?: string[];
  /** public-key fingerprints (lowercase hex SHA-256 of the SPKI) */
  spkiSha256?: string[];
  /** issuer/root distinguished names, any text form */
  issuers?: string[];
}
