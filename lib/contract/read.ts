// The read API's wire contract (PROTOCOL.md "Read API") as zod schemas: query parsing in
// the handlers, item shapes for the OpenAPI document and the dashboard's hooks.
import { z } from "zod";
import { rfc3339, siteSlug } from "./events";
import { EVIDENCE_SCHEMAS, idleTimeoutEvidence, type KindEvidence } from "./evidence";
import { END_REASONS, FINDING_KINDS, FINDING_SCOPES, FINDING_STATUSES, SEVERITIES, type FindingKind } from "./vocabulary";

export const cursorParam = z.string().max(512).optional();
const limit = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);

export const sitesQuery = z.object({ site: siteSlug.optional(), cursor: cursorParam, limit: limit(500, 100) });
export const devicesQuery = z.object({
  site: siteSlug.optional(),
  q: z.string().max(128).optional(),
  cursor: cursorParam,
  limit: limit(500, 100),
});
export const sessionsQuery = z.object({
  site: siteSlug.optional(),
  device: z.string().min(1).max(128).optional(),
  from: rfc3339.optional(),
  to: rfc3339.optional(),
  cursor: cursorParam,
  limit: limit(1000, 100),
});

export const siteItem = z.object({
  slug: z.string(),
  name: z.string(),
  devices: z.number().int(),
  online: z.number().int(),
  openFindings: z.number().int(),
});
export const deviceItem = z.object({
  id: z.string(),
  site: z.string().nullable(),
  lastSeen: z.string(),
  online: z.boolean(),
  sessionOpen: z.boolean(),
  openFindings: z.number().int(),
  publicIp: z.string().nullable(),
  heartbeatIntervalS: z.number().nullable(),
  skewed: z.boolean(),
});
export const sessionItem = z.object({
  device: z.string(),
  site: z.string().nullable(),
  session: z.string(),
  start: z.string(),
  end: z.string().nullable(),
  durationS: z.number().nullable(),
  endReason: z.enum(END_REASONS).nullable(),
  idleS: z.number().nullable(),
  maxIdleS: z.number().nullable(),
  errno: z.string().nullable(),
  endpoint: z.string().nullable(),
  transport: z.string().nullable(),
  publicIp: z.string().nullable(),
});

export const findingsQuery = z.object({
  site: siteSlug.optional(),
  kind: z.enum(FINDING_KINDS).optional(),
  /** active: open or acknowledged */
  status: z.enum(["open", "acknowledged", "active", "resolved", "all"]).default("open"),
  severity: z.enum(SEVERITIES).optional(),
  device: z.string().min(1).max(128).optional(),
  /** only findings whose evidence reaches into [from, to) */
  from: rfc3339.optional(),
  to: rfc3339.optional(),
  /** just this finding (with status=all: whatever its status) */
  id: z.coerce.number().int().min(1).optional(),
  cursor: cursorParam,
  limit: limit(500, 100),
});
const findingFields = {
  id: z.number().int(),
  status: z.enum(FINDING_STATUSES),
  severity: z.enum(SEVERITIES),
  site: z.string().nullable(),
  device: z.string().nullable(),
  scope: z.enum(FINDING_SCOPES),
  scopeKey: z.string(),
  title: z.string(),
  summary: z.string(),
  recommendation: z.string(),
  firstSeen: z.string(),
  lastSeen: z.string(),
  acknowledgedAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
};
/** A finding as the API lists it: its kind decides the shape of `evidence` (lib/contract/evidence.ts). */
export const findingItem = z.discriminatedUnion(
  "kind",
  FINDING_KINDS.map((kind) => z.object({ ...findingFields, kind: z.literal(kind), evidence: EVIDENCE_SCHEMAS[kind] })) as unknown as [
    z.ZodObject<typeof findingFields & { kind: z.ZodLiteral<FindingKind>; evidence: z.ZodType }>,
    ...z.ZodObject<typeof findingFields & { kind: z.ZodLiteral<FindingKind>; evidence: z.ZodType }>[],
  ],
);

export const durationsQuery = z.object({
  from: rfc3339.optional(),
  to: rfc3339.optional(),
  /** idle: idle time before each abnormal drop (idleS, else duration); duration: every ended session's duration */
  measure: z.enum(["idle", "duration"]).default("idle"),
});
export const durationBin = z.object({ fromS: z.number(), toS: z.number(), count: z.number().int() });
export const durationCluster = z.object({
  timeoutS: z.number(),
  mode: idleTimeoutEvidence.shape.mode,
  knownAs: z.string().nullable(),
  drops: z.number().int(),
  share: z.number(),
});
export const durationsResponse = z.object({
  bins: z.array(durationBin),
  clusters: z.array(durationCluster),
  measure: z.enum(["idle", "duration"]),
  from: z.string(),
  to: z.string(),
  total: z.number().int(),
});

export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export type SiteItem = z.infer<typeof siteItem>;
export type DeviceItem = z.infer<typeof deviceItem>;
export type SessionItem = z.infer<typeof sessionItem>;
export type FindingBase = { [K in keyof typeof findingFields]: z.infer<(typeof findingFields)[K]> };
export type FindingItem = FindingBase & KindEvidence;
export type DurationsResponse = z.infer<typeof durationsResponse>;
export type Page<T> = { items: T[]; nextCursor: string | null };
