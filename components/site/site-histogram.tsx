"use client";
// The site's headline chart: idle time before each drop (or session durations) on a log
// axis, with the detected clusters named and well-known timeouts as faint lines.
import type { UseQueryResult } from "@tanstack/react-query";
import { DurationHistogram, type HistogramMarker } from "@/components/charts/duration-histogram";
import { EmptyState } from "@/components/ui/empty-state";
import { Panel } from "@/components/ui/panel";
import { QueryView } from "@/components/ui/query-view";
import { ChartSkeleton } from "@/components/ui/skeleton";
import type { DurationsResponse } from "@/lib/contract/read";
import { count, percent } from "@/lib/client/format";

const MEASURES = [
  { key: "idle", label: "Idle before drop" },
  { key: "duration", label: "Connection duration" },
] as const;

export function SiteHistogram({
  durations,
  measure,
  onMeasure,
  markers,
}: {
  durations: UseQueryResult<DurationsResponse>;
  measure: "idle" | "duration";
  onMeasure: (m: "idle" | "duration") => void;
  markers: HistogramMarker[];
}) {
  const clusters = durations.data?.clusters ?? [];
  return (
    <Panel
      title={measure === "idle" ? "When idle connections die" : "How long connections last"}
      description={
        measure === "idle"
          ? "Idle time before each abnormal drop (reset, timeout, error). A pile at one value is a middlebox idle timeout. Dashed lines: well-known defaults."
          : "Age of every connection that ended. Dashed lines: well-known idle timeouts."
      }
      actions={
        <div role="group" aria-label="Measure" className="inline-flex overflow-hidden rounded-md border border-slate-300 text-sm dark:border-slate-700">
          {MEASURES.map((m) => (
            <button
              key={m.key}
              type="button"
              aria-pressed={measure === m.key}
              onClick={() => onMeasure(m.key)}
              className={`px-2.5 py-1 focus-visible:relative focus-visible:outline-2 focus-visible:outline-sky-600 ${measure === m.key ? "bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900" : "bg-white hover:bg-slate-100 dark:bg-slate-900 dark:hover:bg-slate-800"}`}
            >
              {m.label}
            </button>
          ))}
        </div>
      }
    >
      <QueryView query={durations} what="the histogram" skeleton={<ChartSkeleton height={260} />}>
        {(data) =>
          data.total === 0 ? (
            <EmptyState title={measure === "idle" ? "No abnormal drops in this range." : "No connection ended in this range."}>
              {measure === "idle" ? "Good news — or devices do not report disconnects yet: send a disconnect event with reason and idleS when a connection ends." : "Widen the range."}
            </EmptyState>
          ) : (
            <>
              <DurationHistogram data={data} markers={markers} noun={measure === "idle" ? "drops" : "connections"} />
              {clusters.length > 0 && (
                <ul className="mt-2 space-y-1 text-sm" aria-label="Detected clusters">
                  {clusters.map((c, i) => (
                    <li key={c.timeoutS} className="flex flex-wrap items-baseline gap-x-2">
                      <span aria-hidden className="inline-block h-3 w-0.5 bg-rose-600 dark:bg-rose-400" />
                      <span className="font-medium text-rose-700 dark:text-rose-300">{markers[i]?.label}</span>
                      <span className="text-slate-600 dark:text-slate-400">
                        {count(c.drops)} drops ({percent(c.share)} of the site&apos;s drops) ·{" "}
                        {c.mode === "reset" ? "connections are reset at it" : c.mode === "silent" ? "silently forgotten: no connection survives longer idle" : "measured by the probe"}
                        {c.knownAs ? ` · ${c.knownAs}` : ""}
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </>
          )
        }
      </QueryView>
    </Panel>
  );
}
