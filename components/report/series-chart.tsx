// Counts over time as stacked bars, one colour per reason or error, with the stretch a
// finding is about shaded (an outage's start to its end). Empty buckets stay as gaps.
import type { CountSeries } from "@/lib/contract/dashboard";
import { axisTime, plural, utc } from "./format";
import { ChartSvg, CountAxis, Legend, PLOT, axisText, gridLine, niceMax, seriesColor } from "./chart-frame";

const LABELS: Record<string, string> = {
  reset: "reset by the network",
  timeout: "timed out",
  error: "error",
  unknown: "unknown",
  inferred: "went silent",
  server_closed: "closed by the server",
  client_closed: "closed by the device",
  superseded: "replaced by a new connection",
};

export function SeriesChart({ series, window, unit }: { series: CountSeries; window: { from: string; to: string | null } | null; unit: string }) {
  if (series.total === 0) return <p className="text-sm text-slate-600 dark:text-slate-300">None in this period ({utc(series.from)} to {utc(series.to)}).</p>;
  const from = Date.parse(series.buckets[0]?.t ?? series.from);
  const to = Date.parse(series.to);
  const x = (t: number) => PLOT.x0 + ((t - from) / Math.max(1, to - from)) * (PLOT.x1 - PLOT.x0);
  const width = Math.max(1, x(from + series.bucketS * 1000) - x(from) - 1);
  const totals = series.buckets.map((b) => series.keys.reduce((sum, k) => sum + (b.counts[k] ?? 0), 0));
  const max = niceMax(Math.max(0, ...totals));
  const y = (n: number) => ((PLOT.y1 - PLOT.y0) * n) / max;
  const ticks = timeTicks(from, to, series.bucketS);
  const colors = series.keys.map((k, i) => ({ key: k, label: LABELS[k] ?? k, color: seriesColor(k, i) }));
  const shade = window ? { x0: Math.max(PLOT.x0, x(Date.parse(window.from))), x1: Math.min(PLOT.x1, x(window.to ? Date.parse(window.to) : to)) } : null;
  const description =
    `${plural(series.total, unit)} from ${utc(series.from)} to ${utc(series.to)}` +
    (series.keys.length ? `: ${colors.map((c) => `${c.label} ${series.buckets.reduce((s, b) => s + (b.counts[c.key] ?? 0), 0)}`).join(", ")}.` : ".");
  return (
    <div>
      <ChartSvg title={`${unit} over time`} description={description}>
        {shade && shade.x1 > shade.x0 && <rect x={shade.x0} width={shade.x1 - shade.x0} y={PLOT.y0} height={PLOT.y1 - PLOT.y0} fill="#f59e0b" opacity={0.15} />}
        <CountAxis max={max} />
        {ticks.map((t) => (
          <g key={t.at}>
            <line x1={x(t.at)} x2={x(t.at)} y1={PLOT.y1} y2={PLOT.y1 + 4} className={gridLine} />
            <text x={x(t.at)} y={PLOT.y1 + 16} textAnchor="middle" className={axisText}>
              {t.label}
            </text>
          </g>
        ))}
        {series.buckets.map((b) => {
          let base = PLOT.y1;
          return (
            <g key={b.t}>
              {colors.map((c) => {
                const n = b.counts[c.key] ?? 0;
                if (n === 0) return null;
                base -= y(n);
                return <rect key={c.key} x={x(Date.parse(b.t)) + 0.5} width={width} y={base} height={y(n)} fill={c.color} />;
              })}
            </g>
          );
        })}
        <text x={PLOT.x1} y={PLOT.y1 + 32} textAnchor="end" className={axisText}>
          time (UTC), {unit} per {series.bucketS >= 3600 ? `${series.bucketS / 3600} h` : `${series.bucketS / 60} min`}
        </text>
      </ChartSvg>
      <Legend items={[...colors, ...(shade ? [{ key: "_window", label: "the outage", color: "rgba(245,158,11,0.35)" }] : [])]} />
    </div>
  );
}

const DAY = 86_400_000;

/** Axis ticks: midnights (UTC) over two days or more, else about six round bucket starts. */
function timeTicks(from: number, to: number, bucketS: number): Array<{ at: number; label: string }> {
  const span = to - from;
  if (span >= 2 * DAY) {
    const every = Math.max(1, Math.ceil(span / DAY / 8)) * DAY;
    const ticks: Array<{ at: number; label: string }> = [];
    for (let t = Math.ceil(from / DAY) * DAY; t < to; t += every) ticks.push({ at: t, label: axisTime(t, 86_400, false) });
    return ticks;
  }
  const every = Math.max(1, Math.ceil(span / (bucketS * 1000) / 6)) * bucketS * 1000;
  const ticks: Array<{ at: number; label: string }> = [];
  for (let t = Math.ceil(from / every) * every; t < to; t += every) ticks.push({ at: t, label: axisTime(t, bucketS, ticks.length === 0) });
  return ticks;
}
