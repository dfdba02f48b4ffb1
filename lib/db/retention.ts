// How long raw events and sessions are kept (LINKSCOPE_RAW_RETENTION_DAYS, default 14;
// LINKSCOPE_SESSION_RETENTION_DAYS, default 90; 0 keeps them forever), and how far the purge
// (lib/retention) has gone. Ingest refuses an event older than the raw window: once its
// neighbours are purged its id can no longer be checked for duplicates.
import type { Db } from "./client";
import { msOf, sqlRows } from "./sql";

export const DAY_MS = 86_400_000;
export const DEFAULT_RAW_RETENTION_DAYS = 14;
export const DEFAULT_SESSION_RETENTION_DAYS = 90;
/** The analyses read raw events over their 7-day window, and a day more for late arrivals. */
export const MIN_RAW_RETENTION_DAYS = 8;

export interface RetentionPolicy {
  /** null: raw events are kept forever */
  rawDays: number | null;
  /** null: sessions are kept forever */
  sessionDays: number | null;
}

function days(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number, min: number): number | null {
  const text = env[name]?.trim();
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (value === 0) return null;
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${name} must be a whole number of days, at least ${min}, or 0 to keep forever (got "${text}")`);
  }
  return value;
}

/** The policy from the environment; a bad value is a start-up error, not a silent default. */
export function retentionPolicy(env: Readonly<Record<string, string | undefined>> = process.env): RetentionPolicy {
  const rawDays = days(env, "LINKSCOPE_RAW_RETENTION_DAYS", DEFAULT_RAW_RETENTION_DAYS, MIN_RAW_RETENTION_DAYS);
  const sessionDays = days(env, "LINKSCOPE_SESSION_RETENTION_DAYS", DEFAULT_SESSION_RETENTION_DAYS, MIN_RAW_RETENTION_DAYS);
  if (sessionDays !== null && (rawDays === null || sessionDays < rawDays)) {
    throw new Error(`LINKSCOPE_SESSION_RETENTION_DAYS (${sessionDays}) must be at least LINKSCOPE_RAW_RETENTION_DAYS (${rawDays ?? "0: forever"}): sessions are derived from the raw events`);
  }
  return { rawDays, sessionDays };
}

/** The oldest device time ingest accepts at `now`, given what was purged already (ms; -Infinity: all). */
export function rawWindowStart(policy: RetentionPolicy, rawBefore: number, now: number): number {
  return Math.max(policy.rawDays === null ? Number.NEGATIVE_INFINITY : now - policy.rawDays * DAY_MS, rawBefore > 0 ? rawBefore : Number.NEGATIVE_INFINITY);
}

/** How far the purge has gone: raw events before rawBefore are compacted, sessions that ended before sessionsBefore are gone (ms; 0: nothing yet). */
export interface RetentionState {
  rawBefore: number;
  sessionsBefore: number;
}

export async function retentionState(db: Db): Promise<RetentionState> {
  const [row] = await sqlRows<{ rawBefore: number; sessionsBefore: number }>(
    db,
    `SELECT ${msOf(db, `"rawBefore"`)} AS "rawBefore", ${msOf(db, `"sessionsBefore"`)} AS "sessionsBefore" FROM "Retention" WHERE "id" = 1`,
    [],
  );
  return { rawBefore: Number(row?.rawBefore ?? 0), sessionsBefore: Number(row?.sessionsBefore ?? 0) };
}

/** Whether a range starting at `from` (none: all history) reaches before the raw-event window. */
export function reachesPast(rawBefore: number, from: string | number | undefined): boolean {
  if (rawBefore <= 0) return false;
  const start = from === undefined ? Number.NEGATIVE_INFINITY : typeof from === "number" ? from : Date.parse(from);
  return start < rawBefore;
}
