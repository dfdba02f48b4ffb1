// better-sqlite3 is synchronous, but the code around a write transaction awaits between
// steps: a queue per connection keeps a second writer (another batch, the stale-session
// sweep, the purge) from interleaving its statements into an open transaction.
import type Database from "better-sqlite3";

const queues = new WeakMap<Database.Database, Promise<unknown>>();

export function serialized<T>(sqlite: Database.Database, job: () => Promise<T>): Promise<T> {
  const previous = queues.get(sqlite) ?? Promise.resolve();
  const result = previous.then(job, job);
  queues.set(sqlite, result.catch(() => undefined));
  return result;
}

/** Runs fn inside BEGIN IMMEDIATE … COMMIT on the connection's queue; everything or nothing. */
export function sqliteWriteTransaction<T>(sqlite: Database.Database, fn: () => Promise<T>): Promise<T> {
  return serialized(sqlite, async () => {
    sqlite.exec("BEGIN IMMEDIATE");
    try {
      const result = await fn();
      sqlite.exec("COMMIT");
      return result;
    } catch (error) {
      if (sqlite.inTransaction) sqlite.exec("ROLLBACK");
      throw error;
    }
  });
}
