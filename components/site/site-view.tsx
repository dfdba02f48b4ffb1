"use client";
// The story of one site: its findings first (the answer), then the evidence — when
// connections die (histogram, survival), how they end over time, failed attempts,
// heartbeats, TLS chains — and its devices.
import { CountSeriesChart } from "@/components/charts/count-series-chart";
import { SurvivalChart } from "@/components/charts/survival-chart";
import { clusterMarkers } from "@/components/charts/duration-histogram";
import { useDevices } from "@/components/hooks/queries/use-devices";
import { useSiteDurations } from "@/components/hooks/queries/use-site-durations";
import { useSiteSummary } from "@/components/hooks/queries/use-site-summary";
import { useTimeRange } from "@/components/hooks/use-time-range";
import { useUrlState } from "@/components/hooks/use-url-state";
import { ScopeFindings } from "@/components/findings/scope-findings";
import { EmptyState } from "@/components/ui/empty-state";
import { LiveStatus } from "@/components/ui/live-status";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { QueryView } from "@/components/ui/query-view";
import { RangePicker } from "@/components/ui/range-picker";
import { ChartSkeleton, RowsSkeleton } from "@/components/ui/skeleton";
import { ApiError } from "@/lib/client/api";
import { count, humanDuration } from "@/lib/client/format";
import { describeRange } from "@/lib/client/time-range";
import { HeartbeatHealthPanel } from "./heartbeat-health";
import { SiteDevices } from "./site-devices";
import { SiteHistogram } from "./site-histogram";
import { TlsSummary } from "./tls-summary";

export function SiteView({ slug }: { slug: string }) {
  const { range, setRange } = useTimeRange("7d");
  const { params, set } = useUrlState();
  const measure = params.get("measure") === "duration" ? "duration" : "idle";
  const summary = useSiteSummary(slug, range);
  const durations = useSiteDurations(slug, measure, range);
  const devices = useDevices(slug);
  const s = summary.data;
  const markers = clusterMarkers(durations.data?.clusters ?? []);
  if (summary.error instanceof ApiError && summary.error.status === 404) {
    return (
      <div className="space-y-4">
        <PageHeader crumbs={[{ href: "/", label: "Fleet" }]} title={slug} />
        <EmptyState title={`No site “${slug}” has reported yet.`}>
          A site appears with the first event that names it (<code>&quot;site&quot;: &quot;{slug}&quot;</code>), or when a key is created for it:{" "}
          <code>npm run cli -- keys create --scope ingest --site {slug}</code>.
        </EmptyState>
      </div>
    );
  }
  return (
    <div className="space-y-6">
      <PageHeader
        crumbs={[{ href: "/", label: "Fleet" }]}
        title={s?.site.name ?? slug}
        subtitle={
          s
            ? `${count(s.site.online)} of ${count(s.site.devices)} devices online · ${count(s.sessions.started)} connections started and ${count(s.sessions.drops)} dropped in ${describeRange(range)} · times in UTC`
            : `Site ${slug}`
        }
      >
        <RangePicker value={range} onChange={setRange} />
        <LiveStatus updatedAt={summary.dataUpdatedAt} fetching={summary.isFetching} />
      </PageHeader>
      <div className="grid items-start gap-6 xl:grid-cols-5">
        <div className="min-w-0 xl:col-span-2">
          <ScopeFindings site={slug} stacked />
        </div>
        <div className="min-w-0 xl:col-span-3">
          <SiteHistogram durations={durations} measure={measure} onMeasure={(m) => set({ measure: m === "idle" ? null : m }, "replace")} markers={markers} />
        </div>
      </div>
      <QueryView
        query={summary}
        what="the site summary"
        skeleton={
          <div className="grid items-start gap-6 lg:grid-cols-2">
            <ChartSkeleton />
            <ChartSkeleton />
          </div>
        }
      >
        {(data) => (
          <div className="space-y-6">
            <div className="grid items-start gap-6 lg:grid-cols-2">
              <Panel
                title="How long connections survive"
                description={
                  data.survival.sessions
                    ? `Kaplan–Meier: share of the ${count(data.survival.sessions)} connections started in this range still alive after t (log scale). ${data.survival.medianS !== null ? `Half ended within ${humanDuration(data.survival.medianS)}.` : ""} A cliff is a timeout.`
                    : undefined
                }
              >
                {data.survival.sessions === 0 ? <EmptyState title="No connection started in this range." /> : <SurvivalChart curve={data.survival} markers={markers} />}
              </Panel>
              <Panel title="How connections ended" description="Session ends per bucket, by reason.">
                {data.reasons.total === 0 ? (
                  <EmptyState title="No connection ended in this range.">Devices report ends with a disconnect event, or Linkscope infers them when heartbeats stop.</EmptyState>
                ) : (
                  <CountSeriesChart series={data.reasons} noun="connection ends" />
                )}
              </Panel>
            </div>
            {data.failures.total > 0 && (
              <Panel title="Failed connection attempts" description="connect_failed events by error: refused or timed-out TCP means a firewall; TLS errors mean interception or an outdated trust store.">
                <CountSeriesChart series={data.failures} noun="failed attempts" />
              </Panel>
            )}
            <div className="grid items-start gap-6 lg:grid-cols-2">
              <HeartbeatHealthPanel health={data.heartbeat} />
              <TlsSummary chains={data.tls} />
            </div>
          </div>
        )}
      </QueryView>
      <Panel title="Devices" description="Every device that reported from this site.">
        <QueryView query={devices} what="the devices" skeleton={<RowsSkeleton rows={5} />}>
          {(page) => <SiteDevices devices={page.items} more={page.nextCursor !== null} />}
        </QueryView>
      </Panel>
    </div>
  );
}
