// Abnormal drops across the fleet over time: an outage is a spike, a firewall a steady rain.
import { CountSeriesChart } from "@/components/charts/count-series-chart";
import { DROP_REASONS } from "@/lib/contract/vocabulary";
import { Panel } from "@/components/ui/panel";
import type { CountSeries } from "@/lib/contract/dashboard";

export function FleetDrops({ series }: { series: CountSeries }) {
  return (
    <Panel title="Drops across the fleet" description="Connections reset, timed out or failed, by reason.">
      <CountSeriesChart series={series} noun="drops" keys={DROP_REASONS} height={200} />
    </Panel>
  );
}
