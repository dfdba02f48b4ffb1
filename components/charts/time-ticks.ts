// Tick marks for a time axis at round UTC moments (every 10 min, 3 h, a day...), labelled
// "HH:MM", or the date at midnight.
import { shortTime } from "@/lib/client/format";

const STEPS_MIN = [5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 7 * 1440];

export function timeTicks(from: number, to: number, maxTicks: number): number[] {
  const step = (STEPS_MIN.find((m) => (to - from) / (m * 60_000) <= maxTicks) ?? STEPS_MIN.at(-1)!) * 60_000;
  const out: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) out.push(t);
  return out;
}

export function timeTickLabel(t: number): string {
  const hhmm = new Date(t).toISOString().slice(11, 16);
  return hhmm === "00:00" ? shortTime(t).split(",")[0] : hhmm;
}
