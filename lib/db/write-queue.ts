// better-sqlite3 is synchronous, but the code around a write transaction awaits between
// steps: a queue per connection keeps a second writer (another batch, the stale-session
// sweep, the purge) from interleaving its statements into an open transaction.
//
// Between processes (the server and the analysis worker share the file) SQLite's write lock
// decides. Its own busy handler is no good for either side: it sleeps ever longer between
// tries (up to 100 ms) with the event loop blocked, so a server stalls every request while it
// waits, and a writer that commits transaction after transaction (the worker's journal fold,
// the purge) starves it until busy_timeout and a 503 (measured: bench:ingest as shipped). Here
// BEGIN IMMEDIATE is tried without waiting and tried again off the event loop: often
// (every millisecond) for the server's own writes, politely for background work, which also
// leaves a gap after each commit so that a waiting foreground writer gets in.
//
// A write transaction here must never stay open across a macrotask (a timer, I/O): Prisma
// writes on its own connection in the same process (an API key's lastUsedAt, an admin's
// change) and waits for the lock in SQLite's busy handler, which blocks the event loop, so the
// open transaction could not commit until Prisma gave up 5 s later. Measured with a group
// commit that kept the transaction open 2 ms for more batches: single-event p99 5.2 s as
// shipped (bench:ingest), so it was taken out again.
import type Database from "better-sqlite3";

const queues = new WeakMap<Database.Database, Promise<unknown>>();

export function serialized<T>(sqlite: Database.Database, job: () => Promise<T>): Promise<T> {
  const previous = queues.get(sqlite) ?? Promise.resolve();
  const result = previous.then(job, job);
  queues.set(sqlite, result.catch(() => undefined));
  return result;
}

interface Patience {
  /** delay between tries, ms: from min to max at random */
  retryMs: [number, number];
  /** give up after this long (the SQLITE_BUSY error is thrown) */
  giveUpMs: (sqlite: Database.Database) => number;
  /** pause after COMMIT before the next transaction on this connection may begin */
  afterCommitMs: number;
}

/** Requests wait up to the connection's busy_timeout (5 s), then answer 503. */
const FOREGROUND: Patience = { retryMs: [1, 1], giveUpMs: (sqlite) => sqlite.pragma("busy_timeout", { simple: true }) as number, afterCommitMs: 0 };
/** The purge and the analysis digest wait up to two minutes and let requests go first. */
const BACKGROUND: Patience = { retryMs: [2, 5], giveUpMs: () => 120_000, afterCommitMs: 10 };

/** Runs fn inside BEGIN IMMEDIATE … COMMIT on the connection's queue; everything or nothing. */
export function sqliteWriteTransaction<T>(sqlite: Database.Database, fn: () => Promise<T>): Promise<T> {
  return transaction(sqlite, FOREGROUND, fn);
}

/**
 * sqliteWriteTransaction for background writers (the retention purge, the analysis digest)
 * that share the file with a busy ingest server in another process.
 */
export function sqliteBackgroundTransaction<T>(sqlite: Database.Database, fn: () => Promise<T>): Promise<T> {
  return transaction(sqlite, BACKGROUND, fn);
}

function transaction<T>(sqlite: Database.Database, patience: Patience, fn: () => Promise<T>): Promise<T> {
  return serialized(sqlite, async () => {
    await begin(sqlite, patience);
    try {
      const result = await fn();
      sqlite.exec("COMMIT");
      if (patience.afterCommitMs > 0) await sleep(patience.afterCommitMs);
      return result;
    } catch (error) {
      if (sqlite.inTransaction) sqlite.exec("ROLLBACK");
      throw error;
    }
  });
}

async function begin(sqlite: Database.Database, patience: Patience): Promise<void> {
  const giveUpAt = Date.now() + patience.giveUpMs(sqlite);
  for (;;) {
    const error = tryBegin(sqlite);
    if (error === null) return;
    if ((error as { code?: string }).code !== "SQLITE_BUSY" || Date.now() >= giveUpAt) throw error;
    const [min, max] = patience.retryMs;
    await sleep(min + Math.random() * (max - min));
  }
}

/** One BEGIN IMMEDIATE that does not wait for the lock: null, or why it failed. */
function tryBegin(sqlite: Database.Database): unknown {
  const timeout = sqlite.pragma("busy_timeout", { simple: true }) as number;
  sqlite.pragma("busy_timeout = 0");
  try {
    sqlite.exec("BEGIN IMMEDIATE");
    return null;
  } catch (error) {
    return error;
  } finally {
    sqlite.pragma(`busy_timeout = ${timeout}`);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
