// Session materialisation: a pure function from a device's lifecycle events to its
// session rows. The result depends only on the set of events (and "now"), never on the
// order they arrived in or on repeats: that is what lets ingest re-derive any window.
//
// How a session (one `session` id of one device) ends, first matching row wins:
//
// | condition                                                          | end            | endReason          |
// |--------------------------------------------------------------------|----------------|--------------------|
// | its disconnect is at or before the next connect of the device      | disconnect.at  | disconnect.reason  |
// | a declared heartbeat interval I is in force and a gap > 2·I opens  | last sign of life | inferred        |
// |   (2 is SILENCE_FACTOR, lib/contract/liveness.ts)                  |                |                    |
// |   before the next connect (or before "now" when there is none)     |                |                    |
// | a newer connect of the same device exists                          | next connect   | superseded         |
// | none of the above                                                  | open (null)    | null               |
//
// "Sign of life" is the connect itself or a heartbeat inside the session. A disconnect
// without its connect still makes a row: it started durationS before it ended.
import { breaksSilence } from "@/lib/contract/liveness";
import type { DisconnectReason, EndReason } from "@/lib/contract/vocabulary";

export interface LifecycleEvent {
  type: "connect" | "disconnect" | "heartbeat";
  eventId: string;
  /** device time, ms */
  at: number;
  session: string | null;
  siteId: number | null;
  endpoint?: string | null;
  transport?: string | null;
  publicIp?: string | null;
  reason?: DisconnectReason;
  errno?: string | null;
  idleS?: number | null;
  maxIdleS?: number | null;
  durationS?: number | null;
  intervalS?: number | null;
}

export interface SessionRow {
  session: string;
  siteId: number | null;
  /** a connect of this session is known (rows from a lone disconnect supersede nothing) */
  opened: boolean;
  start: number;
  end: number | null;
  durationS: number | null;
  endReason: EndReason | null;
  idleS: number | null;
  maxIdleS: number | null;
  errno: string | null;
  endpoint: string | null;
  transport: string | null;
  publicIp: string | null;
  lastLife: number;
  intervalS: number | null;
}

/** Earlier first; ties broken by event id so that duplicates and arrival order never matter. */
export function compareEvents(a: LifecycleEvent, b: LifecycleEvent): number {
  return a.at - b.at || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);
}

function firstPerSession(events: readonly LifecycleEvent[], type: "connect" | "disconnect"): Map<string, LifecycleEvent> {
  const first = new Map<string, LifecycleEvent>();
  for (const e of events) {
    if (e.type !== type || e.session === null) continue;
    const seen = first.get(e.session);
    if (!seen || compareEvents(e, seen) < 0) first.set(e.session, e);
  }
  return first;
}

interface Opening {
  session: string;
  start: number;
  connect: LifecycleEvent | undefined;
  disconnect: LifecycleEvent | undefined;
}

function byStart(a: Opening, b: Opening): number {
  return a.start - b.start || (a.session < b.session ? -1 : a.session > b.session ? 1 : 0);
}

export function materializeSessions(events: readonly LifecycleEvent[], now: number): SessionRow[] {
  const connects = firstPerSession(events, "connect");
  const disconnects = firstPerSession(events, "disconnect");
  const heartbeats = events.filter((e) => e.type === "heartbeat").sort(compareEvents);

  const openings: Opening[] = [];
  for (const id of new Set([...connects.keys(), ...disconnects.keys()])) {
    const connect = connects.get(id);
    const disconnect = disconnects.get(id);
    const start = connect ? connect.at : disconnect!.at - (disconnect!.durationS ?? 0) * 1000;
    openings.push({ session: id, start, connect, disconnect });
  }
  openings.sort(byStart);

  // The next connect after each opening in start order (rows from a lone disconnect supersede nothing).
  const nextConnectStart: Array<number | null> = new Array(openings.length).fill(null);
  let upcoming: number | null = null;
  for (let i = openings.length - 1; i >= 0; i--) {
    nextConnectStart[i] = upcoming;
    if (openings[i].connect) upcoming = openings[i].start;
  }

  return openings.map((o, i) => endSession(o, nextConnectStart[i], heartbeats, now));
}

function endSession(o: Opening, nextStart: number | null, heartbeats: readonly LifecycleEvent[], now: number): SessionRow {
  const origin = o.connect ?? o.disconnect!;
  const row: SessionRow = {
    session: o.session,
    siteId: origin.siteId,
    opened: o.connect !== undefined,
    start: o.start,
    end: null,
    durationS: null,
    endReason: null,
    idleS: null,
    maxIdleS: null,
    errno: null,
    endpoint: origin.endpoint ?? o.disconnect?.endpoint ?? null,
    transport: origin.transport ?? o.disconnect?.transport ?? null,
    publicIp: origin.publicIp ?? o.disconnect?.publicIp ?? null,
    lastLife: o.start,
    intervalS: null,
  };
  const close = (end: number, reason: EndReason) => {
    row.end = Math.max(end, o.start);
    row.endReason = reason;
    row.durationS = (row.end - o.start) / 1000;
    return row;
  };

  const d = o.disconnect;
  if (d && (nextStart === null || d.at <= nextStart)) {
    row.idleS = d.idleS ?? null;
    row.maxIdleS = d.maxIdleS ?? null;
    row.errno = d.errno ?? null;
    row.lastLife = Math.max(o.start, Math.min(d.at, lastLifeBefore(heartbeats, o.start, d.at)));
    return close(d.at, d.reason ?? "unknown");
  }

  // Walk the heartbeats inside the session looking for a gap longer than twice the interval in force.
  const { life, interval } = walkHeartbeats(heartbeats, { life: o.start, interval: null }, lowerBound(heartbeats, o.start), nextStart ?? Infinity);
  row.lastLife = life;
  row.intervalS = interval;
  const horizon = nextStart ?? now;
  if (breaksSilence(life, horizon, interval)) return close(life, "inferred");
  if (nextStart !== null) return close(nextStart, "superseded");
  return row;
}

/**
 * The heartbeat walk: from a sign of life at `life` with `interval` in force, steps through the
 * sorted heartbeats from index `from` (those before `limit`) until a silence longer than the
 * rule allows (breaksSilence) ends it. Returns the last sign of life and the interval then.
 */
export function walkHeartbeats(
  heartbeats: readonly LifecycleEvent[],
  state: { life: number; interval: number | null },
  from = 0,
  limit = Infinity,
): { life: number; interval: number | null } {
  let { life, interval } = state;
  for (let k = from; k < heartbeats.length && heartbeats[k].at < limit; k++) {
    const h = heartbeats[k];
    if (breaksSilence(life, h.at, interval)) break;
    life = h.at;
    interval = h.intervalS ?? interval;
  }
  return { life, interval };
}

function lastLifeBefore(heartbeats: readonly LifecycleEvent[], from: number, to: number): number {
  let life = from;
  for (let k = lowerBound(heartbeats, from); k < heartbeats.length && heartbeats[k].at <= to; k++) life = heartbeats[k].at;
  return life;
}

/** Index of the first heartbeat at or after t (heartbeats sorted by time). */
function lowerBound(sorted: readonly LifecycleEvent[], t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid].at < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Closes an open session whose heartbeats stopped, as materializeSessions would with a
 * later "now": the scheduled sweep and the ingest fast path both use it.
 */
export function isStale(row: Pick<SessionRow, "end" | "intervalS" | "lastLife">, now: number): boolean {
  return row.end === null && breaksSilence(row.lastLife, now, row.intervalS);
}
