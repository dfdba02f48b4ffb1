// What each finding kind carries as evidence (PROTOCOL.md "Kinds and their evidence fields",
// plus the fields Linkscope adds). Detectors build these; the finding page, the report, the
// evidence charts and the lifecycle read them through `parseEvidence`, never by string key.
// Times inside evidence are RFC 3339 strings, as on the wire. Fields may be added (optional,
// so evidence stored by an older version still parses); none is renamed or dropped.
import { z } from "zod";
import { FINDING_KINDS, type FindingKind } from "./vocabulary";

const counts = z.record(z.string(), z.number());
/** A list of device ids, capped (deviceList in lib/analysis/findingText.ts); the full count is separate. */
const devices = z.array(z.string());
const iso = z.string();

const probeMeasurement = z.object({
  estimateS: z.number(),
  survivedMaxS: z.number().nullable(),
  diedMinS: z.number(),
  runs: z.number(),
  devices,
});

export const idleTimeoutEvidence = z.object({
  timeoutS: z.number().nullable(),
  mode: z.enum(["reset", "silent", "probe"]),
  knownAs: z.string().nullable(),
  knownTimeoutS: z.number().nullable(),
  affectedDevices: devices,
  affectedDeviceCount: z.number(),
  drops: z.number(),
  share: z.number(),
  scopeDrops: z.number().optional(),
  clusterS: z.number().optional(),
  spreadS: z.number().optional(),
  reasons: counts.optional(),
  noticed: z.enum(["reset", "read_timeout", "next_packet"]).optional(),
  clientTimeoutS: z.number().optional(),
  maxSurvivedS: z.number().nullable().optional(),
  survivedSessions: z.number().optional(),
  passiveEstimateS: z.number().optional(),
  /** egress scopes: the sites behind the address */
  sites: z.array(z.string()).optional(),
  /** a site with several egress addresses (two WAN links): the ones whose devices this middlebox cuts */
  publicIps: z.array(z.string()).optional(),
  probe: probeMeasurement.optional(),
});

export const tlsInterceptionEvidence = z.object({
  issuer: z.string(),
  vendor: z.string().nullable(),
  endpoint: z.string(),
  affectedDevices: devices,
  affectedDeviceCount: z.number(),
  acceptedDevices: devices,
  rejectedDeviceCount: z.number(),
  leafIssuer: z.string().nullable(),
  /**
   * pin_mismatch: not the pinned chain; other_sites_differ: the endpoint's other sites see another
   * chain; through_proxy: a private root presented through the device's proxy; unknown_issuer_error:
   * verification failed with an unknown issuer; undecided: a private root seen here only, with no
   * pin and no proxy: interception or the platform's own private CA — LINKSCOPE_TLS_PINS decides;
   * private_root: evidence stored before these reasons existed
   */
  reason: z.enum(["pin_mismatch", "other_sites_differ", "through_proxy", "unknown_issuer_error", "undecided", "private_root"]),
  errors: counts,
  events: z.number(),
});

export const portBlockedEvidence = z.object({
  endpoint: z.string(),
  mode: z.enum(["refused", "dropped"]),
  affectedDevices: devices,
  affectedDeviceCount: z.number(),
  failures: z.number(),
  errnos: counts,
  lastSuccess: iso.nullable(),
  typicalElapsedMs: z.number().nullable(),
});

export const outageEvidence = z.object({
  start: iso,
  end: iso.nullable(),
  affectedDevices: devices,
  affectedDeviceCount: z.number(),
  durationS: z.number().nullable().optional(),
  /** site outages: devices connected just before */
  connectedDevices: z.number().optional(),
  /** platform outages: the sites that failed together */
  sites: z.array(z.string()).optional(),
  siteCount: z.number().optional(),
});

export const flappingEvidence = z.object({
  reconnectsPerHour: z.number(),
  fleetMedianPerHour: z.number(),
  reconnects: z.number(),
  /** device scope */
  windowHours: z.number().optional(),
  medianSessionS: z.number().optional(),
  /** the most common end reason, or "none" */
  topReason: z.string().optional(),
  /** site scope */
  affectedDevices: devices.optional(),
  affectedDeviceCount: z.number().optional(),
});

export const offlineEvidence = z.object({
  lastSeen: iso,
  /** site scope */
  affectedDevices: devices.optional(),
  affectedDeviceCount: z.number().optional(),
  /** device scope */
  silentForS: z.number().optional(),
  intervalS: z.number().nullable().optional(),
});

export const sessionLifetimeEvidence = z.object({
  periodS: z.number(),
  spreadS: z.number(),
  sessions: z.number(),
  share: z.number(),
  knownAs: z.string().nullable(),
  affectedDevices: devices,
  affectedDeviceCount: z.number(),
  idleRangeS: z.tuple([z.number(), z.number()]),
  reasons: counts,
});

export const scheduledDropEvidence = z.object({
  /** HH:MM, UTC */
  timeOfDay: z.string().regex(/^\d\d:\d\d$/),
  /** the UTC dates (YYYY-MM-DD) it recurred on */
  days: z.array(z.string()),
  dayCount: z.number(),
  drops: z.number(),
  share: z.number(),
  affectedDevices: devices,
  affectedDeviceCount: z.number(),
});

export const proxyFailureEvidence = z.object({
  /** the proxy, host:port */
  proxy: z.string(),
  /** the platform endpoint the attempts were for */
  endpoint: z.string(),
  /**
   * unreachable: the proxy itself did not answer (dns, refused, timed out); auth_required: it
   * wants credentials (407); forbidden: its policy refused the CONNECT (403) or another status;
   * origin_unreachable: it could not reach the platform itself
   */
  mode: z.enum(["unreachable", "auth_required", "forbidden", "origin_unreachable"]),
  affectedDevices: devices,
  affectedDeviceCount: z.number(),
  failures: z.number(),
  errnos: counts,
  /** the proxy's own error texts (X-Squid-Error, Proxy-Status) and how often */
  proxyErrors: counts,
  lastSuccess: iso.nullable(),
});

export const EVIDENCE_SCHEMAS = {
  idle_timeout: idleTimeoutEvidence,
  tls_interception: tlsInterceptionEvidence,
  port_blocked: portBlockedEvidence,
  outage: outageEvidence,
  flapping: flappingEvidence,
  offline: offlineEvidence,
  session_lifetime: sessionLifetimeEvidence,
  scheduled_drop: scheduledDropEvidence,
  proxy_failure: proxyFailureEvidence,
} as const satisfies Record<FindingKind, z.ZodType>;

export type EvidenceByKind = { [K in FindingKind]: z.infer<(typeof EVIDENCE_SCHEMAS)[K]> };
export type IdleTimeoutEvidence = EvidenceByKind["idle_timeout"];
export type TlsInterceptionEvidence = EvidenceByKind["tls_interception"];
export type PortBlockedEvidence = EvidenceByKind["port_blocked"];
export type OutageEvidence = EvidenceByKind["outage"];
export type FlappingEvidence = EvidenceByKind["flapping"];
export type OfflineEvidence = EvidenceByKind["offline"];
export type SessionLifetimeEvidence = EvidenceByKind["session_lifetime"];
export type ScheduledDropEvidence = EvidenceByKind["scheduled_drop"];
export type ProxyFailureEvidence = EvidenceByKind["proxy_failure"];

/** A kind together with its evidence: narrowing on `kind` types `evidence`. */
export type KindEvidence = { [K in FindingKind]: { kind: K; evidence: EvidenceByKind[K] } }[FindingKind];

export class EvidenceShapeError extends Error {}

/**
 * A stored finding's evidence (JSON text) as its kind's typed shape. Unknown extra fields are
 * kept; a missing or mistyped field is a bug in whatever wrote it, and says so.
 */
export function parseEvidence<K extends FindingKind>(kind: K, json: string): EvidenceByKind[K] {
  const schema = EVIDENCE_SCHEMAS[kind] as unknown as z.ZodType<EvidenceByKind[K]>;
  const raw: unknown = JSON.parse(json);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EvidenceShapeError(`${kind} evidence: ${issue?.path.join(".") || "(root)"}: ${issue?.message}`);
  }
  return { ...(raw as object), ...parsed.data };
}

/** A stored kind and evidence as the typed union. */
export function kindWithEvidence(kind: string, json: string): KindEvidence {
  if (!(FINDING_KINDS as readonly string[]).includes(kind)) throw new EvidenceShapeError(`unknown finding kind ${kind}`);
  return { kind, evidence: parseEvidence(kind as FindingKind, json) } as KindEvidence;
}

