"use client";
// A device's connections over the window as bars (colour = how each ended; gaps between
// bars are time without a connection), with failed connection attempts and heartbeat
// silences in lanes below. Drawn by hand: a Gantt lane is not a Recharts shape.
import type { DeviceTimeline } from "@/lib/contract/dashboard";
import { humanDuration, shortTime } from "@/lib/client/format";
import { CHART, END_REASON_SERIES, seriesStyle } from "./chart-config";
import { ChartFrame } from "./chart-frame";
import { timeTickLabel, timeTicks } from "./time-ticks";
import { useWidth } from "./use-width";

const LANES = [
  { key: "sessions", label: "Connections", y: 8, h: 28 },
  { key: "failures", label: "Failed attempts", y: 48, h: 14 },
  { key: "gaps", label: "Heartbeat silences", y: 72, h: 14 },
] as const;
const LABEL_W = 116;
const HEIGHT = 116;

export function SessionTimeline({ timeline, now }: { timeline: DeviceTimeline; now: number }) {
  const { ref, width } = useWidth<HTMLDivElement>();
  const from = Date.parse(timeline.from);
  const to = Date.parse(timeline.to);
  const plotW = Math.max(100, width - LABEL_W - 20);
  const x = (t: number) => LABEL_W + ((Math.min(Math.max(t, from), to) - from) / (to - from)) * plotW;
  const reasons = [...new Set(timeline.sessions.map((s) => s.endReason ?? "open"))];
  const caption = `${timeline.sessions.length} connections, ${timeline.failures.length} failed attempts and ${timeline.heartbeats.gaps.length} heartbeat silences between ${shortTime(from)} and ${shortTime(to)} UTC.`;
  const table = {
    columns: ["session", "start (UTC)", "end (UTC)", "lasted", "ended"],
    rows: timeline.sessions.map((s) => [s.session, shortTime(s.start), s.end ? shortTime(s.end) : "open", s.durationS !== null ? humanDuration(s.durationS) : "—", s.endReason ?? "open"]),
  };
  return (
    <div ref={ref}>
      <ChartFrame caption={caption} table={table} height={HEIGHT} deferTable>
        <svg width={width} height={HEIGHT} role="presentation">
          {LANES.map((l) => (
            <text key={l.key} x={0} y={l.y + l.h / 2 + 4} fontSize={12} fill={CHART.axis}>
              {l.label}
            </text>
          ))}
          <rect x={LABEL_W} y={LANES[0].y} width={plotW} height={LANES[0].h} fill={CHART.grid} opacity={0.5} />
          {timeline.sessions.map((s) => {
            const start = Date.parse(s.start);
            const end = s.end ? Date.parse(s.end) : Math.min(now, to);
            const reason = s.endReason ?? "open";
            return (
              <rect key={s.session} x={x(start)} y={LANES[0].y} width={Math.max(1.5, x(end) - x(start))} height={LANES[0].h} fill={seriesStyle(reason, 0).color}>
                <title>{`${s.session}: ${shortTime(start)} – ${s.end ? shortTime(end) : "still open"} (${humanDuration((end - start) / 1000)}), ${END_REASON_SERIES[reason]?.label ?? reason}${s.idleS !== null ? ` after ${humanDuration(s.idleS)} idle` : ""}${s.errno ? `, ${s.errno}` : ""}`}</title>
              </rect>
            );
          })}
          {timeline.failures.map((f, i) => (
            <rect key={i} x={x(Date.parse(f.at)) - 1} y={LANES[1].y} width={2} height={LANES[1].h} fill={CHART.failure}>
              <title>{`${shortTime(f.at)}: ${f.stage} ${f.errno}`}</title>
            </rect>
          ))}
          {timeline.heartbeats.gaps.map((g) => (
            <rect key={g.from} x={x(Date.parse(g.from))} y={LANES[2].y} width={Math.max(2, x(Date.parse(g.to)) - x(Date.parse(g.from)))} height={LANES[2].h} fill="var(--chart-inferred)" opacity={0.7}>
              <title>{`No heartbeat for ${humanDuration(g.seconds)} from ${shortTime(g.from)}`}</title>
            </rect>
          ))}
          {timeTicks(from, to, Math.max(2, Math.floor(plotW / 110))).map((t) => (
            <g key={t}>
              <line x1={x(t)} x2={x(t)} y1={4} y2={HEIGHT - 18} stroke={CHART.grid} />
              <text x={x(t)} y={HEIGHT - 4} fontSize={11} textAnchor="middle" fill={CHART.axis}>
                {timeTickLabel(t)}
              </text>
            </g>
          ))}
        </svg>
      </ChartFrame>
      <ul className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600 dark:text-slate-400" aria-label="Colours">
        {reasons.map((r) => (
          <li key={r} className="flex items-center gap-1.5">
            <span aria-hidden className="h-2.5 w-2.5 rounded-sm" style={{ background: seriesStyle(r, 0).color }} />
            {END_REASON_SERIES[r]?.label ?? r}
          </li>
        ))}
      </ul>
    </div>
  );
}
