/**
 * scheduled_drop: drops that recur at the same wall-clock time (UTC) on several days — a
 * router's forced daily reconnect, a firewall policy push, a nightly job. A circular window
 * scan over the minute of day compares each 10-minute window with the hour on either
 * side (so a busy hour is not a schedule), then needs an unusual number of drops in that
 * window on more days than chance allows, at least three (so one outage is not a schedule). Run per
 * site and per device (one device's own router); a device finding is dropped when its
 * site's finding already names that time.
 */
import { DAY_MS, type DigestRow, type ScopeDigest } from "./digest";
import { count, deviceList, plural, scopeLabel } from "./findingText";
import type { ExplainedByIdleRanges } from "./idleTimeoutFindings";
import { isDrop, ownScope, type Explained } from "./scopes";
import { logBinomialTail, logPoissonTail, sortedMedian } from "./statistics";
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

/** Drops as the scan sees them: the whole minute of day they ended in, their day, how many. */
export interface ClockPoint {
  minute: number;
  day: number;
  n: number;
}

export interface Schedule {
  scope: "site" | "publicIp" | "device";
  key: string;
  site: string | null;
  /** minutes after midnight UTC */
  minuteOfDay: number;
  /** the scanned window: its first minute, and the drops' days in it */
  windowStart: number;
  days: string[];
  /** drops in the window */
  drops: number;
  scopeDrops: number;
  /** the drops' devices, known once the window's sessions are read (`withDetails`) */
  devices: Set<string>;
  first: number;
  last: number;
}

/** The minute of day a drop counts at. */
export function clockMinute(ms: number): number {
  return Math.floor((((ms % DAY_MS) + DAY_MS) % DAY_MS) / 60_000);
}

function rawPoints(drops: readonly SessionRecord[]): ClockPoint[] {
  return drops.map((s) => ({ minute: clockMinute(s.end as number), day: Math.floor((s.end as number) / DAY_MS), n: 1 }));
}

/** Days from a list's first ending to its last, counting both (at least one). */
function daysSpanned(days: Iterable<number>): number {
  let first = Infinity;
  let last = -Infinity;
  for (const d of days) {
    first = Math.min(first, d);
    last = Math.max(last, d);
  }
  return Number.isFinite(first) ? last - first + 1 : 1;
}

/** Schedules of these sessions, per own scope and per device (the raw path, also the whole of it for a session list). */
export function detectScheduledDrops(
  sessions: readonly SessionRecord[],
  explained: Explained,
  options: Partial<ScheduledDropOptions> = {},
): { findings: DraftOf<"scheduled_drop">[]; schedules: Schedule[] } {
  const o = { ...DEFAULT_SCHEDULED_DROP_OPTIONS, ...options };
  const byScope = new Map<string, SessionRecord[]>();
  const byDevice = new Map<string, SessionRecord[]>();
  for (const s of sessions) {
    const { scope, key } = ownScope(s);
    push(byScope, `${scope}\u0000${key}`, s);
    push(byDevice, s.device, s);
  }
  const schedules: Schedule[] = [];
  for (const [id, list] of [...byScope].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const found = rawScopeSchedule(id, list, explained, o);
    if (found) schedules.push(found);
  }
  schedules.push(...deviceSchedules(byDevice, explained, schedules, byDevice.size, o));
  return { findings: schedules.map(scheduleFinding), schedules };
}

function push<T>(map: Map<string, T[]>, key: string, item: T): void {
  const list = map.get(key);
  if (list) list.push(item);
  else map.set(key, [item]);
}

/** One own scope's schedule from its raw sessions. */
export function rawScopeSchedule(id: string, list: readonly SessionRecord[], explained: Explained, options: Partial<ScheduledDropOptions> = {}): Schedule | null {
  const o = { ...DEFAULT_SCHEDULED_DROP_OPTIONS, ...options };
  const cut = id.indexOf("\u0000");
  const scope = id.slice(0, cut) as Schedule["scope"];
  const key = id.slice(cut + 1);
  const drops = list.filter((s) => isDrop(s) && !explained.has(s));
  const found = schedule(scope, key, list[0]?.site ?? null, rawPoints(drops), observedDays(list), o, o.alpha, SITE_DAILY_KS);
  return found && withDetails(found, drops);
}

/**
 * One own scope's schedule from its digest: the `clock` rows of drops no idle timeout
 * explains. Its devices are not in the digest; withDetails adds them from the window's sessions.
 */
export function digestScopeSchedule(
  scope: Schedule["scope"],
  key: string,
  site: string | null,
  digest: ScopeDigest,
  explained: ExplainedByIdleRanges,
  options: Partial<ScheduledDropOptions> = {},
): Schedule | null {
  const o = { ...DEFAULT_SCHEDULED_DROP_OPTIONS, ...options };
  const points: ClockPoint[] = [];
  for (const r of digest.rows("clock")) if (!explained.hasBin(r.cell, r.aux)) points.push({ minute: r.bin, day: r.t, n: r.n });
  const observed = digest.observedDays();
  return schedule(scope, key, site, points, observed ? observed[1] - observed[0] + 1 : 1, o, o.alpha, SITE_DAILY_KS);
}

/** A schedule's devices and first and last drop, from the scope's drops in its window. */
export function withDetails(found: Schedule, drops: readonly SessionRecord[]): Schedule {
  const devices = new Set<string>();
  let first = Infinity;
  let last = -Infinity;
  const days = new Set(found.days);
  for (const s of drops) {
    const end = s.end as number;
    if (!inWindow(clockMinute(end), found.windowStart, WINDOW_WIDTH) || !days.has(dayText(Math.floor(end / DAY_MS)))) continue;
    devices.add(s.device);
    first = Math.min(first, end);
    last = Math.max(last, end);
  }
  return { ...found, devices, first: Number.isFinite(first) ? first : found.first, last: Number.isFinite(last) ? last : found.last };
}

/** The time spans (ms) whose drops make up a schedule: its window on each of its days. */
export function scheduleSpans(s: Schedule): [number, number][] {
  return s.days.map((d) => {
    const from = Date.parse(`${d}T00:00:00Z`) + s.windowStart * 60_000;
    return [from, from + (WINDOW_WIDTH + 1) * 60_000 - 1];
  });
}

/**
 * Per-device schedules (one device's own router), for devices with enough drops no idle
 * timeout or lifetime explains; a device's schedule at the time its site's schedule names is
 * that schedule. `deviceCount` is the fleet's (the false-alarm budget is split among them).
 */
export function deviceSchedules(
  byDevice: ReadonlyMap<string, readonly SessionRecord[]>,
  explained: Explained,
  scopeSchedules: readonly Schedule[],
  deviceCount: number,
  options: Partial<ScheduledDropOptions> = {},
): Schedule[] {
  const o = { ...DEFAULT_SCHEDULED_DROP_OPTIONS, ...options };
  const deviceAlpha = o.deviceAlpha / Math.max(1, deviceCount);
  const out: Schedule[] = [];
  for (const [device, list] of [...byDevice].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const drops = list.filter((s) => isDrop(s) && !explained.has(s));
    if (drops.length < o.minDrops) continue;
    const found = schedule("device", device, drops[0].site, rawPoints(drops), observedDays(list), o, deviceAlpha, DEVICE_DAILY_KS);
    if (!found) continue;
    const covered = scopeSchedules.some((s) => s.site === found.site && circularDistance(s.minuteOfDay, found.minuteOfDay) <= o.windowMinutes);
    if (!covered) out.push(withDetails(found, drops));
  }
  return out;
}

/** Devices worth the per-device scan: enough drops that no idle timeout explains (from their `idleDevice` rows). */
export function deviceScheduleCandidates(rows: Iterable<DigestRow>, explained: ExplainedByIdleRanges, options: Partial<ScheduledDropOptions> = {}): Set<string> {
  const minDrops = options.minDrops ?? DEFAULT_SCHEDULED_DROP_OPTIONS.minDrops;
  const drops = new Map<string, number>();
  for (const r of rows) if (r.kind === "idleDevice" && !explained.hasBin(r.cell, r.bin)) drops.set(r.device, (drops.get(r.device) ?? 0) + r.n);
  return new Set([...drops].filter(([, n]) => n >= minDrops).map(([d]) => d));
}

/** Days a list of sessions was observed on: from its first ending to its last. */
function observedDays(list: readonly SessionRecord[]): number {
  return daysSpanned(list.filter((s) => s.end !== null).map((s) => Math.floor((s.end as number) / DAY_MS)));
}

const WINDOW_WIDTH = DEFAULT_SCHEDULED_DROP_OPTIONS.windowMinutes;

function dayText(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function circularDistance(a: number, b: number): number {
  const d = Math.abs(a - b) % DAY_MIN;
  return Math.min(d, DAY_MIN - d);
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
  site: string | null,
  points: readonly ClockPoint[],
  observedDays: number,
  o: ScheduledDropOptions,
  alpha: number,
  dailyKs: readonly number[],
): Schedule | null {
  let n = 0;
  for (const p of points) n += p.n;
  if (n < o.minDrops) return null;
  const threshold = Math.log(alpha / (DAY_MIN / o.windowMinutes));
  for (const w of peakWindows(points, n, o, Math.log(CANDIDATE_P)).sort((a, b) => a.logP - b.logP)) {
    const members = points.filter((p) => inWindow(p.minute, w.start, o.windowMinutes));
    const perDay = new Map<number, number>();
    for (const m of members) perDay.set(m.day, (perDay.get(m.day) ?? 0) + m.n);
    const dailyBackground = w.background / observedDays;
    // "Unusual" is k or more drops in the window on one day. Several k are tried (and paid
    // for in the threshold), so quiet scopes pass with k = 1 and busy ones with a higher k;
    // of the passing ones, the k that names the most days is reported.
    let days: number[] = [];
    for (const k of dailyKs) {
      const q = Math.exp(logPoissonTail(k, dailyBackground));
      const hit = [...perDay].filter(([, c]) => c >= k).map(([day]) => day);
      if (hit.length < o.minDays || hit.length <= days.length) continue;
      const logP = logBinomialTail(hit.length, Math.max(observedDays, hit.length), q) + Math.log(dailyKs.length);
      if (logP < threshold) days = hit.sort((a, b) => a - b);
    }
    if (days.length === 0) continue;
    // Unwrapped past midnight so the median of a window across 00:00 is right.
    const inside: number[] = [];
    let drops = 0;
    let first = Infinity;
    let last = -Infinity;
    for (const m of members) {
      const unwrapped = m.minute < w.start ? m.minute + DAY_MIN : m.minute;
      for (let i = 0; i < m.n; i++) inside.push(unwrapped);
      drops += m.n;
      const at = m.day * DAY_MS + m.minute * 60_000;
      first = Math.min(first, at);
      last = Math.max(last, at + 59_999);
    }
    const minuteOfDay = ((sortedMedian(Float64Array.from(inside).sort()) % DAY_MIN) + DAY_MIN) % DAY_MIN;
    return { scope, key, site, minuteOfDay, windowStart: w.start, days: days.map(dayText), drops, scopeDrops: n, devices: new Set(), first, last };
  }
  return null;
}

function inWindow(minute: number, start: number, width: number): boolean {
  const offset = (((minute - start) % DAY_MIN) + DAY_MIN) % DAY_MIN;
  return offset <= width;
}

/** The most significant window of each run of windows that stand out from their flanks. */
function peakWindows(points: readonly ClockPoint[], n: number, o: ScheduledDropOptions, threshold: number): Window[] {
  // Drops per minute of day, then three copies of the day so windows and flanks wrap around midnight.
  const perMinute = new Float64Array(DAY_MIN);
  for (const p of points) perMinute[p.minute] += p.n;
  const minutes: number[] = [];
  for (let m = 0; m < DAY_MIN; m++) if (perMinute[m] > 0) minutes.push(m);
  const k = minutes.length;
  const ext = new Float64Array(3 * k);
  const weight = new Float64Array(3 * k);
  for (let copy = 0; copy < 3; copy++)
    for (let i = 0; i < k; i++) {
      ext[copy * k + i] = minutes[i] + (copy - 1) * DAY_MIN;
      weight[copy * k + i] = perMinute[minutes[i]];
    }
  const cum = new Float64Array(3 * k + 1);
  for (let i = 0; i < 3 * k; i++) cum[i + 1] = cum[i] + weight[i];
  const w = o.windowMinutes;
  const floor = (n * w) / DAY_MIN;
  const runs: Window[] = [];
  let best: Window | null = null;
  let lastPassing = -2;
  let end = 0;
  let left = 0;
  let right = 0;
  for (let i = k; i < 2 * k; i++) {
    const x = ext[i];
    if (end < i) end = i;
    while (end < ext.length && ext[end] <= x + w) end++;
    const inside = cum[end] - cum[i];
    if (inside < o.minDrops) continue;
    while (ext[left] < x - FLANKS * w) left++;
    if (right < end) right = end;
    while (right < ext.length && ext[right] <= x + (FLANKS + 1) * w) right++;
    const background = Math.max((Math.max(cum[i] - cum[left], cum[right] - cum[end]) + 0.5) / FLANKS, floor);
    const logP = logPoissonTail(inside, background);
    if (logP >= threshold) continue;
    const candidate = { start: x, logP, background };
    if (best && i - lastPassing <= 1 && x <= ext[lastPassing] + w) {
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

export function scheduleFinding(s: Schedule): DraftOf<"scheduled_drop"> {
  const devices = s.devices;
  const where = scopeLabel(s.scope, s.key);
  const hhmm = timeOfDay(s.minuteOfDay);
  const [first, last] = [s.first, s.last];
  return {
    kind: "scheduled_drop",
    scope: s.scope,
    scopeKey: s.key,
    site: s.site,
    device: s.scope === "device" ? s.key : null,
    severity: "warning",
    title: `Connections drop daily around ${hhmm} UTC at ${where}`,
    summary: `${count(s.drops)} of ${count(s.scopeDrops)} drops at ${where} came around ${hhmm} UTC, on ${plural(devices.size, "device")} and ${s.days.length} different days (${s.days[0]} to ${s.days[s.days.length - 1]}): something on the network restarts on a schedule.`,
    recommendation: `Ask IT what runs at ${hhmm} UTC (a router's forced daily reconnect, a firewall policy push, a nightly reboot or backup job) and move it or exempt the devices' connections; devices reconnect on their own, but anything sent during the drop may be delayed.`,
    evidence: {
      timeOfDay: hhmm,
      days: s.days,
      dayCount: s.days.length,
      drops: s.drops,
      share: Math.round((s.drops / s.scopeDrops) * 1000) / 1000,
      affectedDevices: deviceList(devices),
      affectedDeviceCount: devices.size,
    },
    firstSeen: first,
    lastSeen: last,
  };
}
