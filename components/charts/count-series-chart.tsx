"use client";
// Counts over time, stacked by series (end reasons, errnos, heartbeats), in the buckets the
// server chose — empty buckets are real zeros, so quiet stretches show as quiet.
import { Bar, BarChart, CartesianGrid, Legend, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { CountSeries } from "@/lib/contract/dashboard";
import { count, shortTime } from "@/lib/client/format";
import { CHART, seriesStyle } from "./chart-config";
import { ChartFrame } from "./chart-frame";
import { timeTickLabel, timeTicks } from "./time-ticks";
import { useWidth } from "./use-width";
import { TooltipBox } from "./tooltip-box";

type Row = { t: number } & Record<string, number>;

export function CountSeriesChart({
  series,
  noun,
  height = 220,
  window,
  keys,
}: {
  series: CountSeries;
  noun: string;
  height?: number;
  /** a stretch to shade (an outage) */
  window?: { from: string; to: string | null } | null;
  /** series to draw, in stack order (default: all, most frequent at the bottom) */
  keys?: readonly string[];
}) {
  const { ref, width } = useWidth<HTMLDivElement>(600);
  const shown = (keys ?? series.keys).filter((k) => series.keys.includes(k));
  const size = series.bucketS * 1000;
  const rows: Row[] = series.buckets.map((b) => ({ t: Date.parse(b.t), ...b.counts }) as Row);
  const first = rows[0]?.t ?? Date.parse(series.from);
  const end = (rows.at(-1)?.t ?? first) + size;
  const styles = shown.map((k, i) => ({ key: k, ...seriesStyle(k, i) }));
  const bucketLabel = series.bucketS >= 3600 ? `${series.bucketS / 3600} h` : `${series.bucketS / 60} min`;
  const caption = `${count(series.total)} ${noun} from ${shortTime(series.from)} to ${shortTime(series.to)} UTC in ${bucketLabel} buckets${
    styles.length ? `: ${styles.map((s) => `${s.label} ${count(rows.reduce((n, r) => n + (r[s.key] ?? 0), 0))}`).join(", ")}` : ""
  }.`;
  const table = {
    columns: ["bucket (UTC)", ...styles.map((s) => s.label)],
    rows: rows.filter((r) => styles.some((s) => r[s.key] > 0)).map((r) => [shortTime(r.t), ...styles.map((s) => r[s.key] ?? 0)]),
  };
  return (
    <div ref={ref} className="min-w-0">
    <ChartFrame caption={caption} table={table} height={height} deferTable>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={rows} margin={{ top: 8, right: 12, bottom: 0, left: 0 }} barCategoryGap={1} accessibilityLayer={false}>
          <CartesianGrid vertical={false} stroke={CHART.grid} />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={[first - size / 2, end - size / 2]}
            ticks={timeTicks(first, end - size, Math.max(3, Math.floor(width / 90)))}
            tickFormatter={timeTickLabel}
            tick={{ fill: CHART.axis, fontSize: 12 }}
            stroke={CHART.grid}
            minTickGap={24}
          />
          <YAxis allowDecimals={false} tick={{ fill: CHART.axis, fontSize: 12 }} stroke={CHART.grid} width={40} />
          {window && <ReferenceArea x1={Date.parse(window.from)} x2={window.to ? Date.parse(window.to) : end} fill={CHART.window} fillOpacity={1} ifOverflow="hidden" />}
          <Tooltip
            cursor={{ fill: CHART.grid, fillOpacity: 0.5 }}
            content={({ active, payload }) => {
              const r = active ? (payload?.[0]?.payload as Row | undefined) : undefined;
              if (!r) return null;
              const rowsShown = styles.filter((s) => (r[s.key] ?? 0) > 0).map((s) => ({ label: s.label, value: count(r[s.key]), color: s.color }));
              return <TooltipBox title={`${shortTime(r.t)} UTC`} rows={rowsShown.length ? rowsShown : [{ label: "none", value: "0" }]} />;
            }}
          />
          {styles.length > 1 && <Legend wrapperStyle={{ fontSize: 12 }} iconType="square" iconSize={10} />}
          {styles.map((s) => (
            <Bar key={s.key} dataKey={s.key} name={s.label} stackId="all" fill={s.color} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </ChartFrame>
    </div>
  );
}
