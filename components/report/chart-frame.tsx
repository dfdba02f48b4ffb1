// The frame every report chart draws in: a fixed viewBox that scales to the page (and to
// A4 or Letter when printed), axis text and grid lines readable in light, dark and print.
import { seriesStyle } from "@/components/charts/chart-config";

export const CHART = { width: 720, height: 220, left: 48, right: 16, top: 24, bottom: 36 };
export const PLOT = { x0: CHART.left, x1: CHART.width - CHART.right, y0: CHART.top, y1: CHART.height - CHART.bottom };

export const axisText = "fill-slate-500 text-[11px] dark:fill-slate-400 print:fill-slate-600";
export const gridLine = "stroke-slate-200 dark:stroke-slate-800 print:stroke-slate-200";

/** The dashboard's series colours (components/charts/chart-config.ts), so a legend means the same everywhere. */
export function seriesColor(key: string, index: number): string {
  return seriesStyle(key, index).color;
}

/** A round upper bound for a count axis: 1, 2, 5, 10, 20, 50, ... */
export function niceMax(max: number): number {
  if (max <= 1) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  return ([1, 2, 5, 10].find((m) => m * p >= max) ?? 10) * p;
}

export function ChartSvg({ title, description, children }: { title: string; description: string; children: React.ReactNode }) {
  return (
    <svg viewBox={`0 0 ${CHART.width} ${CHART.height}`} role="img" className="h-auto w-full max-w-full" preserveAspectRatio="xMidYMid meet">
      <title>{title}</title>
      <desc>{description}</desc>
      {children}
    </svg>
  );
}

/** Horizontal grid lines with their counts, 0 to max. */
export function CountAxis({ max }: { max: number }) {
  const ticks = [0, max / 2, max];
  const y = (v: number) => PLOT.y1 - (v / max) * (PLOT.y1 - PLOT.y0);
  return (
    <g>
      {ticks.map((t) => (
        <g key={t}>
          <line x1={PLOT.x0} x2={PLOT.x1} y1={y(t)} y2={y(t)} className={gridLine} />
          <text x={PLOT.x0 - 6} y={y(t) + 4} textAnchor="end" className={axisText}>
            {Number.isInteger(t) ? t.toLocaleString("en-US") : ""}
          </text>
        </g>
      ))}
    </g>
  );
}

export function Legend({ items }: { items: Array<{ key: string; label: string; color: string }> }) {
  if (items.length === 0) return null;
  return (
    <ul className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600 dark:text-slate-300 print:text-slate-700">
      {items.map((i) => (
        <li key={i.key} className="flex items-center gap-1.5">
          <span aria-hidden className="inline-block h-2.5 w-2.5 rounded-sm" style={{ backgroundColor: i.color }} />
          {i.label}
        </li>
      ))}
    </ul>
  );
}
