"use client";
// The open and acknowledged findings of a site or a device, each with its recommendation:
// the answer before the evidence.
import { FindingCard } from "./finding-card";
import { useFindings } from "@/components/hooks/queries/use-findings";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorPanel } from "@/components/ui/error-panel";
import { Panel } from "@/components/ui/panel";
import { RowsSkeleton } from "@/components/ui/skeleton";

export function ScopeFindings({ site, device, stacked = false }: { site?: string; device?: string; stacked?: boolean }) {
  const findings = useFindings({ status: "active", ...(site ? { site } : {}), ...(device ? { device } : {}) });
  const items = findings.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Panel title="Findings" description="What the analysis concluded, and what to change. Open one for its evidence, to acknowledge or to resolve it.">
      {findings.error && <ErrorPanel error={findings.error} what="findings" onRetry={() => void findings.refetch()} />}
      {findings.isPending ? (
        <RowsSkeleton rows={2} />
      ) : items.length === 0 ? (
        <EmptyState title="No open findings.">Connections here look healthy to the analysis, which runs after every batch of events and every 5 minutes.</EmptyState>
      ) : (
        <div className={`grid gap-3 ${stacked ? "" : "xl:grid-cols-2"}`}>
          {items.map((f) => (
            <FindingCard key={f.id} finding={f} />
          ))}
        </div>
      )}
    </Panel>
  );
}
