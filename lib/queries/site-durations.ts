// "At what idle time do this site's connections die?" — the histogram behind the site
// chart (GET /api/v1/sites/{slug}/durations). The server picks logarithmic bins (a timeout
// of 60 s and one of 3600 s must both be visible), fills empty bins, and adds the clusters
// the detectors found so the chart can mark them.
import type { Db } from "@/lib/db/client";
import { parseEvidence } from "@/lib/contract/evidence";
import type { DurationsResponse } from "@/lib/contract/read";
import { DROP_REASONS } from "@/lib/contract/vocabulary";
import { placeholders, sqlNumbers, timeParam } from "@/lib/db/sql";

const BINS_PER_DECADE = 12;
const DEFAULT_RANGE_MS = 7 * 86_400_000;

/** Log-spaced bin edges covering [min, max], plus a first bin [0, 1) for sub-second values. */
export function logBins(values: readonly number[]): Array<{ fromS: number; toS: number; count: number }> {
  if (!values.length) return [];
  let [min, max] = [Infinity, -Infinity];
  for (const v of values) if (v >= 1) [min, max] = [Math.min(min, v), Math.max(max, v)];
  const lo = min <= max ? Math.floor(Math.log10(min) * BINS_PER_DECADE) : 0;
  const hi = min <= max ? Math.floor(Math.log10(max) * BINS_PER_DECADE) + 1 : 1;
  const edge = (k: number) => Number((10 ** (k / BINS_PER_DECADE)).toPrecision(4));
  const bins = [] as Array<{ fromS: number; toS: number; count: number }>;
  if (values.some((v) => v < 1)) bins.push({ fromS: 0, toS: 1, count: 0 });
  for (let k = lo; k < hi; k++) bins.push({ fromS: edge(k), toS: edge(k + 1), count: 0 });
  for (const v of values) {
    if (v < 1) {
      bins[0].count++;
      continue;
    }
    const k = Math.min(Math.floor(Math.log10(v) * BINS_PER_DECADE), hi - 1);
    bins[bins.length - (hi - k)].count++;
  }
  return bins;
}

export async function siteDurations(
  db: Db,
  slug: string,
  query: { from?: string; to?: string; measure: "idle" | "duration" },
  now = Date.now(),
): Promise<DurationsResponse | null> {
  const site = await db.prisma.site.findUnique({ where: { slug }, select: { id: true } });
  if (!site) return null;
  const to = query.to ? Date.parse(query.to) : now;
  const from = query.from ? Date.parse(query.from) : to - DEFAULT_RANGE_MS;
  const t = timeParam(db);
  const idle = query.measure === "idle";
  // A big site's week is some 40,000 sessions, through the covering index
  // Session(siteId, end, endReason, idleS, durationS).
  const values = await sqlNumbers(
    db,
    idle ? `COALESCE("idleS", "durationS")` : `"durationS"`,
    `FROM "Session" WHERE "siteId" = ? AND "end" >= ${t} AND "end" < ${t}${idle ? ` AND "endReason" IN (${placeholders(DROP_REASONS.length)})` : ""}`,
    [site.id, from, to, ...(idle ? DROP_REASONS : [])],
  );
  const findings = await db.prisma.finding.findMany({
    where: { siteId: site.id, kind: "idle_timeout", status: { in: ["open", "acknowledged"] } },
    select: { evidence: true },
  });
  const clusters = findings.flatMap((f) => {
    const e = parseEvidence("idle_timeout", f.evidence);
    return e.timeoutS === null ? [] : [{ timeoutS: e.timeoutS, mode: e.mode, knownAs: e.knownAs, drops: e.drops, share: e.share }];
  });
  return {
    bins: logBins(values.filter((v) => Number.isFinite(v))),
    clusters: clusters.sort((a, b) => a.timeoutS - b.timeoutS),
    measure: query.measure,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    total: values.length,
  };
}
