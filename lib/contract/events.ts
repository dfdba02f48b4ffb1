// The event wire contract (PROTOCOL.md, POST /api/v1/events) as zod schemas: what a device
// or probe sends. Used by ingest validation, the OpenAPI document, the stored-event parser
// and the tests.
import { z } from "zod";
import { DISCONNECT_REASONS, FAILURE_STAGES, PROXY_STAGES, TRANSPORTS } from "./vocabulary";

export const MAX_BATCH_EVENTS = 1000;
export const MAX_BODY_BYTES = 1024 * 1024;
export const MAX_ATTRS_BYTES = 4096;
export const MAX_CHAIN_LENGTH = 10;

export const rfc3339 = z.iso.datetime({ offset: true, message: "must be an RFC 3339 time with a zone, e.g. 2026-11-26T10:00:00.123Z" });
export const siteSlug = z.string().regex(/^[a-z0-9-]{1,64}$/, "must be a slug of 1-64 characters a-z, 0-9 and -");
const text = (max: number) => z.string().min(1, "must not be empty").max(max, `must be at most ${max} characters`);
const seconds = z.number().finite().nonnegative().max(10 * 365 * 86400, "is implausibly large");
const millis = z.number().finite().nonnegative().max(86_400_000, "is implausibly large");
const hex64 = z.string().regex(/^[0-9a-f]{64}$/, "must be a lowercase hex SHA-256 fingerprint");

// host:port with a DNS name, an IPv4 address or a bracketed IPv6 address.
export const endpoint = z
  .string()
  .max(260)
  .regex(
    /^(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))*\.?):(?:6553[0-5]|655[0-2]\d|65[0-4]\d\d|6[0-4]\d{3}|[1-5]\d{4}|[1-9]\d{0,3})$/,
    "must be host:port",
  );

export const commonFields = {
  id: text(128),
  device: text(128),
  site: siteSlug.optional(),
  at: rfc3339,
  transport: z.enum(TRANSPORTS).optional(),
  publicIp: z.union([z.ipv4(), z.ipv6()], { message: "must be an IPv4 or IPv6 address" }).optional(),
  attrs: z.record(z.string(), z.unknown()).optional(),
};

export const heartbeatEvent = z.object({
  ...commonFields,
  type: z.literal("heartbeat"),
  seq: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
  rttMs: millis.optional(),
  intervalS: z.number().finite().positive().max(7 * 86400, "is implausibly large").optional(),
});

export const connectEvent = z.object({
  ...commonFields,
  type: z.literal("connect"),
  session: text(128),
  endpoint,
  handshakeMs: millis.optional(),
});

export const disconnectEvent = z.object({
  ...commonFields,
  type: z.literal("disconnect"),
  session: text(128),
  endpoint: endpoint.optional(),
  reason: z.enum(DISCONNECT_REASONS),
  errno: text(64).optional(),
  idleS: seconds.optional(),
  maxIdleS: seconds.optional(),
  durationS: seconds.optional(),
});

export const connectFailedEvent = z.object({
  ...commonFields,
  type: z.literal("connect_failed"),
  endpoint,
  stage: z.enum(FAILURE_STAGES),
  errno: text(64),
  elapsedMs: z.number().finite().nonnegative().max(3_600_000).optional(),
  // Optional additions to PROTOCOL.md v1, described in docs/protocol-additions.md.
  proxy: endpoint.optional().describe("host:port of the HTTP proxy (CONNECT) the attempt went through; absent: direct"),
  proxyStage: z
    .enum(PROXY_STAGES)
    .optional()
    .describe("with proxy: dns/tcp = the proxy itself was not reached, connect = it refused or ignored the CONNECT, origin = it reported that it could not reach or verify the target, tunnel = it gave a tunnel and the failure lies beyond it"),
  proxyError: text(256).optional().describe("the proxy's own error as it sent it (X-Squid-Error, else Proxy-Status), e.g. ERR_SECURE_CONNECT_FAIL 0"),
});

export const certificate = z.object({
  subject: text(1024),
  issuer: text(1024),
  sha256: hex64,
  spkiSha256: hex64.optional(),
  notBefore: rfc3339.optional(),
  notAfter: rfc3339.optional(),
});

export const tlsEvent = z.object({
  ...commonFields,
  type: z.literal("tls"),
  endpoint,
  verified: z.boolean(),
  error: text(128).optional(),
  protocol: text(32).optional(),
  cipher: text(128).optional(),
  chain: z.array(certificate).max(MAX_CHAIN_LENGTH, `must hold at most ${MAX_CHAIN_LENGTH} certificates`),
  // Optional addition to PROTOCOL.md v1 (docs/protocol-additions.md).
  proxy: endpoint.optional().describe("host:port of the HTTP proxy (CONNECT) the handshake went through; absent: direct"),
});

export const idleTimeoutResult = z.object({
  survivedS: z.array(seconds).max(100),
  diedS: z.array(seconds).max(100),
  estimateS: seconds.nullable(),
  direction: z.enum(["downstream", "upstream"]),
});

export const probeEvent = z.discriminatedUnion("kind", [
  z.object({ ...commonFields, type: z.literal("probe"), kind: z.literal("idle_timeout"), result: idleTimeoutResult }),
  z.object({ ...commonFields, type: z.literal("probe"), kind: z.literal("reachability"), result: z.record(z.string(), z.unknown()) }),
]);

export const eventSchemas = {
  heartbeat: heartbeatEvent,
  connect: connectEvent,
  disconnect: disconnectEvent,
  connect_failed: connectFailedEvent,
  tls: tlsEvent,
  probe: probeEvent,
} as const;

export const event = z.union([heartbeatEvent, connectEvent, disconnectEvent, connectFailedEvent, tlsEvent, probeEvent]);
export type WireEvent = z.infer<typeof event>;

export const ingestRequest = z.object({
  events: z.array(event).min(1).max(MAX_BATCH_EVENTS),
});

export const itemError = z.object({ code: z.string(), message: z.string() });
export const ingestResponse = z.object({
  accepted: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.array(z.object({ index: z.number().int(), id: z.string().nullable(), error: itemError })),
});
export type IngestResult = z.infer<typeof ingestResponse>;
