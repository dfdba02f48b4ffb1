"use client";
// Drops folded onto one day (UTC): a drop that recurs at the same minute stands out as a spike.
import { Bar, BarChart, CartesianGrid, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { count } from "@/lib/client/format";
import { CHART } from "./chart-config";
import { ChartFrame } from "./chart-frame";
import { TooltipBox } from "./tooltip-box";

const hhmm = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;

export function TimeOfDayChart({ bins, binMinutes, marker, height = 220 }: { bins: Array<{ minute: number; count: number }>; binMinutes: number; marker: { minute: number; label: string }; height?: number }) {
  const data = bins.map((b) => ({ x: b.minute + binMinutes / 2, ...b }));
  const total = bins.reduce((n, b) => n + b.count, 0);
  const caption = `${total} abnormal drops by time of day (UTC, ${binMinutes}-minute bins); marked: ${marker.label}.`;
  const table = { columns: ["from (UTC)", "drops"], rows: bins.filter((b) => b.count > 0).map((b) => [hhmm(b.minute), b.count]) };
  return (
    <ChartFrame caption={caption} table={table} height={height} deferTable>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 22, right: 12, bottom: 0, left: 0 }} barCategoryGap={1} accessibilityLayer={false}>
          <CartesianGrid vertical={false} stroke={CHART.grid} />
          <XAxis dataKey="x" type="number" domain={[0, 1440]} ticks={[0, 180, 360, 540, 720, 900, 1080, 1260, 1440]} tickFormatter={(m: number) => hhmm(m % 1440)} tick={{ fill: CHART.axis, fontSize: 12 }} stroke={CHART.grid} />
          <YAxis allowDecimals={false} tick={{ fill: CHART.axis, fontSize: 12 }} stroke={CHART.grid} width={40} />
          <Tooltip
            cursor={{ fill: CHART.grid, fillOpacity: 0.5 }}
            content={({ active, payload }) => {
              const p = active ? (payload?.[0]?.payload as (typeof data)[number] | undefined) : undefined;
              return p ? <TooltipBox title={`${hhmm(p.minute)}–${hhmm(p.minute + binMinutes)} UTC`} rows={[{ label: "drops", value: count(p.count) }]} /> : null;
            }}
          />
          <Bar dataKey="count" fill={CHART.bars} isAnimationActive={false} />
          <ReferenceLine x={marker.minute} stroke={CHART.marker} strokeWidth={2} label={{ value: marker.label, position: "insideTopLeft", fill: CHART.marker, fontSize: 12, fontWeight: 600, dy: -18 }} />
        </BarChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
