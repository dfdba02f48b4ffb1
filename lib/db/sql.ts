// Plain SQL for the read models that return many rows or aggregate big tables: Prisma's
// per-row cost (about 20 µs a row) is far above a dashboard request's budget at fleet scale
// (docs/benchmarks.md, "Dashboard"). The statements are written once, with `?` placeholders
// and two small helpers for what the engines store differently: SQLite keeps times as integer
// milliseconds (lib/db/client.ts), PostgreSQL as timestamptz.
import type { Db } from "./client";
import { pgTransaction } from "./pg-retry";
import { sqliteBackgroundTransaction } from "./write-queue";

const statements = new WeakMap<object, Map<string, import("better-sqlite3").Statement>>();

export async function sqlRows<T>(db: Db, text: string, params: readonly unknown[]): Promise<T[]> {
  if (db.provider === "sqlite") return prepared(db.sqlite, text).raw(false).all(...params) as T[];
  return (await db.pool.query(numbered(text), params as unknown[])).rows as T[];
}

/** Rows as arrays of column values, in SELECT order: the cheapest shape for tens of thousands of rows. */
export async function sqlArrays<T extends unknown[]>(db: Db, text: string, params: readonly unknown[]): Promise<T[]> {
  if (db.provider === "sqlite") return prepared(db.sqlite, text).raw(true).all(...params) as T[];
  return (await db.pool.query({ text: numbered(text), values: params as unknown[], rowMode: "array" })).rows as T[];
}

function prepared(sqlite: import("better-sqlite3").Database, text: string) {
  let cache = statements.get(sqlite);
  if (!cache) statements.set(sqlite, (cache = new Map()));
  let statement = cache.get(text);
  if (!statement) {
    if (cache.size > 500) cache.clear();
    cache.set(text, (statement = sqlite.prepare(text)));
  }
  return statement;
}

const numbered = (text: string) => {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
};

/** A number inside a JSON text column (null when absent or not a number). */
export function jsonNumber(db: Db, column: string, key: string): string {
  return db.provider === "sqlite"
    ? `CASE WHEN json_type(${column}, '$.${key}') IN ('integer', 'real') THEN json_extract(${column}, '$.${key}') END`
    : `CASE WHEN jsonb_typeof(${column}::jsonb -> '${key}') = 'number' THEN (${column}::jsonb ->> '${key}')::float8 END`;
}

/** A time column read as epoch milliseconds. */
export function msOf(db: Db, column: string): string {
  return db.provider === "sqlite" ? column : pgMs(column);
}

/** A `?` parameter given in epoch milliseconds, compared with a time column. */
export function timeParam(db: Db): string {
  return db.provider === "sqlite" ? "?" : pgTime("?");
}

/** `?, ?, ?` for an IN list of n values. */
export const placeholders = (n: number) => Array.from({ length: n }, () => "?").join(", ");

/** The larger of two values: SQLite's scalar max(), PostgreSQL's greatest(). */
export function sqlGreatest(db: Db): string {
  return db.provider === "sqlite" ? "max" : "greatest";
}

/**
 * One number per row, aggregated into a single JSON array inside the database: tens of
 * thousands of values cross into JavaScript as one string instead of row by row (measured on
 * a 50,000-session site: about 2x faster than reading rows, even as arrays).
 */
export async function sqlNumbers(db: Db, expression: string, from: string, params: readonly unknown[]): Promise<number[]> {
  const aggregate = db.provider === "sqlite" ? `json_group_array(${expression})` : `COALESCE(json_agg(${expression}), '[]'::json)`;
  const [row] = await sqlArrays<[string | number[]]>(db, `SELECT ${aggregate} ${from}`, params);
  const values = typeof row[0] === "string" ? (JSON.parse(row[0]) as Array<number | null>) : row[0];
  return values.filter((v): v is number => v !== null);
}

/** PostgreSQL only, for statements with numbered `$n` parameters: a time column as epoch milliseconds. */
export const pgMs = (column: string) => `(extract(epoch from ${column}) * 1000)::float8`;

/** PostgreSQL only: a `$n` parameter (or column) of epoch milliseconds as a timestamptz. */
export const pgTime = (param: string) => `to_timestamp(${param}::float8 / 1000)`;

/** One statement inside sqlTransaction: rows as objects. */
export type SqlQuery = <T>(text: string, params: readonly unknown[]) => Promise<T[]>;

/**
 * Runs work in one write transaction with `?` statements, for background writers: on SQLite on
 * the connection's write queue, yielding to other processes' writers while it waits for the
 * lock (sqliteBackgroundTransaction), on PostgreSQL on one pooled connection, retried when PostgreSQL
 * rolls it back for a deadlock or a serialization failure (work must only read and write).
 */
export async function sqlTransaction<T>(db: Db, work: (query: SqlQuery) => Promise<T>): Promise<T> {
  if (db.provider === "sqlite") {
    const sqlite = db.sqlite;
    return sqliteBackgroundTransaction(sqlite, () => work(async <R>(text: string, params: readonly unknown[]) => {
      const statement = prepared(sqlite, text);
      return (statement.reader ? statement.raw(false).all(...params) : (statement.run(...params), [])) as R[];
    }));
  }
  return pgTransaction(db.pool, (client) =>
    work(async <R>(text: string, params: readonly unknown[]) => (await client.query(numbered(text), params as unknown[])).rows as R[]),
  );
}
