// How the shared report writes times and durations: always UTC and always said so, since
// the reader sits in another company and maybe another time zone.
import { axisSeconds, plural } from "@/lib/analysis/findingText";

export { axisSeconds, plural };

const dateTime = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "UTC" });
const dayMonth = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
const hourMinute = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "UTC" });

/** "26 Nov 2026, 12:00 UTC" */
export function utc(time: string | number): string {
  return `${dateTime.format(new Date(time))} UTC`;
}

/** "19 Nov 2026, 12:00 – 26 Nov 2026, 12:00 UTC" */
export function utcRange(from: string | number, to: string | number): string {
  return `${dateTime.format(new Date(from))} – ${utc(to)}`;
}

/** A time-axis label: "26 Nov" for day buckets, else "26 Nov 14:00" (first) / "14:00". */
export function axisTime(time: string | number, bucketS: number, withDay: boolean): string {
  const d = new Date(time);
  if (bucketS >= 86_400) return dayMonth.format(d);
  return withDay ? `${dayMonth.format(d)} ${hourMinute.format(d)}` : hourMinute.format(d);
}


