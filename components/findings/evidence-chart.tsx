"use client";
// The chart that proves a finding, as the server chose it for the finding's kind.
import { CountSeriesChart } from "@/components/charts/count-series-chart";
import { clusterMarkers, DurationHistogram } from "@/components/charts/duration-histogram";
import { TimeOfDayChart } from "@/components/charts/time-of-day-chart";
import { useFindingEvidence } from "@/components/hooks/queries/use-finding-evidence";
import { CertificateChain } from "@/components/tls/certificate-chain";
import { EmptyState } from "@/components/ui/empty-state";
import { QueryView } from "@/components/ui/query-view";
import { ChartSkeleton } from "@/components/ui/skeleton";
import type { EvidenceChartData } from "@/lib/contract/dashboard";

export function EvidenceChart({ findingId }: { findingId: number }) {
  const evidence = useFindingEvidence(findingId);
  return (
    <QueryView query={evidence} what="the evidence" skeleton={<ChartSkeleton height={220} />}>
      {(e) => (
        <div>
          <h3 className="mb-1 text-sm font-medium">{e.title}</h3>
          <EvidenceBody evidence={e} />
        </div>
      )}
    </QueryView>
  );
}

function EvidenceBody({ evidence: e }: { evidence: EvidenceChartData }) {
  switch (e.chart) {
    case "histogram":
      return e.durations.total === 0 ? (
        <EmptyState title="The sessions behind this finding are outside the stored range." />
      ) : (
        <DurationHistogram
          data={e.durations}
          markers={e.durations.measure === "idle" && e.durations.clusters.length ? clusterMarkers(e.durations.clusters) : [e.marker]}
          noun={e.durations.measure === "idle" ? "drops" : "sessions"}
          height={240}
        />
      );
    case "series":
      return e.series.total === 0 ? <EmptyState title="No events in this window any more." /> : <CountSeriesChart series={e.series} noun="events" window={e.window} height={220} />;
    case "timeOfDay":
      return <TimeOfDayChart bins={e.bins} binMinutes={e.binMinutes} marker={e.marker} />;
    case "chain":
      return e.observation ? <CertificateChain observation={e.observation} device={e.device} /> : <EmptyState title="The intercepted chain is no longer stored." />;
  }
}
