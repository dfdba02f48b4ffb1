// Plain SQL for the read models that return many rows or aggregate big tables: Prisma's
// per-row cost (about 20 µs a row) is far above a dashboard request's budget at fleet scale
// (docs/benchmarks.md, "Dashboard"). The statements are written once, with `?` placeholders
// and two small helpers for what the engines store differently: SQLite keeps times as integer
// milliseconds (lib/db/client.ts), PostgreSQL as timestamptz.
import type { Db } from "@/lib/db/client";

const statements = new WeakMap<object, Map<string, import("better-sqlite3").Statement>>();

export async function sqlRows<T>(db: Db, text: string, params: readonly unknown[]): Promise<T[]> {
  if (db.provider === "sqlite") {
    let cache = statements.get(db.sqlite);
    if (!cache) statements.set(db.sqlite, (cache = new Map()));
    let statement = cache.get(text);
    if (!statement) {
      if (cache.size > 500) cache.clear();
      cache.set(text, (statement = db.sqlite.prepare(text)));
    }
    return statement.all(...params) as T[];
  }
  let n = 0;
  const result = await db.pool.query(
    text.replace(/\?/g, () => `$${++n}`),
    params as unknown[],
  );
  return result.rows as T[];
}

/** A time column read as epoch milliseconds. */
export function msOf(db: Db, column: string): string {
  return db.provider === "sqlite" ? column : `(extract(epoch from ${column}) * 1000)::float8`;
}

/** A `?` parameter given in epoch milliseconds, compared with a time column. */
export function timeParam(db: Db): string {
  return db.provider === "sqlite" ? "?" : "to_timestamp(?::float8 / 1000)";
}

/** `?, ?, ?` for an IN list of n values. */
export const placeholders = (n: number) => Array.from({ length: n }, () => "?").join(", ");
