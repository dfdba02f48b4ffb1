/**
 * The detection engine's entry point: every detector over one fleet's sessions, events and
 * heartbeat summaries, with "now" passed in. Detectors run in an order that lets later ones
 * leave out what earlier ones explained:
 * 1. idle timeouts (their drops are not counted again as flapping, outages or schedules);
 * 2. session lifetimes (connections started together and cut at a fixed age recur at the
 *    same clock time: that is the lifetime, not a schedule — unless the age is whole days);
 * 3. scheduled drops (a daily cut is one schedule, not seven outages or a 24 h lifetime);
 * 4. outages, grouped into one platform outage when many sites fail together;
 * 5. port blocks, TLS interception, flapping, offline devices (not those inside an ongoing
 *    outage).
 */
import { digestRows, rowsByCell, ScopeDigest, type DigestRow } from "./digest";
import { detectFlapping, type FlappingOptions } from "./flapping";
import { digestIdleTimeouts, type IdleTimeoutResult } from "./idleTimeoutFindings";
import type { IdleTimeoutOptions } from "./idleTimeoutClusters";
import { detectOffline, type OfflineOptions } from "./offline";
import { outageFinding, siteOutages, type OutageOptions } from "./outage";
import { platformOutageFinding, platformOutages } from "./platformOutage";
import { detectPortBlocked, type PortBlockedOptions } from "./portBlocked";
import { detectProxyFailures, type ProxyFailureOptions } from "./proxyFailure";
import {
  circularDistance,
  deviceScheduleCandidates,
  deviceSchedules,
  digestScopeSchedule,
  rawScopeSchedule,
  scheduleFinding,
  scheduleSpans,
  withDetails,
  type Schedule,
  type ScheduledDropOptions,
} from "./scheduledDrop";
import { digestLifetimes, ExplainedByAge, type SessionLifetime, type SessionLifetimeOptions } from "./sessionLifetime";
import { detectTlsInterception, type TlsInterceptionOptions } from "./tlsInterception";
import { isDrop, lastStartsOf, ownCellScopes, scopeId, type Explained, type LastStarts } from "./scopes";
import { bySeverity } from "@/lib/contract/vocabulary";
import type { EventRecord, FindingDraft, FleetInput, HeartbeatSummary, SessionRecord } from "./types";

export interface AnalysisOptions {
  idleTimeout?: Partial<IdleTimeoutOptions>;
  tls?: Partial<TlsInterceptionOptions>;
  portBlocked?: Partial<PortBlockedOptions>;
  proxyFailure?: Partial<ProxyFailureOptions>;
  outage?: Partial<OutageOptions>;
  flapping?: Partial<FlappingOptions>;
  offline?: Partial<OfflineOptions>;
  sessionLifetime?: Partial<SessionLifetimeOptions>;
  scheduledDrop?: Partial<ScheduledDropOptions>;
}

const SCHEDULE_SLACK_MIN = 15;
const DAY_MS = 86_400_000;

/** What the window detectors read: the digest of the scopes analysed, and the window's non-session evidence. */
export interface WindowInput {
  /** digest rows by cell (lib/analysis/digest.ts) */
  cells: ReadonlyMap<string, readonly DigestRow[]>;
  /** TLS chains, failed attempts and probe results of the window */
  events: readonly EventRecord[];
  /** devices seen in the window, fleet-wide: the per-device false-alarm budget is split among them */
  deviceCount: number;
}

/** Window sessions the digest cannot stand in for (what `SessionNeeds` asks), and the recent ones. */
export interface SessionInput {
  /** sessions answering the window pass's needs (any superset does) */
  needed: readonly SessionRecord[];
  /** sessions open in, or ended during, the recent window (outages, flapping) */
  recent: readonly SessionRecord[];
  /** each scope's latest session start per endpoint (port and proxy blocks) */
  lastStarts: LastStarts;
  heartbeats: readonly HeartbeatSummary[];
}

/** Which raw sessions the window pass needs. */
export interface SessionNeeds {
  /** all window sessions of these devices (candidates for a per-device schedule) */
  devices: Set<string>;
  /** all window sessions of these own scopes (scopeId: a lifetime there hides part of the drops from the digest's schedule scan) */
  scopes: Set<string>;
  /** window sessions of these own scopes ending in these spans (a schedule's occurrences, for its devices) */
  spans: Map<string, [number, number][]>;
}

/** The window pass: idle timeouts, lifetimes and site schedules from the digest. */
export interface WindowPass {
  idle: IdleTimeoutResult;
  lifetimes: SessionLifetime[];
  byAge: ExplainedByAge;
  schedules: Schedule[];
  needs: SessionNeeds;
}

export function analyzeWindow(input: WindowInput, options: AnalysisOptions = {}): WindowPass {
  const events = eventsByType(input.events);
  const idle = digestIdleTimeouts(input.cells, events.probe, options.idleTimeout);
  const lifetimes = digestLifetimes(input.cells, idle.explained, options.sessionLifetime);
  const byAge = new ExplainedByAge(lifetimes.filter((l) => !isWholeDays(l.periodS)));
  const rawScopes = new Set(byAge.scopes());
  const schedules: Schedule[] = [];
  const spans = new Map<string, [number, number][]>();
  for (const { scope, key, site, items } of ownCellScopes(input.cells.keys())) {
    const id = `${scope}\u0000${key}`;
    if (rawScopes.has(id)) continue;
    const digest = new ScopeDigest(items.flatMap((cell) => input.cells.get(cell) ?? []));
    const found = digestScopeSchedule(scope, key, site, digest, idle.explained, options.scheduledDrop);
    if (!found) continue;
    schedules.push(found);
    spans.set(id, scheduleSpans(found));
  }
  const devices = deviceScheduleCandidates(
    (function* () {
      for (const rows of input.cells.values()) yield* rows;
    })(),
    idle.explained,
    options.scheduledDrop,
  );
  return { idle, lifetimes, byAge, schedules, needs: { devices, scopes: rawScopes, spans } };
}

/** Does a session answer a need? (In-memory loaders; the database asks the same in SQL.) */
export function meetsNeeds(needs: SessionNeeds, s: SessionRecord): boolean {
  if (needs.devices.has(s.device)) return true;
  const id = scopeId(s);
  if (needs.scopes.has(id)) return true;
  const spans = needs.spans.get(id);
  return spans !== undefined && s.end !== null && spans.some(([from, to]) => (s.end as number) >= from && (s.end as number) <= to);
}

/** Everything after the window pass, on the sessions it asked for and the recent ones. */
export function finishAnalysis(
  pass: WindowPass,
  input: WindowInput,
  sessions: SessionInput,
  now: number,
  options: AnalysisOptions = {},
): FindingDraft[] {
  const events = eventsByType(input.events);
  const explained = pass.idle.explained;
  const byAge: Explained = { has: (s) => explained.has(s) || pass.byAge.has(s) };

  // Schedules: the digest's (with their devices), the raw scan where a lifetime hides drops, then devices.
  const byScope = new Map<string, SessionRecord[]>();
  const byDevice = new Map<string, SessionRecord[]>();
  for (const s of sessions.needed) {
    const id = scopeId(s);
    if (pass.needs.scopes.has(id) || pass.needs.spans.has(id)) push(byScope, id, s);
    if (pass.needs.devices.has(s.device)) push(byDevice, s.device, s);
  }
  const schedules: Schedule[] = pass.schedules.map((found) => {
    const id = `${found.scope}\u0000${found.key}`;
    return withDetails(found, (byScope.get(id) ?? []).filter((s) => isDrop(s) && !byAge.has(s)));
  });
  for (const id of [...pass.needs.scopes].sort()) {
    const found = rawScopeSchedule(id, byScope.get(id) ?? [], byAge, options.scheduledDrop);
    if (found) schedules.push(found);
  }
  schedules.push(...deviceSchedules(byDevice, byAge, schedules, input.deviceCount, options.scheduledDrop));
  const keptLifetimes = pass.lifetimes.filter(
    (l) => !(isWholeDays(l.periodS) && schedules.some((s) => s.scope === l.finding.scope && s.key === l.finding.scopeKey)),
  );

  const outages = siteOutages(sessions.recent, now, byAge, options.outage).filter((o) => !onSchedule(schedules, o.scope, o.key, o.start));
  const { platform, local } = platformOutages(outages, sessions.recent, options.outage);
  const dark = new Set<string>();
  for (const o of [...local, ...platform.flat()]) if (o.end === null) for (const d of o.devices) dark.add(d);

  const findings = [
    ...pass.idle.findings,
    ...schedules.map(scheduleFinding),
    ...platform.map(platformOutageFinding),
    ...local.map(outageFinding),
    ...detectPortBlocked(sessions.lastStarts, events.connect_failed, options.portBlocked),
    ...detectProxyFailures(sessions.lastStarts, events.connect_failed, options.proxyFailure),
    ...detectTlsInterception(events.tls, options.tls),
    ...detectFlapping(sessions.recent, now, byAge, options.flapping),
    ...detectOffline(sessions.heartbeats, now, dark, options.offline),
    ...keptLifetimes.map((l) => l.finding),
  ];
  return findings.sort(
    (a, b) =>
      bySeverity(a, b) ||
      a.kind.localeCompare(b.kind) ||
      a.scopeKey.localeCompare(b.scopeKey) ||
      a.firstSeen - b.firstSeen,
  );
}

function push<T>(map: Map<string, T[]>, key: string, item: T): void {
  const list = map.get(key);
  if (list) list.push(item);
  else map.set(key, [item]);
}

/**
 * Every detector over one fleet's sessions (all of them: the window and the recent window are
 * the same here), events and heartbeat summaries: the digest is built on the spot. The
 * analysis worker runs the same two passes on the stored digest (lib/findings/run.ts).
 */
export function analyzeFleet(input: FleetInput, now: number, options: AnalysisOptions = {}): FindingDraft[] {
  const window: WindowInput = {
    cells: rowsByCell(digestRows(input.sessions)),
    events: input.events,
    deviceCount: new Set(input.sessions.map((s) => s.device)).size,
  };
  const pass = analyzeWindow(window, options);
  return finishAnalysis(
    pass,
    window,
    { needed: input.sessions.filter((s) => meetsNeeds(pass.needs, s)), recent: input.sessions, lastStarts: lastStartsOf(input.sessions), heartbeats: input.heartbeats },
    now,
    options,
  );
}

/** One pass splits the events, so each detector walks only its own kind. */
function eventsByType(events: readonly EventRecord[]): Record<EventRecord["type"], EventRecord[]> {
  const out: Record<EventRecord["type"], EventRecord[]> = { tls: [], connect_failed: [], probe: [] };
  for (const e of events) out[e.type].push(e);
  return out;
}

/** An outage at the time of day a schedule of the same scope recurs is that schedule. */
function onSchedule(schedules: readonly Schedule[], scope: string, key: string, start: number): boolean {
  const minute = (((start % DAY_MS) + DAY_MS) % DAY_MS) / 60_000;
  return schedules.some((s) => s.scope === scope && s.key === key && circularDistance(s.minuteOfDay, minute) <= SCHEDULE_SLACK_MIN);
}

/** A lifetime of (about) whole days is what a daily schedule looks like as session ages. */
function isWholeDays(periodS: number): boolean {
  const days = periodS / 86400;
  return Math.round(days) >= 1 && Math.abs(days - Math.round(days)) <= 0.03;
}
