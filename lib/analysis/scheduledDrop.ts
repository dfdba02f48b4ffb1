/**
 * scheduled_drop: drops that recur at the same wall-clock time (UTC) on several days — a
 * router's forced daily reconnect, a firewall policy push, a nightly job. A circular window
 * scan over the minute of day compares each 10-minute window with the hour on either
 * side (so a busy hour is not a schedule), then needs an unusual number of drops in that
 * window on more days than chance allows, at least three (so one outage is not a schedule). Run per
 * site and per device (one device's own router); a device finding is dropped when its
 * site's finding already names that time.
 */
import { deviceList, plural, scopeLabel } from "./findingText";
import { isDrop, ownScope } from "./scopes";
import { extent, logBinomialTail, logPoissonTail, sortedMedian } from "./statistics";
import type { FindingDraft, SessionRecord } from "./types";

export interface ScheduledDropOptions {
  windowMinutes: number;
  minDrops: number;
  minDays: number;
  alpha: number;
}

export const DEFAULT_SCHEDULED_DROP_OPTIONS: ScheduledDropOptions = { windowMinutes: 10, minDrops: 5, minDays: 3, alpha: 1e-3 };

const DAY_MS = 86_400_000;
const DAY_MIN = 1440;
const FLANKS = 6;
/** a window is a candidate below this per-window tail probability; the day test decides */
const CANDIDATE_P = 0.01;

export interface Schedule {
  scope: "site" | "publicIp" | "device";
  key: string;
  site: string | null;
  /** minutes after midnight UTC */
  minuteOfDay: number;
  members: SessionRecord[];
  days: string[];
  scopeDrops: number;
}

export function detectScheduledDrops(
  sessions: readonly SessionRecord[],
  explained: ReadonlySet<SessionRecord>,
  options: Partial<ScheduledDropOptions> = {},
): { findings: FindingDraft[]; schedules: Schedule[] } {
  const o = { ...DEFAULT_SCHEDULED_DROP_OPTIONS, ...options };
  const byScope = new Map<string, SessionRecord[]>();
  const byDevice = new Map<string, SessionRecord[]>();
  const spans = new Map<string, [number, number]>();
  for (const s of sessions) {
    const { scope, key } = ownScope(s);
    const id = `${scope}\u0000${key}`;
    for (const k of [id, s.device]) {
      const span = spans.get(k);
      const end = s.end ?? s.start;
      if (span) spans.set(k, [Math.min(span[0], s.start), Math.max(span[1], end)]);
      else spans.set(k, [s.start, end]);
    }
    if (!isDrop(s) || explained.has(s)) continue;
    push(byScope, id, s);
    push(byDevice, s.device, s);
  }
  const observedDays = (k: string) => {
    const [a, b] = spans.get(k) ?? [0, 0];
    return Math.max(1, Math.ceil((b - a) / DAY_MS));
  };
  const schedules: Schedule[] = [];
  for (const [id, drops] of byScope) {
    const [scope, key] = id.split("\u0000") as Schedule["scope"][];
    const found = schedule(scope, key, drops, observedDays(id), o, o.alpha);
    if (found) schedules.push(found);
  }
  const deviceAlpha = o.alpha / Math.max(1, byDevice.size);
  for (const [device, drops] of byDevice) {
    const found = schedule("device", device, drops, observedDays(device), o, deviceAlpha);
    if (!found) continue;
    const site = drops[0].site;
    const covered = schedules.some((s) => s.scope !== "device" && s.site === site && circularDistance(s.minuteOfDay, found.minuteOfDay) <= o.windowMinutes);
    if (!covered) schedules.push(found);
  }
  return { findings: schedules.map(scheduleFinding), schedules };
}

function push(map: Map<string, SessionRecord[]>, key: string, s: SessionRecord): void {
  const list = map.get(key);
  if (list) list.push(s);
  else map.set(key, [s]);
}

export function circularDistance(a: number, b: number): number {
  const d = Math.abs(a - b) % DAY_MIN;
  return Math.min(d, DAY_MIN - d);
}

function minuteOf(ms: number): number {
  return (((ms % DAY_MS) + DAY_MS) % DAY_MS) / 60_000;
}

interface Window {
  start: number;
  logP: number;
  background: number;
}

/**
 * Two tests: the window holds more drops than its flanks suggest (a peak), and — so that one
 * big burst (an outage) is not a schedule — more days than chance have an unusual number of
 * drops in it, given the background rate per day.
 */
function schedule(scope: Schedule["scope"], key: string, drops: SessionRecord[], observedDays: number, o: ScheduledDropOptions, alpha: number): Schedule | null {
  const n = drops.length;
  if (n < o.minDrops) return null;
  const minutes = drops.map((s) => minuteOf(s.end as number));
  const threshold = Math.log(alpha / (DAY_MIN / o.windowMinutes));
  for (const w of peakWindows(minutes, o, Math.log(CANDIDATE_P)).sort((a, b) => a.logP - b.logP)) {
    const members = drops.filter((_, i) => inWindow(minutes[i], w.start, o.windowMinutes));
    const perDay = new Map<string, number>();
    for (const m of members) {
      const day = new Date(m.end as number).toISOString().slice(0, 10);
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
    }
    const dailyBackground = w.background / observedDays;
    let unusual = 1;
    while (Math.exp(logPoissonTail(unusual, dailyBackground)) > 0.05) unusual++;
    const days = [...perDay].filter(([, count]) => count >= unusual).map(([day]) => day).sort();
    const q = Math.exp(logPoissonTail(unusual, dailyBackground));
    if (days.length < o.minDays || logBinomialTail(days.length, Math.max(observedDays, days.length), q) >= threshold) continue;
    // Unwrapped past midnight so the median of a window across 00:00 is right.
    const inside = Float64Array.from(members.map((m) => minuteOf(m.end as number))).map((m) => (m < w.start ? m + DAY_MIN : m)).sort();
    const minuteOfDay = ((sortedMedian(inside) % DAY_MIN) + DAY_MIN) % DAY_MIN;
    return { scope, key, site: drops[0].site, minuteOfDay, members, days, scopeDrops: n };
  }
  return null;
}

function inWindow(minute: number, start: number, width: number): boolean {
  const offset = (((minute - start) % DAY_MIN) + DAY_MIN) % DAY_MIN;
  return offset <= width;
}

/** The most significant window of each run of windows that stand out from their flanks. */
function peakWindows(minutes: readonly number[], o: ScheduledDropOptions, threshold: number): Window[] {
  const n = minutes.length;
  // Three copies of the day so windows and flanks wrap around midnight.
  const ext = Float64Array.from([...minutes.map((m) => m - DAY_MIN), ...minutes, ...minutes.map((m) => m + DAY_MIN)]).sort();
  const w = o.windowMinutes;
  const floor = (n * w) / DAY_MIN;
  const runs: Window[] = [];
  let best: Window | null = null;
  let lastPassing = -2;
  let end = 0;
  let left = 0;
  let right = 0;
  for (let i = 0; i < ext.length; i++) {
    const x = ext[i];
    if (x < 0 || x >= DAY_MIN) continue;
    if (end < i) end = i;
    while (end < ext.length && ext[end] <= x + w) end++;
    const count = end - i;
    if (count < o.minDrops) continue;
    while (ext[left] < x - FLANKS * w) left++;
    if (right < end) right = end;
    while (right < ext.length && ext[right] <= x + (FLANKS + 1) * w) right++;
    const background = Math.max((Math.max(i - left, right - end) + 0.5) / FLANKS, floor);
    const logP = logPoissonTail(count, background);
    if (logP >= threshold) continue;
    const candidate = { start: x, logP, background };
    if (best && i - lastPassing <= 1) {
      if (logP < best.logP) best = candidate;
    } else {
      if (best) runs.push(best);
      best = candidate;
    }
    lastPassing = i;
  }
  if (best) runs.push(best);
  return runs;
}

export function timeOfDay(minuteOfDay: number): string {
  const m = Math.round(minuteOfDay) % DAY_MIN;
  return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
}

function scheduleFinding(s: Schedule): FindingDraft {
  const devices = new Set(s.members.map((m) => m.device));
  const where = scopeLabel(s.scope, s.key);
  const hhmm = timeOfDay(s.minuteOfDay);
  const [first, last] = extent(s.members.map((m) => m.end as number));
  return {
    kind: "scheduled_drop",
    scope: s.scope,
    scopeKey: s.key,
    site: s.site,
    device: s.scope === "device" ? s.key : null,
    severity: "warning",
    title: `Connections drop daily around ${hhmm} UTC at ${where}`,
    summary: `${s.members.length} of ${s.scopeDrops} drops at ${where} came around ${hhmm} UTC, on ${plural(devices.size, "device")} and ${s.days.length} different days (${s.days[0]} to ${s.days[s.days.length - 1]}): something on the network restarts on a schedule.`,
    recommendation: `Ask IT what runs at ${hhmm} UTC (a router's forced daily reconnect, a firewall policy push, a nightly reboot or backup job) and move it or exempt the devices' connections; devices reconnect on their own, but anything sent during the drop may be delayed.`,
    evidence: {
      timeOfDay: hhmm,
      days: s.days,
      dayCount: s.days.length,
      drops: s.members.length,
      share: Math.round((s.members.length / s.scopeDrops) * 1000) / 1000,
      affectedDevices: deviceList(devices),
      affectedDeviceCount: devices.size,
    },
    firstSeen: first,
    lastSeen: last,
  };
}
