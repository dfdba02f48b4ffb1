// What session derivation needs from storage, inside the writer's transaction. SQLite
// (lib/sessions/sqlite.ts) and PostgreSQL (lib/sessions/postgres.ts) implement it; ingest
// hands its transaction's SessionTx to deriveSessions (lib/sessions/derive.ts).
import type { LifecycleEvent, SessionRow } from "./materialize";

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

export interface SessionTx {
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
