/** Wording shared by the detectors' titles and summaries. */

/** "45 s", "15 min", "16.7 min", "2 h 4 min", "1 d" */
export function humanDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 120) return `${s} s`;
  if (s < 7200) {
    const min = s / 60;
    return Number.isInteger(min) ? `${min} min` : `${min.toFixed(1)} min`;
  }
  if (s < 172800) {
    const h = Math.floor(s / 3600);
    const min = Math.round((s - h * 3600) / 60);
    return min === 0 ? `${h} h` : `${h} h ${min} min`;
  }
  return `${(s / 86400).toFixed(1).replace(/\.0$/, "")} d`;
}

/** "12,762" */
export function count(n: number): string {
  return n.toLocaleString("en-US");
}

/** Seconds on a log axis: "1 s", "1 min", "15 min", "1 h", "1 d" */
export function axisSeconds(s: number): string {
  if (s < 60) return `${Math.round(s)} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  if (s < 86_400) return `${Math.round((s / 3600) * 10) / 10} h`;
  return `${Math.round((s / 86_400) * 10) / 10} d`;
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${count(n)} ${n === 1 ? word : many}`;
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** "2026-11-26 10:04 UTC" for summaries */
export function readableTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** Evidence keeps at most this many device ids; the count is reported separately. */
export const MAX_LISTED_DEVICES = 100;

export function deviceList(devices: Iterable<string>): string[] {
  return [...new Set(devices)].sort().slice(0, MAX_LISTED_DEVICES);
}

export function percent(share: number): string {
  return `${Math.round(share * 100)} %`;
}

/** Where a finding applies, for titles: "site hamburg", "egress 203.0.113.7". */
export function scopeLabel(scope: "site" | "publicIp" | "device" | "fleet", key: string): string {
  switch (scope) {
    case "site":
      return `site ${key}`;
    case "publicIp":
      return `egress ${key}`;
    case "device":
      return `device ${key}`;
    case "fleet":
      return "the whole fleet";
  }
}
