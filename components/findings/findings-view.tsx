"use client";
// On-call triage: filter findings, open one to see its evidence and recommendation, and
// acknowledge or resolve it. Filters, range and the open finding live in the URL.
import { useState } from "react";
import { useFinding, useFindings } from "@/components/hooks/queries/use-findings";
import { useTimeRange } from "@/components/hooks/use-time-range";
import { useUrlState } from "@/components/hooks/use-url-state";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorPanel } from "@/components/ui/error-panel";
import { LiveStatus } from "@/components/ui/live-status";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { RangePicker } from "@/components/ui/range-picker";
import { RowsSkeleton } from "@/components/ui/skeleton";
import type { FindingFilters } from "@/lib/client/query-keys";
import { bySeverity } from "@/lib/contract/vocabulary";
import { describeRange } from "@/lib/client/time-range";
import { FindingDetail } from "./finding-detail";
import { FindingsFilters, STATUSES } from "./findings-filters";
import { FindingsList } from "./findings-list";

export function FindingsView({ canAct }: { canAct: boolean }) {
  const { params, set } = useUrlState();
  const { range, setRange } = useTimeRange("30d");
  const status = params.get("status");
  const filters: FindingFilters = {
    status: STATUSES.some((s) => s.key === status) ? status! : "open",
    ...(params.get("kind") ? { kind: params.get("kind")! } : {}),
    ...(params.get("severity") ? { severity: params.get("severity")! } : {}),
    ...(params.get("site") ? { site: params.get("site")! } : {}),
  };
  const openId = /^\d+$/.test(params.get("open") ?? "") ? Number(params.get("open")) : null;
  const list = useFindings(filters, range);
  const [focusDetail, setFocusDetail] = useState(false);
  const opened = useFinding(openId);
  // Most severe first, then the freshest evidence (the API pages newest-created first).
  const items = (list.data?.pages.flatMap((p) => p.items) ?? []).sort((a, b) => bySeverity(a, b) || b.lastSeen.localeCompare(a.lastSeen));
  const hrefFor = (id: number) => {
    const p = new URLSearchParams(params.toString());
    p.set("open", String(id));
    return `?${p}`;
  };
  return (
    <div className="space-y-5">
      <PageHeader title="Findings" subtitle={`What broke connections, where, and what to change · evidence seen in ${describeRange(range)} · times in UTC`}>
        <RangePicker value={range} onChange={setRange} />
        <LiveStatus updatedAt={list.dataUpdatedAt} fetching={list.isFetching} />
      </PageHeader>
      <FindingsFilters filters={filters} onChange={(changes) => set(changes)} />
      <div className="grid gap-5 lg:grid-cols-5">
        <div className="min-w-0 lg:col-span-2">
          <Panel title={`${items.length}${list.hasNextPage ? "+" : ""} ${STATUSES.find((s) => s.key === filters.status)!.label.toLowerCase()} findings`} className="!p-0 [&>div:first-child]:px-4 [&>div:first-child]:pt-4">
            {list.error && <ErrorPanel error={list.error} what="findings" onRetry={() => void list.refetch()} />}
            {list.isPending ? (
              <div className="p-4">
                <RowsSkeleton rows={6} />
              </div>
            ) : items.length === 0 ? (
              <div className="p-4">
                <EmptyState title="No findings match these filters.">
                  <p>Findings appear when the analysis (after each batch of events, and every 5 minutes) sees a fault: an idle timeout, TLS interception, a blocked port, an outage, a flapping or offline device, a connection lifetime cap or a scheduled drop.</p>
                  <p>Try status “All”, another site, or a longer range.</p>
                </EmptyState>
              </div>
            ) : (
              <FindingsList items={items} openId={openId} onOpen={(id) => {
                  setFocusDetail(true);
                  set({ open: String(id) });
                }} hrefFor={hrefFor} />
            )}
            {list.hasNextPage && (
              <div className="p-3">
                <button type="button" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage} className="w-full rounded-md border border-slate-300 py-1.5 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800">
                  {list.isFetchingNextPage ? "Loading…" : "Load more"}
                </button>
              </div>
            )}
          </Panel>
        </div>
        <div className="order-first min-w-0 lg:order-none lg:col-span-3">
          {openId === null ? (
            <div className="hidden rounded-lg border border-dashed border-slate-300 p-6 text-sm text-slate-600 lg:block dark:border-slate-700 dark:text-slate-400">
              Open a finding to see the chart that proves it, what to change, and to acknowledge or resolve it.
            </div>
          ) : (
            <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900">
              {opened.error ? (
                <ErrorPanel error={opened.error} what={`finding ${openId}`} onRetry={() => void opened.refetch()} />
              ) : opened.data === undefined ? (
                <RowsSkeleton rows={6} />
              ) : opened.data === null ? (
                <EmptyState title={`There is no finding ${openId}.`}>It may belong to a site you cannot see.</EmptyState>
              ) : (
                <FindingDetail finding={opened.data} canAct={canAct} focus={focusDetail} onClose={() => set({ open: null })} />
              )}
            </div>
          )}
        </div>
      </div>
    </div>
  );
}
