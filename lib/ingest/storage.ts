// The narrow storage interface of the ingest hot path. Two implementations — SQLite
// (lib/ingest/sqlite.ts) and PostgreSQL (lib/ingest/postgres.ts) — hold all of its SQL,
// so a bigger engine can replace them without touching validation or session logic.
import type { LifecycleEvent, SessionRow } from "@/lib/sessions/materialize";
import type { EventType } from "@/lib/contract/vocabulary";

export interface DeviceRef {
  id: number;
  siteId: number | null;
}

export interface NewDevice {
  externalId: string;
  siteId: number | null;
  firstSeen: number;
  lastAt: number;
}

export interface DeviceUpdate {
  id: number;
  /** null keeps the device's site */
  siteId: number | null;
  lastSeen: number;
  lastAt: number;
  publicIp: string | null;
  heartbeatIntervalS: number | null;
  skewed: boolean;
}

export interface EventRow {
  deviceId: number;
  eventId: string;
  siteId: number | null;
  type: EventType;
  at: number;
  receivedAt: number;
  skewed: boolean;
  session: string | null;
  data: string;
}

export interface StoredSession {
  session: string;
  start: number;
  end: number | null;
  endReason: string | null;
  lastLife: number;
  intervalS: number | null;
  /** how many heartbeats of the device are stored with a time after lastLife */
  laterHeartbeats: number;
}

/** Where a session's heartbeat walk stands: its last sign of life, and the inferred end if it stopped. */
export type SessionLife = Pick<SessionRow, "lastLife" | "intervalS" | "end" | "durationS" | "endReason">;

export interface IngestTx {
  siteIds(slugs: string[]): Promise<Map<string, number>>;
  devices(externalIds: string[]): Promise<Map<string, DeviceRef>>;
  createDevices(devices: NewDevice[]): Promise<void>;
  updateDevices(updates: DeviceUpdate[]): Promise<void>;
  /** Inserts what is new; returns, per row, whether it was inserted (false: a duplicate). */
  insertEvents(rows: EventRow[]): Promise<boolean[]>;
  /** The device's session that starts last, if any. */
  latestSession(deviceId: number): Promise<StoredSession | null>;
  /** Start times of the named sessions that are stored. */
  sessionStarts(deviceId: number, sessions: string[]): Promise<number[]>;
  /** The latest session start at or before t, or null. */
  sessionStartAtOrBefore(deviceId: number, t: number): Promise<number | null>;
  /**
   * Lifecycle events (connect, disconnect, heartbeat) at or after `from` (all when null), plus
   * disconnects of sessions that connected since then, minus every event of a session that
   * connected before `from` (those sessions lie outside the window).
   */
  lifecycleEvents(deviceId: number, from: number | null): Promise<LifecycleEvent[]>;
  /** Replaces the device's sessions starting at or after `from` (all when null) by `rows`. */
  replaceSessions(deviceId: number, from: number | null, rows: SessionRow[]): Promise<void>;
  updateSessionLife(deviceId: number, session: string, life: SessionLife): Promise<void>;
}

export interface IngestStorage {
  /** Runs fn in one write transaction; everything or nothing is stored. */
  transaction<T>(fn: (tx: IngestTx) => Promise<T>): Promise<T>;
  /**
   * Closes, as `inferred` at their last sign of life, open sessions whose heartbeats stopped
   * for more than twice their interval by `now` (what materializeSessions would conclude).
   * Returns how many it closed.
   */
  closeStaleSessions(now: number): Promise<number>;
}

/** Parses the JSON `data` column of a lifecycle event back into the fields sessions need. */
export function lifecycleFromRow(row: {
  type: string;
  eventId: string;
  at: number;
  session: string | null;
  siteId: number | null;
  data: string;
}): LifecycleEvent {
  return lifecycleFromFields(row, JSON.parse(row.data) as Record<string, unknown>);
}

/** The same from the event's type-specific fields as an object (what `data` holds). */
export function lifecycleFromFields(
  row: { type: string; eventId: string; at: number; session: string | null; siteId: number | null },
  d: Record<string, unknown>,
): LifecycleEvent {
  const num = (k: string) => (typeof d[k] === "number" ? (d[k] as number) : null);
  const str = (k: string) => (typeof d[k] === "string" ? (d[k] as string) : null);
  return {
    type: row.type as LifecycleEvent["type"],
    eventId: row.eventId,
    at: row.at,
    session: row.session,
    siteId: row.siteId,
    endpoint: str("endpoint"),
    transport: str("transport"),
    publicIp: str("publicIp"),
    reason: (str("reason") ?? undefined) as LifecycleEvent["reason"],
    errno: str("errno"),
    idleS: num("idleS"),
    maxIdleS: num("maxIdleS"),
    durationS: num("durationS"),
    intervalS: num("intervalS"),
  };
}
