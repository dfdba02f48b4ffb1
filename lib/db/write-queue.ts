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
  return transaction(sqlite, async () => sqlite.exec("BEGIN IMMEDIATE"), fn);
}

function transaction<T>(sqlite: Database.Database, begin: () => Promise<unknown>, fn: () => Promise<T>): Promise<T> {
  return serialized(sqlite, async () => {
    await begin();
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

const BACKGROUND_PATIENCE_MS = 120_000;

/**
 * sqliteWriteTransaction for background writers (the retention purge) that share the file with
 * a busy ingest server in another process. SQLite's own busy handler sleeps ever longer between
 * tries (up to 100 ms) and blocks the event loop meanwhile, so under back-to-back batches it
 * misses every gap between them and gives up after busy_timeout. Here each try does not wait
 * (busy_timeout 0) and the next comes after a few milliseconds off the event loop, for as long
 * as two minutes.
 */
export function sqliteBackgroundTransaction<T>(sqlite: Database.Database, fn: () => Promise<T>): Promise<T> {
  return transaction(sqlite, () => beginPatiently(sqlite), fn);
}

async function beginPatiently(sqlite: Database.Database): Promise<void> {
  const started = Date.now();
  const timeout = sqlite.pragma("busy_timeout", { simple: true }) as number;
  sqlite.pragma("busy_timeout = 0");
  try {
    for (;;) {
      try {
        sqlite.exec("BEGIN IMMEDIATE");
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== "SQLITE_BUSY" || Date.now() - started > BACKGROUND_PATIENCE_MS) throw error;
        await new Promise((r) => setTimeout(r, 2 + Math.random() * 3));
      }
    }
  } finally {
    sqlite.pragma(`busy_timeout = ${timeout}`);
  }
}
