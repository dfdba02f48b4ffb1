"use client";
// How long connections were idle before they dropped (or how long they lived), on a log
// time axis. Detected clusters are marked and named; well-known middlebox timeouts are faint
// dashed lines, so a pile at one of them reads as "that is the firewall".
import { Bar, BarChart, CartesianGrid, ReferenceArea, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { DurationsResponse } from "@/lib/contract/read";
import { axisSeconds, count } from "@/lib/client/format";
import { CHART } from "./chart-config";
import { ChartFrame } from "./chart-frame";
import { clusterLabel, formatLogTick, logTicks, nearestReference, REFERENCE_TIMEOUTS, toLog } from "./log-seconds";
import { TooltipBox } from "./tooltip-box";

const STEP = 1 / 12; // log10 width of one server bin (12 per decade)

interface Point {
  x: number;
  fromS: number;
  toS: number;
  count: number;
}

export interface HistogramMarker {
  value: number;
  label: string;
}

export function DurationHistogram({ data, markers, height = 260, noun = "drops" }: { data: DurationsResponse; markers: HistogramMarker[]; height?: number; noun?: string }) {
  const points: Point[] = data.bins.map((b) => ({ ...b, x: b.fromS === 0 ? -STEP / 2 : toLog(Math.sqrt(b.fromS * b.toS)) }));
  const xs = [...points.map((p) => p.x), ...markers.map((m) => toLog(m.value))];
  // Room on the right of the last bin: a cluster at the top value needs space for its label.
  const domain: [number, number] = [Math.min(...xs) - STEP, Math.max(...xs) + 4 * STEP];
  const middle = (domain[0] + domain[1]) / 2;
  const caption =
    `Histogram of ${data.total} ${noun} by ${data.measure === "idle" ? "idle time before the drop" : "session duration"}, log time axis.` +
    (markers.length ? ` Marked: ${markers.map((m) => m.label).join("; ")}.` : " No cluster detected.");
  const table = { columns: ["from", "to", noun], rows: data.bins.filter((b) => b.count > 0).map((b) => [axisSeconds(b.fromS), axisSeconds(b.toS), b.count]) };
  return (
    <ChartFrame caption={caption} table={table} height={height} deferTable>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={points} margin={{ top: 22 + 14 * Math.min(1, Math.max(0, markers.length - 1)), right: 12, bottom: 0, left: 0 }} barCategoryGap={1} accessibilityLayer={false}>
          <CartesianGrid vertical={false} stroke={CHART.grid} />
          <XAxis
            dataKey="x"
            type="number"
            domain={domain}
            ticks={logTicks(domain)}
            tickFormatter={formatLogTick}
            tick={{ fill: CHART.axis, fontSize: 12 }}
            stroke={CHART.grid}
            allowDataOverflow
          />
          <YAxis allowDecimals={false} tick={{ fill: CHART.axis, fontSize: 12 }} stroke={CHART.grid} width={40} />
          {REFERENCE_TIMEOUTS.filter((r) => toLog(r.seconds) > domain[0] && toLog(r.seconds) < domain[1]).map((r) => (
            <ReferenceLine key={r.seconds} x={toLog(r.seconds)} stroke={CHART.reference} strokeDasharray="3 4" strokeOpacity={0.6} />
          ))}
          {markers.map((m) => (
            <ReferenceArea key={`area-${m.value}`} x1={toLog(m.value) - STEP} x2={toLog(m.value) + STEP} fill={CHART.window} fillOpacity={1} />
          ))}
          <Tooltip
            cursor={{ fill: CHART.grid, fillOpacity: 0.5 }}
            content={({ active, payload }) => {
              const p = active ? (payload?.[0]?.payload as Point | undefined) : undefined;
              if (!p) return null;
              const near = nearestReference(Math.sqrt(Math.max(p.fromS, 1) * p.toS));
              const rows = [{ label: noun, value: count(p.count) }];
              if (near) rows.push({ label: "near", value: near.short });
              return <TooltipBox title={p.fromS === 0 ? "under 1 s" : `${axisSeconds(p.fromS)} – ${axisSeconds(p.toS)}`} rows={rows} />;
            }}
          />
          <Bar dataKey="count" fill={CHART.bars} isAnimationActive={false} />
          {markers.map((m, i) => (
            <ReferenceLine
              key={m.value}
              x={toLog(m.value)}
              stroke={CHART.marker}
              strokeWidth={2}
              label={{ value: m.label, position: toLog(m.value) > middle ? "insideTopRight" : "insideTopLeft", fill: CHART.marker, fontSize: 12, fontWeight: 600, offset: 4, dy: -18 - 14 * (i % 2) }}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}

export function clusterMarkers(clusters: DurationsResponse["clusters"]): HistogramMarker[] {
  return clusters.map((c) => ({ value: c.timeoutS, label: clusterLabel(c.timeoutS, c.knownAs) }));
}
