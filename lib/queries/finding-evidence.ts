// "Show me the proof" — the chart behind one finding, chosen by its kind: the idle histogram
// with the cluster marked, the session-age histogram at the lifetime, drops over time around
// an outage, failed attempts at a blocked port, a flapping device's reconnects, an offline
// device's last heartbeats, drops by time of day, or the intercepted certificate chain.
import type { EvidenceChartData } from "@/lib/contract/dashboard";
import { kindWithEvidence } from "@/lib/contract/evidence";
import type { Db } from "@/lib/db/client";
import { connectFailureSeries, heartbeatSeries } from "./event-series";
import { dropsByTimeOfDay } from "./drops-by-time-of-day";
import { scopeWhere, visibleTo, type DataScope } from "./scope";
import { siteDurations } from "./site-durations";
import { sessionEndSeries } from "./session-end-series";
import { ANALYSIS_WINDOW_MS } from "@/lib/analysis/window";
import { MOMENT_MS, windowFirstDay } from "@/lib/analysis/digest";
import { DAY_MS, HOUR_MS, type TimeRange } from "./time-buckets";
import { tlsObservation } from "./tls-observation";

const iso = (ms: number) => new Date(ms).toISOString();

export async function findingEvidence(db: Db, id: number, query: { site?: string }, now = Date.now()): Promise<EvidenceChartData | null> {
  const f = await db.prisma.finding.findUnique({ where: { id }, include: { site: { select: { id: true, slug: true } } } });
  if (!f || !visibleTo(f.site?.slug ?? null, query.site)) return null;
  const finding = kindWithEvidence(f.kind, f.evidence);
  const last = f.lastSeen.getTime();
  const scope: DataScope = f.deviceId !== null ? { deviceId: f.deviceId, atSite: f.site?.id } : f.site ? { siteId: f.site.id } : "fleet";
  const siteScope: DataScope = f.site ? { siteId: f.site.id } : "fleet";
  // The analysis reads the digest's days of the window before each run (lib/analysis/digest.ts);
  // a finding's firstSeen is when it was first raised (possibly on a partial history), so its
  // evidence window is that window as of its last evidence, to the end of that five minutes.
  const seen: TimeRange = { from: windowFirstDay(last, ANALYSIS_WINDOW_MS) * DAY_MS, to: last + MOMENT_MS };

  switch (finding.kind) {
    case "idle_timeout":
    case "session_lifetime": {
      const lifetime = finding.kind === "session_lifetime";
      const valueS = finding.kind === "session_lifetime" ? finding.evidence.periodS : (finding.evidence.timeoutS ?? 0);
      if (!f.site) break;
      const durations = await siteDurations(db, f.site.slug, { from: iso(seen.from), to: iso(seen.to), measure: lifetime ? "duration" : "idle" });
      if (!durations) break;
      const name = finding.evidence.knownAs;
      return {
        chart: "histogram",
        title: lifetime ? "Session age at the end (log scale)" : "Idle time before each abnormal drop (log scale)",
        durations,
        marker: { value: valueS, label: `${Number.isInteger(valueS) ? valueS : valueS.toFixed(1)} s${name ? ` — ${name}?` : lifetime ? " — fixed connection age" : " — unusual value"}` },
      };
    }
    case "outage": {
      const start = Date.parse(finding.evidence.start);
      const end = finding.evidence.end === null ? null : Date.parse(finding.evidence.end);
      const range = { from: start - 2 * HOUR_MS, to: Math.min(now, (end ?? now) + 2 * HOUR_MS) };
      return {
        chart: "series",
        title: "How connections ended around the outage",
        series: await sessionEndSeries(db, siteScope, range),
        window: { from: iso(start), to: end === null ? null : iso(end) },
      };
    }
    case "port_blocked":
      return { chart: "series", title: "Failed connection attempts by error", series: await connectFailureSeries(db, scope, seen), window: null };
    case "flapping": {
      const range = { from: last - DAY_MS, to: Math.min(now, last + HOUR_MS) };
      return { chart: "series", title: "The device's connection ends per bucket", series: await sessionEndSeries(db, scope, range), window: null };
    }
    case "offline": {
      const lastSeen = Date.parse(finding.evidence.lastSeen);
      const range = { from: lastSeen - DAY_MS, to: now };
      return { chart: "series", title: "Heartbeats received", series: await heartbeatSeries(db, scope, range), window: { from: iso(lastSeen), to: null } };
    }
    case "scheduled_drop": {
      const label = finding.evidence.timeOfDay;
      const [h, m] = label.split(":").map(Number);
      const binMinutes = 15;
      return {
        chart: "timeOfDay",
        title: "Abnormal drops by time of day (UTC)",
        binMinutes,
        bins: await dropsByTimeOfDay(db, scope, seen, binMinutes),
        marker: { minute: h * 60 + m, label: `${label} UTC` },
      };
    }
    case "tls_interception":
      return { chart: "chain", title: "The certificate chain the devices were shown", ...(await interceptedChain(db, scope, finding.evidence.issuer)) };
  }
  return { chart: "series", title: "How connections ended", series: await sessionEndSeries(db, scope, seen), window: null };
}

/** The newest intercepted chain in scope, preferring one from the finding's issuer. */
async function interceptedChain(db: Db, scope: DataScope, issuer: string | null) {
  const rows = await db.prisma.event.findMany({
    where: { ...scopeWhere(scope), type: "tls" },
    orderBy: { at: "desc" },
    take: 200,
    select: { at: true, data: true, device: { select: { externalId: true } } },
  });
  const observed = rows.map((r) => ({ device: r.device.externalId, observation: tlsObservation(r) })).filter((o) => o.observation.intercepted);
  const match = observed.find((o) => issuer !== null && o.observation.chain.some((c) => c.issuer === issuer || c.subject === issuer)) ?? observed[0];
  return match ?? { device: null, observation: null };
}
