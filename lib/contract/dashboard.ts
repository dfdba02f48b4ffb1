// The dashboard's read models as wire contracts: queries and response shapes of the
// endpoints behind the fleet, site, device and findings pages. Handlers parse with these,
// the OpenAPI document is generated from them, and the client's hooks take their types.
import { z } from "zod";
import { rfc3339, siteSlug } from "./events";
import { cursorParam, durationsResponse, page, sessionItem } from "./read";
import { EVENT_TYPES, FINDING_KINDS } from "./vocabulary";

const limit = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);
const severityCounts = z.object({ critical: z.number().int(), warning: z.number().int(), info: z.number().int() });

/** A time window: both ends optional (the endpoint's default span, ending now). At most 92 days. */
export const rangeFields = { from: rfc3339.optional(), to: rfc3339.optional() };
/** Site-confined callers (site keys) are narrowed to their site; others may narrow with it. */
const siteField = { site: siteSlug.optional() };

/** Counts per time bucket, every bucket present (empty ones as zeros); the server picks bucketS. */
export const countSeries = z.object({
  bucketS: z.number().int(),
  from: z.string(),
  to: z.string(),
  /** the series, most frequent first */
  keys: z.array(z.string()),
  buckets: z.array(z.object({ t: z.string(), counts: z.record(z.string(), z.number().int()) })),
  total: z.number().int(),
});

// ---- GET /api/v1/fleet/overview
export const fleetOverviewQuery = z.object({ ...siteField, ...rangeFields });
export const siteHealth = z.enum(["critical", "warning", "ok", "quiet"]);
export const fleetSite = z.object({
  slug: z.string(),
  name: z.string(),
  devices: z.number().int(),
  online: z.number().int(),
  openFindings: severityCounts,
  /** abnormal session ends (reset, timeout, error, unknown) in the range */
  drops: z.number().int(),
  /** every session that ended in the range */
  ended: z.number().int(),
  health: siteHealth,
  /** the most severe open finding's title, to say why at a glance */
  topFinding: z.object({ id: z.number().int(), kind: z.enum(FINDING_KINDS), title: z.string() }).nullable(),
});
export const fleetOverview = z.object({
  generatedAt: z.string(),
  from: z.string(),
  to: z.string(),
  devices: z.object({ total: z.number().int(), online: z.number().int(), offline: z.number().int() }),
  findings: z.object({
    open: z.number().int(),
    acknowledged: z.number().int(),
    bySeverity: severityCounts,
    byKind: z.array(severityCounts.extend({ kind: z.enum(FINDING_KINDS), total: z.number().int() })),
  }),
  /** sites, most urgent first */
  sites: z.array(fleetSite),
  drops: countSeries,
  lastEventAt: z.string().nullable(),
});

// ---- GET /api/v1/search
export const searchQuery = z.object({ ...siteField, q: z.string().trim().min(1).max(128), limit: limit(20, 8) });
export const searchResult = z.object({
  items: z.array(z.object({ type: z.enum(["site", "device"]), id: z.string(), label: z.string(), site: z.string().nullable() })),
});

// ---- GET /api/v1/sites/{slug}/summary
export const siteSummaryQuery = z.object({ ...siteField, ...rangeFields });
export const survivalCurve = z.object({
  /** step points: share of sessions still alive after tS seconds (open and client-closed sessions are censored) */
  points: z.array(z.object({ tS: z.number(), survival: z.number(), atRisk: z.number().int() })),
  sessions: z.number().int(),
  ended: z.number().int(),
  censored: z.number().int(),
  medianS: z.number().nullable(),
});
export const heartbeatHealth = z.object({
  devices: z.number().int(),
  /** devices that declared a heartbeat interval */
  declaring: z.number().int(),
  /** declaring devices heard within 2x their interval */
  onTime: z.number().int(),
  /** declaring devices silent for more than 2x their interval */
  silent: z.number().int(),
  received: z.number().int(),
  /** heartbeats the declaring devices should have sent between their first and last in the range */
  expected: z.number().int(),
  deliveryRatio: z.number().nullable(),
  rttP50Ms: z.number().nullable(),
  rttP95Ms: z.number().nullable(),
  rttSample: z.number().int(),
  worst: z.array(
    z.object({ device: z.string(), received: z.number().int(), expected: z.number().int(), ratio: z.number(), lastSeen: z.string(), intervalS: z.number() }),
  ),
});
/**
 * What a chain is, as the findings say: `public` (a public root), `platform` (a private root the
 * detectors judged the platform's own: pinned, or what the fleet's other sites see), `intercepted`,
 * or `undecided` (a private root nothing can judge; see LINKSCOPE_TLS_PINS).
 */
export const tlsVerdict = z.enum(["public", "platform", "intercepted", "undecided"]);
export type TlsVerdict = z.infer<typeof tlsVerdict>;

export const tlsChainSummary = z.object({
  endpoint: z.string(),
  /** the CA that signed the leaf */
  issuer: z.string(),
  /** the chain's root name */
  root: z.string(),
  vendor: z.string().nullable(),
  intercepted: z.boolean(),
  verdict: tlsVerdict,
  verified: z.number().int(),
  rejected: z.number().int(),
  errors: z.array(z.string()),
  devices: z.number().int(),
  events: z.number().int(),
  lastSeen: z.string(),
});
export const siteSummary = z.object({
  site: z.object({ slug: z.string(), name: z.string(), devices: z.number().int(), online: z.number().int() }),
  from: z.string(),
  to: z.string(),
  sessions: z.object({ started: z.number().int(), ended: z.number().int(), drops: z.number().int(), open: z.number().int() }),
  reasons: countSeries,
  failures: countSeries,
  survival: survivalCurve,
  heartbeat: heartbeatHealth,
  tls: z.array(tlsChainSummary),
});

// ---- GET /api/v1/devices/{id}
export const deviceQuery = z.object({ ...siteField });
export const certificateItem = z.object({
  subject: z.string(),
  issuer: z.string(),
  sha256: z.string(),
  spkiSha256: z.string().nullable(),
  notBefore: z.string().nullable(),
  notAfter: z.string().nullable(),
});
export const tlsObservation = z.object({
  at: z.string(),
  endpoint: z.string(),
  verified: z.boolean(),
  error: z.string().nullable(),
  protocol: z.string().nullable(),
  cipher: z.string().nullable(),
  intercepted: z.boolean(),
  verdict: tlsVerdict,
  vendor: z.string().nullable(),
  chain: z.array(certificateItem),
});
export const deviceDetail = z.object({
  id: z.string(),
  site: z.string().nullable(),
  firstSeen: z.string(),
  lastSeen: z.string(),
  online: z.boolean(),
  sessionOpen: z.boolean(),
  publicIp: z.string().nullable(),
  heartbeatIntervalS: z.number().nullable(),
  skewed: z.boolean(),
  openFindings: z.number().int(),
  lastTls: tlsObservation.nullable(),
  /** the device's moves between sites, newest first (another site's name is hidden from a caller confined to one site) */
  moves: z.array(
    z.object({
      at: z.string(),
      from: z.string().nullable(),
      to: z.string().nullable(),
      /** "key lsk_<prefix>" or "user <email>" */
      by: z.string(),
    }),
  ),
});

// ---- PATCH /api/v1/devices/{id}
export const moveDeviceBody = z.object({ site: siteSlug }).strict();
export const moveDeviceAnswer = z.object({ device: z.string(), site: z.string(), moved: z.boolean() });

// ---- GET /api/v1/devices/{id}/timeline
export const deviceTimelineQuery = z.object({ ...siteField, ...rangeFields });
export const timelineSession = sessionItem.pick({ session: true, start: true, end: true, durationS: true, endReason: true, idleS: true, errno: true });
export const deviceTimeline = z.object({
  from: z.string(),
  to: z.string(),
  sessions: z.array(timelineSession),
  /** sessions overlapping the range beyond the first 2000 */
  truncated: z.boolean(),
  failures: z.array(z.object({ at: z.string(), stage: z.string(), errno: z.string() })),
  heartbeats: z.object({
    intervalS: z.number().nullable(),
    received: z.number().int(),
    /** silences longer than twice the declared interval */
    gaps: z.array(z.object({ from: z.string(), to: z.string(), seconds: z.number() })),
    series: countSeries,
    rttP50Ms: z.number().nullable(),
    rttP95Ms: z.number().nullable(),
    /**
     * Set when the range holds compacted history: before this time the device's heartbeats in
     * the range are hourly summaries (counts; per hour only its longest silence is a gap;
     * round-trip times are the hours' percentiles).
     */
    compactedBefore: z.string().nullable(),
  }),
});

// ---- GET /api/v1/devices/{id}/events
export const deviceEventsQuery = z.object({
  ...siteField,
  ...rangeFields,
  /** one or more event types, comma-separated */
  type: z
    .string()
    .regex(new RegExp(`^(${EVENT_TYPES.join("|")})(,(${EVENT_TYPES.join("|")}))*$`), `must be a comma-separated list of ${EVENT_TYPES.join(", ")}`)
    .optional(),
  cursor: cursorParam,
  limit: limit(500, 200),
});
export const deviceEvent = z.object({
  id: z.string(),
  type: z.enum(EVENT_TYPES),
  at: z.string(),
  receivedAt: z.string(),
  session: z.string().nullable(),
  skewed: z.boolean(),
  /** the type-specific fields and attrs as received */
  data: z.record(z.string(), z.unknown()),
});
export const deviceEventsPage = page(deviceEvent).extend({
  /**
   * Set when the range reaches past the raw-event window (LINKSCOPE_RAW_RETENTION_DAYS):
   * raw events before this time were purged; heartbeats survive as hourly summaries on the
   * device timeline, sessions and their counts longer.
   */
  compactedBefore: z.string().nullable(),
});

// ---- GET /api/v1/findings/{id}/evidence
export const findingEvidenceQuery = z.object({ ...siteField });
const marker = z.object({ value: z.number(), label: z.string() });
export const evidenceChartData = z.discriminatedUnion("chart", [
  z.object({ chart: z.literal("histogram"), title: z.string(), durations: durationsResponse, marker }),
  z.object({
    chart: z.literal("series"),
    title: z.string(),
    series: countSeries,
    /** the stretch the finding is about, shaded on the chart */
    window: z.object({ from: z.string(), to: z.string().nullable() }).nullable(),
  }),
  z.object({
    chart: z.literal("timeOfDay"),
    title: z.string(),
    binMinutes: z.number().int(),
    bins: z.array(z.object({ minute: z.number().int(), count: z.number().int() })),
    marker: z.object({ minute: z.number().int(), label: z.string() }),
  }),
  z.object({ chart: z.literal("chain"), title: z.string(), device: z.string().nullable(), observation: tlsObservation.nullable() }),
]);

export type CountSeries = z.infer<typeof countSeries>;
export type FleetOverview = z.infer<typeof fleetOverview>;
export type FleetSite = z.infer<typeof fleetSite>;
export type SiteHealth = z.infer<typeof siteHealth>;
export type SearchResult = z.infer<typeof searchResult>;
export type SiteSummary = z.infer<typeof siteSummary>;
export type SurvivalCurve = z.infer<typeof survivalCurve>;
export type HeartbeatHealth = z.infer<typeof heartbeatHealth>;
export type TlsChainSummary = z.infer<typeof tlsChainSummary>;
export type CertificateItem = z.infer<typeof certificateItem>;
export type TlsObservation = z.infer<typeof tlsObservation>;
export type DeviceDetail = z.infer<typeof deviceDetail>;
export type DeviceTimeline = z.infer<typeof deviceTimeline>;
export type TimelineSession = z.infer<typeof timelineSession>;
export type DeviceEvent = z.infer<typeof deviceEvent>;
export type DeviceEventsPage = z.infer<typeof deviceEventsPage>;
export type EvidenceChartData = z.infer<typeof evidenceChartData>;
