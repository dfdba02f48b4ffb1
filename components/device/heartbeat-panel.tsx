// A device's heartbeats over the window: how many arrived per bucket, round-trip times, and
// every silence longer than twice the declared interval.
import { CountSeriesChart } from "@/components/charts/count-series-chart";
import { EmptyState } from "@/components/ui/empty-state";
import { Panel } from "@/components/ui/panel";
import type { DeviceTimeline } from "@/lib/contract/dashboard";
import { count, humanDuration, shortTime } from "@/lib/client/format";

export function HeartbeatPanel({ heartbeats: h }: { heartbeats: DeviceTimeline["heartbeats"] }) {
  return (
    <Panel
      title="Heartbeats"
      description={
        h.intervalS !== null
          ? `${count(h.received)} received; declared every ${humanDuration(h.intervalS)}${h.rttP50Ms !== null ? ` · RTT p50 ${Math.round(h.rttP50Ms)} ms, p95 ${Math.round(h.rttP95Ms ?? 0)} ms` : ""}.`
          : `${count(h.received)} received; no interval declared, so silences cannot be judged.`
      }
    >
      {h.compactedBefore && (
        <p role="note" className="mb-3 text-sm text-amber-800 dark:text-amber-200">
          Before {shortTime(h.compactedBefore)} heartbeats are hourly summaries (raw events purged): counts are exact, but only each hour&apos;s longest
          silence is listed and round-trip times come from the hours&apos; percentiles.
        </p>
      )}
      {h.received === 0 ? (
        <EmptyState title="No heartbeat in this range.">Devices send a heartbeat event with intervalS (the period they promise) and optionally rttMs.</EmptyState>
      ) : (
        <div className="space-y-3">
          <CountSeriesChart series={h.series} noun="heartbeats" height={160} />
          {h.gaps.length === 0 ? (
            <p className="text-sm text-emerald-700 dark:text-emerald-300">No silence longer than twice the interval.</p>
          ) : (
            <div>
              <p className="text-sm font-medium">{h.gaps.length} silence{h.gaps.length === 1 ? "" : "s"} longer than twice the interval</p>
              <ul className="mt-1 max-h-40 space-y-0.5 overflow-auto text-sm tabular-nums">
                {h.gaps
                  .slice()
                  .reverse()
                  .map((g) => (
                    <li key={g.from}>
                      {shortTime(g.from)} – {shortTime(g.to)} <span className="text-slate-600 dark:text-slate-400">({humanDuration(g.seconds)})</span>
                    </li>
                  ))}
              </ul>
            </div>
          )}
        </div>
      )}
    </Panel>
  );
}
