"use client";
// One device: is it connected, how its connections went over the window, its heartbeats,
// the last certificate chain it saw, and everything it reported.
import Link from "next/link";
import { SessionTimeline } from "@/components/charts/session-timeline";
import { ScopeFindings } from "@/components/findings/scope-findings";
import { useDevice } from "@/components/hooks/queries/use-device";
import { useDeviceTimeline } from "@/components/hooks/queries/use-device-timeline";
import { useTimeRange } from "@/components/hooks/use-time-range";
import { CertificateChain } from "@/components/tls/certificate-chain";
import { OnlineDot } from "@/components/ui/badges";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorPanel } from "@/components/ui/error-panel";
import { LiveStatus } from "@/components/ui/live-status";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { QueryView } from "@/components/ui/query-view";
import { RangePicker } from "@/components/ui/range-picker";
import { ChartSkeleton, RowsSkeleton } from "@/components/ui/skeleton";
import { ApiError } from "@/lib/client/api";
import { ago, humanDuration, longTime } from "@/lib/client/format";
import { describeRange } from "@/lib/client/time-range";
import { EventLog } from "./event-log";
import { HeartbeatPanel } from "./heartbeat-panel";

export function DeviceView({ id }: { id: string }) {
  const { range, setRange } = useTimeRange("24h");
  const device = useDevice(id);
  const timeline = useDeviceTimeline(id, range);
  const d = device.data;
  if (device.error && !d) {
    return (
      <div className="space-y-4">
        <PageHeader crumbs={[{ href: "/", label: "Fleet" }]} title={id} />
        {device.error instanceof ApiError && device.error.status === 404 ? (
          <EmptyState title={`No device “${id}” has reported yet.`}>
            A device appears with its first event. Check the id in the device&apos;s configuration, or search for it on the{" "}
            <Link href="/" className="underline">
              fleet page
            </Link>
            .
          </EmptyState>
        ) : (
          <ErrorPanel error={device.error} what={`device ${id}`} onRetry={() => void device.refetch()} />
        )}
      </div>
    );
  }
  return (
    <div className="space-y-6">
      <PageHeader
        crumbs={[{ href: "/", label: "Fleet" }, ...(d?.site ? [{ href: `/sites/${d.site}`, label: d.site }] : [])]}
        title={id}
        subtitle={
          d ? (
            <span className="flex flex-wrap items-center gap-x-3 gap-y-1">
              <OnlineDot online={d.online} />
              <span>{d.sessionOpen ? "connection open" : "no open connection"}</span>
              <span>last heard {ago(d.lastSeen)}</span>
              {d.heartbeatIntervalS !== null && <span>heartbeat every {humanDuration(d.heartbeatIntervalS)}</span>}
              {d.publicIp && <span className="font-mono text-xs">{d.publicIp}</span>}
              {d.skewed && <span className="text-amber-700 dark:text-amber-300">clock ahead of the server</span>}
              <span>times in UTC</span>
            </span>
          ) : (
            "Loading…"
          )
        }
      >
        <RangePicker value={range} onChange={setRange} />
        <LiveStatus updatedAt={timeline.dataUpdatedAt} fetching={timeline.isFetching} />
      </PageHeader>
      {d && d.openFindings > 0 && <ScopeFindings device={id} />}
      <Panel title="Connections" description={`Each bar is one connection over ${describeRange(range)}; its colour says how it ended. Hover a bar for details.`}>
        <QueryView query={timeline} what="the timeline" skeleton={<ChartSkeleton height={116} />}>
          {(t) =>
            t.sessions.length === 0 && t.failures.length === 0 ? (
              <EmptyState title="No connection in this range.">
                The device reports a connection with a <code>connect</code> event and its end with a <code>disconnect</code> event carrying the reason and idle time. Try a longer range.
              </EmptyState>
            ) : (
              <>
                <SessionTimeline timeline={t} now={timeline.dataUpdatedAt} />
                {t.truncated && <p className="mt-1 text-xs text-slate-500">Showing the first 2,000 connections; pick a shorter range to see the rest.</p>}
              </>
            )
          }
        </QueryView>
      </Panel>
      <div className="grid items-start gap-6 lg:grid-cols-2">
        <QueryView query={timeline} what="heartbeats" skeleton={<ChartSkeleton />}>
          {(t) => <HeartbeatPanel heartbeats={t.heartbeats} />}
        </QueryView>
        <Panel title="Last TLS chain seen" description="Every certificate, leaf first, as the device reported it.">
          <QueryView query={device} what="the device" skeleton={<RowsSkeleton rows={4} />}>
            {(dev) => (dev.lastTls ? <CertificateChain observation={dev.lastTls} /> : <EmptyState title="This device never reported a TLS handshake.">Send a <code>tls</code> event with the chain after each handshake.</EmptyState>)}
          </QueryView>
        </Panel>
      </div>
      {d && d.moves.length > 0 && (
        <Panel title="Site history" description="Moves of this device between sites, newest first, and who made them.">
          <ul className="space-y-1 text-sm">
            {d.moves.map((m) => (
              <li key={`${m.at}-${m.to}`}>
                <span className="tabular-nums">{longTime(m.at)}</span>: from {m.from ?? "another site"} to {m.to ?? "another site"}, by {m.by}
              </li>
            ))}
          </ul>
        </Panel>
      )}
      <EventLog id={id} range={range} />
    </div>
  );
}
