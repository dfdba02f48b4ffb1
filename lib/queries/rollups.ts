// Reading the rollups the database keeps (SessionEndCount, EventCount; the migration
// "rollups" holds their triggers): whole buckets from the rollup, the remainder at either end
// of the range from the raw rows, so every answer is exact for any range.
import { eventData } from "@/lib/contract/stored-event";
import type { Db } from "@/lib/db/client";
import { grainsWithin, rangePieces, type RangePiece } from "./range-pieces";
import { msOf, placeholders, sqlRows, timeParam } from "@/lib/db/sql";
import type { TimeRange } from "./time-buckets";

export const SESSION_END_GRAINS_S = [60, 900, 3600, 86400] as const;
export const HEARTBEAT_GRAINS_S = [3600, 86400] as const;
export const FAILURE_GRAINS_S = [60, 900, 3600, 86400] as const;

/** A count at a moment: a bucket's start (rollup) or the event's own time (raw). */
export interface Counted {
  at: number;
  key: string;
  n: number;
  siteId: number;
}

/** Whose session ends: one site, the whole fleet, or every site separately. */
export type EndScope = { siteId: number } | "fleet" | "sites";

/** `(grain = ? AND bucket >= ? AND bucket < ?) OR ...` over the rollup pieces, with their parameters. */
function piecesWhere(db: Db, pieces: RangePiece[], column: string): { sql: string; params: number[] } {
  const t = timeParam(db);
  return {
    sql: pieces.map(() => `("grain" = ? AND ${column} >= ${t} AND ${column} < ${t})`).join(" OR "),
    params: pieces.flatMap((p) => [p.grainS!, p.from, p.to]),
  };
}

/**
 * The raw rows of the pieces as one derived table: a SELECT per piece joined by UNION ALL, so
 * each reads its own short index range (OR'ed ranges let SQLite's planner, which has no
 * statistics, prefer scanning a whole site's rows through a covering index).
 */
function rawRows(db: Db, pieces: RangePiece[], q: { from: string; columns: string; where: string; params: unknown[]; time: string }): { sql: string; params: unknown[] } {
  const t = timeParam(db);
  return {
    sql: `(${pieces.map(() => `SELECT ${q.columns} FROM ${q.from} WHERE ${q.where} AND ${q.time} >= ${t} AND ${q.time} < ${t}`).join(" UNION ALL ")}) AS "raw"`,
    params: pieces.flatMap((p) => [...q.params, p.from, p.to]),
  };
}

function split(range: TimeRange, grainsS: readonly number[], alignS?: number) {
  const pieces = rangePieces(range, grainsWithin(grainsS, alignS));
  return { rolled: pieces.filter((p) => p.grainS !== null), raw: pieces.filter((p) => p.grainS === null) };
}

/**
 * Sessions that ended in the range, counted by site and end reason (key). With `alignS`,
 * no count spans a boundary of alignS-second UTC buckets, so a chart can bucket them; with
 * `totals`, one count per site and reason for the whole range (at: the range's start).
 */
export async function sessionEndCounts(
  db: Db,
  scope: EndScope,
  range: TimeRange,
  options: { alignS?: number; reasons?: readonly string[]; totals?: boolean } = {},
): Promise<Counted[]> {
  const { rolled, raw } = split(range, SESSION_END_GRAINS_S, options.alignS);
  const reasons = options.reasons ? [...options.reasons] : null;
  const totals = options.totals === true;
  const site =
    scope === "fleet" ? { sql: `"siteId" = 0`, params: [] } : scope === "sites" ? { sql: `"siteId" <> 0`, params: [] } : { sql: `"siteId" = ?`, params: [scope.siteId] };
  const rawSite = typeof scope === "object" ? site : { sql: "1 = 1", params: [] };
  const parts: Array<Promise<Array<{ siteId: number | null; at: number; key: string | null; n: number }>>> = [];
  if (rolled.length) {
    const w = piecesWhere(db, rolled, `"bucket"`);
    const filter = `${site.sql} AND (${w.sql}) AND "count" <> 0${reasons ? ` AND "endReason" IN (${placeholders(reasons.length)})` : ""}`;
    const params = [...site.params, ...w.params, ...(reasons ?? [])];
    parts.push(
      totals
        ? sqlRows(db, `SELECT "siteId", 0 AS "at", "endReason" AS "key", SUM("count") AS "n" FROM "SessionEndCount" WHERE ${filter} GROUP BY "siteId", "endReason"`, params)
        : sqlRows(db, `SELECT "siteId", ${msOf(db, `"bucket"`)} AS "at", "endReason" AS "key", "count" AS "n" FROM "SessionEndCount" WHERE ${filter}`, params),
    );
  }
  if (raw.length) {
    const ended = rawRows(db, raw, {
      from: `"Session"`,
      columns: `${scope === "fleet" ? "0" : `"siteId"`} AS "siteId", "end", "endReason"`,
      where: `${rawSite.sql}${reasons ? ` AND COALESCE("endReason", 'unknown') IN (${placeholders(reasons.length)})` : ""}`,
      params: [...rawSite.params, ...(reasons ?? [])],
      time: `"end"`,
    });
    parts.push(
      totals
        ? sqlRows(db, `SELECT "siteId", 0 AS "at", "endReason" AS "key", COUNT(*) AS "n" FROM ${ended.sql} GROUP BY "siteId", "endReason"`, ended.params)
        : sqlRows(db, `SELECT "siteId", ${msOf(db, `"end"`)} AS "at", "endReason" AS "key", 1 AS "n" FROM ${ended.sql}`, ended.params),
    );
  }
  return (await Promise.all(parts)).flat().map((r) => ({
    siteId: r.siteId ?? -1,
    at: totals ? range.from : Number(r.at),
    key: r.key ?? "unknown",
    n: Number(r.n),
  }));
}

/** Failed connection attempts in the range by errno (else stage), for one site or the fleet. */
export async function failureCounts(db: Db, scope: { siteId: number } | "fleet", range: TimeRange, alignS?: number): Promise<Counted[]> {
  const { rolled, raw } = split(range, FAILURE_GRAINS_S, alignS);
  // The fleet as every site, so both tables are read through their (siteId, type, ...) keys.
  const site = scope === "fleet" ? { sql: `"siteId" IN (SELECT "id" FROM "Site")`, params: [] } : { sql: `"siteId" = ?`, params: [scope.siteId] };
  const out: Counted[] = [];
  if (rolled.length) {
    const w = piecesWhere(db, rolled, `"bucket"`);
    const rows = await sqlRows<{ siteId: number; at: number; key: string; n: number }>(
      db,
      `SELECT "siteId", ${msOf(db, `"bucket"`)} AS "at", "key", SUM("count") AS "n" FROM "EventCount"
       WHERE ${site.sql} AND "type" = 'connect_failed' AND (${w.sql}) GROUP BY "siteId", "bucket", "key"`,
      [...site.params, ...w.params],
    );
    out.push(...rows.map((r) => ({ ...r, at: Number(r.at), n: Number(r.n) })));
  }
  if (raw.length) {
    const failed = rawRows(db, raw, { from: `"Event"`, columns: `"siteId", "at", "data"`, where: `${site.sql} AND "type" = 'connect_failed'`, params: site.params, time: `"at"` });
    const rows = await sqlRows<{ siteId: number | null; at: number; data: string }>(
      db,
      `SELECT "siteId", ${msOf(db, `"at"`)} AS "at", "data" FROM ${failed.sql}`,
      failed.params,
    );
    for (const r of rows) out.push({ siteId: r.siteId ?? -1, at: Number(r.at), key: failureKey(r.data), n: 1 });
  }
  return out;
}

/** What a failed attempt is counted by: its errno, else its stage (the trigger's rule). */
export function failureKey(data: string): string {
  const d = eventData("connect_failed", data);
  return d.errno || d.stage || "failed";
}

export interface HeartbeatTotal {
  count: number;
  firstAt: number;
  lastAt: number;
}

/** Heartbeats each device of the site sent in the range: how many, the first and the last. */
export async function heartbeatTotals(db: Db, siteId: number, range: TimeRange): Promise<Map<number, HeartbeatTotal>> {
  const { rolled, raw } = split(range, HEARTBEAT_GRAINS_S);
  const parts: Array<Promise<Array<{ deviceId: number; n: number; firstAt: number; lastAt: number }>>> = [];
  if (rolled.length) {
    const w = piecesWhere(db, rolled, `"bucket"`);
    parts.push(
      sqlRows(
        db,
        `SELECT "deviceId", SUM("count") AS "n", ${msOf(db, `MIN("firstAt")`)} AS "firstAt", ${msOf(db, `MAX("lastAt")`)} AS "lastAt"
         FROM "EventCount" WHERE "siteId" = ? AND "type" = 'heartbeat' AND (${w.sql}) GROUP BY "deviceId"`,
        [siteId, ...w.params],
      ),
    );
  }
  if (raw.length) {
    const beats = rawRows(db, raw, { from: `"Event"`, columns: `"deviceId", "at"`, where: `"siteId" = ? AND "type" = 'heartbeat'`, params: [siteId], time: `"at"` });
    parts.push(
      sqlRows(
        db,
        `SELECT "deviceId", COUNT(*) AS "n", ${msOf(db, `MIN("at")`)} AS "firstAt", ${msOf(db, `MAX("at")`)} AS "lastAt" FROM ${beats.sql} GROUP BY "deviceId"`,
        beats.params,
      ),
    );
  }
  const totals = new Map<number, HeartbeatTotal>();
  for (const rows of await Promise.all(parts))
    for (const r of rows) {
      const [n, firstAt, lastAt] = [Number(r.n), Number(r.firstAt), Number(r.lastAt)];
      const t = totals.get(r.deviceId);
      if (!t) totals.set(r.deviceId, { count: n, firstAt, lastAt });
      else {
        t.count += n;
        t.firstAt = Math.min(t.firstAt, firstAt);
        t.lastAt = Math.max(t.lastAt, lastAt);
      }
    }
  return totals;
}
