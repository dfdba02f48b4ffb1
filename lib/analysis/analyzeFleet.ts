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
import { detectFlapping, type FlappingOptions } from "./flapping";
import { detectIdleTimeouts } from "./idleTimeoutFindings";
import type { IdleTimeoutOptions } from "./idleTimeoutClusters";
import { detectOffline, type OfflineOptions } from "./offline";
import { outageFinding, siteOutages, type OutageOptions } from "./outage";
import { platformOutageFinding, platformOutages } from "./platformOutage";
import { detectPortBlocked, type PortBlockedOptions } from "./portBlocked";
import { detectProxyFailures, type ProxyFailureOptions } from "./proxyFailure";
import { circularDistance, detectScheduledDrops, type Schedule, type ScheduledDropOptions } from "./scheduledDrop";
import { detectSessionLifetimes, type SessionLifetimeOptions } from "./sessionLifetime";
import { detectTlsInterception, type TlsInterceptionOptions } from "./tlsInterception";
import type { Explained } from "./scopes";
import { bySeverity } from "@/lib/contract/vocabulary";
import type { EventRecord, FindingDraft, FleetInput } from "./types";

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

export function analyzeFleet(input: FleetInput, now: number, options: AnalysisOptions = {}): FindingDraft[] {
  const { sessions, heartbeats } = input;
  const events = eventsByType(input.events);
  const idle = detectIdleTimeouts(sessions, events.probe, options.idleTimeout);
  const explained = idle.explained;
  const lifetimes = detectSessionLifetimes(sessions, explained, options.sessionLifetime);
  const aged = new Set(lifetimes.filter((l) => !isWholeDays(l.periodS)).flatMap((l) => l.members));
  const byAge: Explained = { has: (s) => explained.has(s) || aged.has(s) };
  const scheduled = detectScheduledDrops(sessions, byAge, options.scheduledDrop);
  const keptLifetimes = lifetimes.filter(
    (l) => !(isWholeDays(l.periodS) && scheduled.schedules.some((s) => s.scope === l.finding.scope && s.key === l.finding.scopeKey)),
  );

  const outages = siteOutages(sessions, now, byAge, options.outage).filter(
    (o) => !onSchedule(scheduled.schedules, o.scope, o.key, o.start),
  );
  const { platform, local } = platformOutages(outages, sessions, options.outage);
  const dark = new Set<string>();
  for (const o of [...local, ...platform.flat()]) if (o.end === null) for (const d of o.devices) dark.add(d);

  const findings = [
    ...idle.findings,
    ...scheduled.findings,
    ...platform.map(platformOutageFinding),
    ...local.map(outageFinding),
    ...detectPortBlocked(sessions, events.connect_failed, options.portBlocked),
    ...detectProxyFailures(sessions, events.connect_failed, options.proxyFailure),
    ...detectTlsInterception(events.tls, options.tls),
    ...detectFlapping(sessions, now, byAge, options.flapping),
    ...detectOffline(heartbeats, now, dark, options.offline),
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
