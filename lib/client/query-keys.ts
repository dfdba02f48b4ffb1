// Every TanStack Query key of the dashboard, built in one place so that invalidation after
// a change (acknowledge, resolve) can name exactly what it affects.
import type { RangeSpec } from "./time-range";
import { rangeKey } from "./time-range";

export interface FindingFilters {
  status: string;
  kind?: string;
  severity?: string;
  site?: string;
  device?: string;
}

export const queryKeys = {
  fleetOverview: (range: RangeSpec) => ["fleet", "overview", rangeKey(range)] as const,
  search: (q: string) => ["search", q] as const,
  sites: () => ["sites"] as const,
  siteSummary: (slug: string, range: RangeSpec) => ["site", slug, "summary", rangeKey(range)] as const,
  siteDurations: (slug: string, measure: "idle" | "duration", range: RangeSpec) => ["site", slug, "durations", measure, rangeKey(range)] as const,
  devices: (site: string | undefined) => ["devices", site ?? "*"] as const,
  findings: (filters: FindingFilters, range: RangeSpec | null) => ["findings", "list", filters, range ? rangeKey(range) : "any"] as const,
  finding: (id: number) => ["findings", "one", id] as const,
  findingEvidence: (id: number) => ["findings", "evidence", id] as const,
  /** everything findings-related: lists, single findings, and the pages that count them */
  allFindings: () => ["findings"] as const,
  device: (id: string) => ["device", id, "detail"] as const,
  deviceTimeline: (id: string, range: RangeSpec) => ["device", id, "timeline", rangeKey(range)] as const,
  deviceEvents: (id: string, types: readonly string[], range: RangeSpec) => ["device", id, "events", types.join(","), rangeKey(range)] as const,
};
