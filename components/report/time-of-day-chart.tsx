// Drops by time of day (UTC), 24 hours across, with the recurring moment marked.
import { plural } from "./format";
import { ChartSvg, CountAxis, PLOT, axisText, niceMax } from "./chart-frame";

export function TimeOfDayChart({ bins, binMinutes, marker }: { bins: Array<{ minute: number; count: number }>; binMinutes: number; marker: { minute: number; label: string } }) {
  const x = (minute: number) => PLOT.x0 + (minute / 1440) * (PLOT.x1 - PLOT.x0);
  const max = niceMax(Math.max(0, ...bins.map((b) => b.count)));
  const y = (n: number) => PLOT.y1 - (n / max) * (PLOT.y1 - PLOT.y0);
  const total = bins.reduce((s, b) => s + b.count, 0);
  return (
    <ChartSvg title="Drops by time of day (UTC)" description={`${plural(total, "drop")} by time of day; most at ${marker.label}.`}>
      <CountAxis max={max} />
      {bins.map((b) => (
        <rect key={b.minute} x={x(b.minute) + 0.5} width={Math.max(1, x(binMinutes) - x(0) - 1)} y={y(b.count)} height={PLOT.y1 - y(b.count)} fill={Math.abs(b.minute - marker.minute) < binMinutes ? "#dc2626" : "#94a3b8"} />
      ))}
      {[0, 3, 6, 9, 12, 15, 18, 21, 24].map((h) => (
        <text key={h} x={x(h * 60)} y={PLOT.y1 + 16} textAnchor="middle" className={axisText}>
          {`${String(h).padStart(2, "0")}:00`}
        </text>
      ))}
      <text x={x(marker.minute) + 6} y={PLOT.y0 - 10} className="fill-red-700 text-[12px] font-semibold dark:fill-red-400 print:fill-red-700">
        {marker.label}
      </text>
    </ChartSvg>
  );
}
