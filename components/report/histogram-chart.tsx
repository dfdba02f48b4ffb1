// Idle time before each drop (or session age) on a log axis, with the detected value marked:
// a firewall's idle timeout shows as one tall bar at one duration. Bins near the marker are
// drawn in the alarm colour, so the cluster is visible in black-and-white print too (label).
import type { DurationsResponse } from "@/lib/contract/read";
import { axisSeconds, plural } from "./format";
import { ChartSvg, CountAxis, PLOT, axisText, niceMax } from "./chart-frame";

const TICKS_S = [1, 10, 60, 300, 900, 1800, 3600, 7200, 21_600, 86_400];

export function HistogramChart({ durations, marker }: { durations: DurationsResponse; marker: { value: number; label: string } }) {
  const bins = durations.bins;
  if (bins.length === 0) return <p className="text-sm text-slate-500">No drops in this window.</p>;
  // At least 10 s to 2 h, so one tall bar reads as "at 15 minutes", not as the whole range.
  const lo = Math.log10(Math.min(10, Math.max(0.5, bins[0].fromS || 0.5), marker.value / 3));
  const hi = Math.log10(Math.max(7200, bins[bins.length - 1].toS, marker.value * 3));
  const x = (s: number) => PLOT.x0 + ((Math.log10(Math.max(s, 0.5)) - lo) / (hi - lo)) * (PLOT.x1 - PLOT.x0);
  const max = niceMax(Math.max(...bins.map((b) => b.count)));
  const y = (n: number) => PLOT.y1 - (n / max) * (PLOT.y1 - PLOT.y0);
  const near = (b: { fromS: number; toS: number }) => b.toS >= marker.value * 0.93 && b.fromS <= marker.value * 1.07;
  const inCluster = bins.filter(near).reduce((sum, b) => sum + b.count, 0);
  const mx = x(marker.value);
  // Right of the line when the label fits there, else left of it (about 6.5 px a character).
  const labelLeft = mx + 6 + marker.label.length * 6.5 > PLOT.x1;
  const description = `${plural(durations.total, "connection")} in the window. ${plural(inCluster, "connection")} ended at about ${axisSeconds(marker.value)}, marked on the chart.`;
  return (
    <ChartSvg title={`Histogram: ${marker.label}`} description={description}>
      <CountAxis max={max} />
      {bins.map((b) => (
        <rect
          key={b.fromS}
          x={x(b.fromS || 0.5) + 0.5}
          width={Math.max(1, x(b.toS) - x(b.fromS || 0.5) - 1)}
          y={y(b.count)}
          height={PLOT.y1 - y(b.count)}
          fill={near(b) ? "#dc2626" : "#94a3b8"}
        >
          <title>{`${axisSeconds(b.fromS)}–${axisSeconds(b.toS)}: ${b.count}`}</title>
        </rect>
      ))}
      {TICKS_S.filter((t) => x(t) >= PLOT.x0 && x(t) <= PLOT.x1).map((t) => (
        <text key={t} x={x(t)} y={PLOT.y1 + 16} textAnchor="middle" className={axisText}>
          {axisSeconds(t)}
        </text>
      ))}
      <text x={(PLOT.x0 + PLOT.x1) / 2} y={PLOT.y1 + 32} textAnchor="middle" className={axisText}>
        idle time before the connection was cut (log scale)
      </text>
      <line x1={mx} x2={mx} y1={PLOT.y0 - 6} y2={PLOT.y1} stroke="#dc2626" strokeWidth={1.5} strokeDasharray="4 3" />
      <text x={labelLeft ? mx - 6 : mx + 6} y={PLOT.y0 - 10} textAnchor={labelLeft ? "end" : "start"} className="fill-red-700 text-[12px] font-semibold dark:fill-red-400 print:fill-red-700">
        {marker.label}
      </text>
    </ChartSvg>
  );
}
