"use client";
// The fleet page: is anything on fire, and where? Owns the data; the parts only render.
import { FirstDeviceGuide } from "@/components/first-device-guide";
import { useFleetOverview } from "@/components/hooks/queries/use-fleet-overview";
import { useTimeRange } from "@/components/hooks/use-time-range";
import { LiveStatus } from "@/components/ui/live-status";
import { PageHeader } from "@/components/ui/page-header";
import { QueryView } from "@/components/ui/query-view";
import { RangePicker } from "@/components/ui/range-picker";
import { RowsSkeleton, Skeleton } from "@/components/ui/skeleton";
import { ago } from "@/lib/client/format";
import { describeRange } from "@/lib/client/time-range";
import { FleetDrops } from "./fleet-drops";
import { FindingsByKind } from "./findings-by-kind";
import { FleetSearch } from "./fleet-search";
import { FleetStats } from "./fleet-stats";
import { SiteRanking } from "./site-ranking";

export function FleetView({ origin }: { origin: string }) {
  const { range, setRange } = useTimeRange("24h");
  const overview = useFleetOverview(range);
  return (
    <div className="space-y-6">
      <PageHeader
        title="Fleet"
        subtitle={
          overview.data?.lastEventAt
            ? `Last event ${ago(overview.data.lastEventAt)} · drops counted over ${describeRange(range)} · times in UTC`
            : `Drops counted over ${describeRange(range)} · times in UTC`
        }
      >
        <RangePicker value={range} onChange={setRange} />
        <LiveStatus updatedAt={overview.dataUpdatedAt} fetching={overview.isFetching} />
      </PageHeader>
      <FleetSearch />
      <QueryView
        query={overview}
        what="the fleet overview"
        skeleton={
          <div className="space-y-6">
            <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
              {[0, 1, 2, 3].map((i) => (
                <Skeleton key={i} className="h-24 w-full" />
              ))}
            </div>
            <RowsSkeleton rows={8} />
          </div>
        }
      >
        {(data) =>
          data.devices.total === 0 ? (
            <FirstDeviceGuide origin={origin} />
          ) : (
            <div className="space-y-6">
              <FleetStats overview={data} />
              <div className="grid gap-6 lg:grid-cols-3">
                <div className="min-w-0 lg:col-span-2">
                  <SiteRanking sites={data.sites} range={describeRange(range)} />
                </div>
                <div className="min-w-0 space-y-6">
                  <FindingsByKind findings={data.findings} />
                  <FleetDrops series={data.drops} />
                </div>
              </div>
            </div>
          )
        }
      </QueryView>
    </div>
  );
}
