"use client";
// Kaplan-Meier survival: the share of sessions still alive after t (log time axis). A
// middlebox that cuts idle connections shows as a cliff at its timeout.
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { SurvivalCurve } from "@/lib/contract/dashboard";
import { axisSeconds, count, humanDuration } from "@/lib/client/format";
import { CHART } from "./chart-config";
import { ChartFrame } from "./chart-frame";
import type { HistogramMarker } from "./duration-histogram";
import { formatLogTick, logTicks, toLog } from "./log-seconds";
import { TooltipBox } from "./tooltip-box";

export function SurvivalChart({ curve, markers, height = 240 }: { curve: SurvivalCurve; markers: HistogramMarker[]; height?: number }) {
  const last = curve.points.at(-1)?.tS ?? 1;
  const domain: [number, number] = [0, Math.max(toLog(Math.max(last, 10)) + 0.1, ...markers.map((m) => toLog(m.value) + 0.1))];
  const data = curve.points.map((p) => ({ x: p.tS <= 1 ? 0 : toLog(p.tS), pct: p.survival * 100, tS: p.tS, atRisk: p.atRisk }));
  const caption =
    `Share of ${curve.sessions} sessions still connected after a given time, log time axis; ${curve.censored} open or device-closed sessions censored. ` +
    (curve.medianS !== null ? `Half of them ended within ${humanDuration(curve.medianS)}.` : "More than half are still alive at the end.");
  const table = { columns: ["after", "alive", "at risk"], rows: curve.points.map((p) => [axisSeconds(p.tS), `${(p.survival * 100).toFixed(1)} %`, p.atRisk]) };
  return (
    <ChartFrame caption={caption} table={table} height={height} deferTable>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 22, right: 12, bottom: 0, left: 0 }} accessibilityLayer={false}>
          <CartesianGrid stroke={CHART.grid} />
          <XAxis dataKey="x" type="number" domain={domain} ticks={logTicks(domain)} tickFormatter={formatLogTick} tick={{ fill: CHART.axis, fontSize: 12 }} stroke={CHART.grid} />
          <YAxis domain={[0, 100]} ticks={[0, 25, 50, 75, 100]} tickFormatter={(v: number) => `${v}%`} tick={{ fill: CHART.axis, fontSize: 12 }} stroke={CHART.grid} width={44} />
          {markers.map((m) => (
            <ReferenceLine key={m.value} x={toLog(m.value)} stroke={CHART.marker} strokeWidth={1.5} strokeDasharray="4 3" label={{ value: m.label, position: "insideTopRight", fill: CHART.marker, fontSize: 12, dy: -18 }} />
          ))}
          <Tooltip
            content={({ active, payload }) => {
              const p = active ? (payload?.[0]?.payload as (typeof data)[number] | undefined) : undefined;
              if (!p) return null;
              return <TooltipBox title={`after ${axisSeconds(p.tS)}`} rows={[{ label: "still connected", value: `${p.pct.toFixed(1)} %` }, { label: "at risk", value: count(p.atRisk) }]} />;
            }}
          />
          <Line type="stepAfter" dataKey="pct" stroke={CHART.survival} strokeWidth={2} dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
