/**
 * scheduled_drop: drops that recur at the same wall-clock time (UTC) on several days — a
 * router's forced daily reconnect, a firewall policy push, a nightly job. A circular window
 * scan over the minute of day compares each 10-minute window with the hour on either
 * side (so a busy hour is not a schedule), then needs an unusual number of drops in that
 * window on more days than chance allows, at least three (so one outage is not a schedule). Run per
 * site and per device (one device's own router); a device finding is dropped when its
 * site's finding already names that time.
 */
import { count, deviceList, plural, scopeLabel } from "./findingText";
import { isDrop, parseScopeId, sessionsByDevice, sessionsByScope, type Explained } from "./scopes";
import { extent, logBinomialTail, logPoissonTail, sortedMedian } from "./statistics";
import type { DraftOf, SessionRecord } from "./types";

export interface ScheduledDropOptions {
  windowMinutes: number;
  minDrops: number;
  minDays: number;
  /** false-alarm probability per site */
  alpha: number;
  /** false-alarm probability for all devices of the fleet together (split among them) */
  deviceAlpha: number;
}

export const DEFAULT_SCHEDULED_DROP_OPTIONS: ScheduledDropOptions = {
  windowMinutes: 10,
  minDrops: 5,
  minDays: 3,
  alpha: 1e-3,
  deviceAlpha: 1e-2,
};

const DAY_MS = 86_400_000;
const DAY_MIN = 1440;
const FLANKS = 6;
/**
 * The "k or more drops in the window on one day" thresholds the day test tries: up to the
 * hundreds for sites (a site-wide cut drops every device), a few for one device.
 */
const SITE_DAILY_KS = [1, 2, 4, 8, 16, 32, 64, 128];
const DEVICE_DAILY_KS = [1, 2, 4];
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
  explained: Explained,
  options: Partial<ScheduledDropOptions> = {},
): { findings: DraftOf<"scheduled_drop">[]; schedules: Schedule[] } {
  const o = { ...DEFAULT_SCHEDULED_DROP_OPTIONS, ...options };
  const schedules: Schedule[] = [];
  // Each session is asked once whether it counts; devices reuse their scope's answer.
  const dropsByDevice = new Map<string, SessionRecord[]>();
  for (const [id, list] of sessionsByScope(sessions)) {
    const { scope, key } = parseScopeId(id);
    const drops = list.filter((s) => isDrop(s) && !explained.has(s));
    for (const d of drops) {
      const own = dropsByDevice.get(d.device);
      if (own) own.push(d);
      else dropsByDevice.set(d.device, [d]);
    }
    const found = schedule(scope, key, drops, observedDays(list), o, o.alpha, SITE_DAILY_KS);
    if (found) schedules.push(found);
  }
  const byDevice = sessionsByDevice(sessions);
  const deviceAlpha = o.deviceAlpha / Math.max(1, byDevice.size);
  for (const [device, drops] of dropsByDevice) {
    if (drops.length < o.minDrops) continue;
    const found = schedule("device", device, drops, observedDays(byDevice.get(device) ?? drops), o, deviceAlpha, DEVICE_DAILY_KS);
    if (!found) continue;
    const site = drops[0].site;
    const covered = schedules.some((s) => s.scope !== "device" && s.site === site && circularDistance(s.minuteOfDay, found.minuteOfDay) <= o.windowMinutes);
    if (!covered) schedules.push(found);
  }
  return { findings: schedules.map(scheduleFinding), schedules };
}

/** Whole days from a scope's first session start to its last session end. */
function observedDays(list: readonly SessionRecord[]): number {
  let first = Infinity;
  let last = -Infinity;
  for (const s of list) {
    first = Math.min(first, s.start);
    last = Math.max(last, s.end ?? s.start);
  }
  return Math.max(1, Math.ceil((last - first) / DAY_MS));
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
function schedule(
  scope: Schedule["scope"],
  key: string,
  drops: SessionRecord[],
  observedDays: number,
  o: ScheduledDropOptions,
  alpha: number,
  dailyKs: readonly number[],
): Schedule | null {
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
    // "Unusual" is k or more drops in the window on one day. Several k are tried (and paid
    // for in the threshold), so quiet scopes pass with k = 1 and busy ones with a higher k;
    // of the passing ones, the k that names the most days is reported.
    let days: string[] = [];
    for (const k of dailyKs) {
      const q = Math.exp(logPoissonTail(k, dailyBackground));
      const hit = [...perDay].filter(([, count]) => count >= k).map(([day]) => day);
      if (hit.length < o.minDays || hit.length <= days.length) continue;
      const logP = logBinomialTail(hit.length, Math.max(observedDays, hit.length), q) + Math.log(dailyKs.length);
      if (logP < threshold) days = hit.sort();
    }
    if (days.length === 0) continue;
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
  // Three copies of the day so windows and flanks wrap around midnight (sorted as built).
  const sorted = Float64Array.from(minutes).sort();
  const ext = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) [ext[i], ext[n + i], ext[2 * n + i]] = [sorted[i] - DAY_MIN, sorted[i], sorted[i] + DAY_MIN];
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

function scheduleFinding(s: Schedule): DraftOf<"scheduled_drop"> {
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
    summary: `${count(s.members.length)} of ${count(s.scopeDrops)} drops at ${where} came around ${hhmm} UTC, on ${plural(devices.size, "device")} and ${s.days.length} different days (${s.days[0]} to ${s.days[s.days.length - 1]}): something on the network restarts on a schedule.`,
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
