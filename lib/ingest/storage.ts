// The narrow storage interface of the ingest hot path. Two implementations — SQLite
// (lib/ingest/sqlite.ts) and PostgreSQL (lib/ingest/postgres.ts) — hold its SQL, and hand
// session derivation (lib/sessions) the same transaction, so a bigger engine can replace
// them without touching validation or session logic.
import type { EventType } from "@/lib/contract/vocabulary";
import type { SessionTx } from "@/lib/sessions/store";

export interface DeviceRef {
  id: number;
  siteId: number | null;
  /** the latest device time it reported, ms */
  lastAt: number;
}

/** A device moved to another site (the DeviceSiteChange table). */
export interface SiteMove {
  deviceId: number;
  fromSiteId: number | null;
  toSiteId: number;
  at: number;
  keyPrefix: string | null;
  userId?: number | null;
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

export interface IngestTx {
  /** how far the retention purge has gone (Retention.rawBefore, ms; 0: nothing purged) */
  rawBefore(): Promise<number>;
  siteIds(slugs: string[]): Promise<Map<string, number>>;
  devices(externalIds: string[]): Promise<Map<string, DeviceRef>>;
  createDevices(devices: NewDevice[]): Promise<void>;
  updateDevices(updates: DeviceUpdate[]): Promise<void>;
  recordSiteMoves(moves: SiteMove[]): Promise<void>;
  /** Inserts what is new; returns, per row, whether it was inserted (false: a duplicate). */
  insertEvents(rows: EventRow[]): Promise<boolean[]>;
  /** session derivation's reads and writes, in this same transaction */
  sessions: SessionTx;
}

export interface IngestStorage {
  /** Runs fn in one write transaction; everything or nothing is stored. */
  transaction<T>(fn: (tx: IngestTx) => Promise<T>): Promise<T>;
}
