// How the dashboard writes times, durations and counts.
import { axisSeconds, count, humanDuration, plural } from "@/lib/analysis/findingText";

export { axisSeconds, count, humanDuration, plural };

const timeFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZone: "UTC" });
const longFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit", timeZone: "UTC" });

/** "26 Nov, 10:04" (UTC, like the findings' texts) */
export function shortTime(iso: string | number): string {
  return timeFormat.format(new Date(iso));
}

export function longTime(iso: string | number): string {
  return `${longFormat.format(new Date(iso))} UTC`;
}

/** "just now", "18 min ago", "2 h 5 min ago", "14 h ago", "3 d ago" */
export function ago(iso: string | number, now = Date.now()): string {
  const s = (now - new Date(iso).getTime()) / 1000;
  if (s < -60) return "in the future";
  if (s < 45) return "just now";
  if (s < 3600) return `${Math.max(1, Math.round(s / 60))} min ago`;
  if (s < 6 * 3600) {
    const minutes = Math.round(s / 60);
    const [h, m] = [Math.floor(minutes / 60), minutes % 60];
    return m ? `${h} h ${m} min ago` : `${h} h ago`;
  }
  if (s < 2 * 86_400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}

export function percent(share: number | null, digits = 0): string {
  return share === null ? "—" : `${(share * 100).toFixed(digits)} %`;
}

