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

/** A grouped transaction takes at most this many jobs… */
const MAX_GROUP = 16;
/** …holds the lock at most this long before it commits… */
const MAX_GROUP_MS = 50;
/** …and commits once no new job has come for this long. */
const IDLE_MS = 2;

interface Job {
  fn: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** An open grouped transaction: the jobs still to run, and a wake-up for when one arrives. */
interface Group {
  pending: Job[];
  accepting: boolean;
  wake: (() => void) | null;
}

const open = new WeakMap<Database.Database, Group>();

/**
 * Runs fn inside a BEGIN IMMEDIATE … COMMIT on the connection's queue, everything of fn or
 * nothing, resolved once the COMMIT is done. Group commit: the transaction stays open for
 * the jobs that arrive while it runs or within IDLE_MS of the last one (up to MAX_GROUP jobs
 * or MAX_GROUP_MS), each in a savepoint of its own (a job that fails is rolled back alone and
 * rejects alone), so concurrent requests share one commit. A commit writes every page the
 * transaction dirtied into the log, and batches of different devices dirty mostly the same
 * index pages (measured: COMMIT was a fifth of ingest's time at one transaction per batch).
 */
export function sqliteWriteTransaction<T>(sqlite: Database.Database, fn: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const job: Job = { fn, resolve: resolve as (value: unknown) => void, reject };
    const group = open.get(sqlite);
    if (group?.accepting) {
      group.pending.push(job);
      group.wake?.();
      return;
    }
    const fresh: Group = { pending: [job], accepting: true, wake: null };
    open.set(sqlite, fresh);
    serialized(sqlite, () => runGroup(sqlite, fresh)).catch(() => undefined);
  });
}

async function runGroup(sqlite: Database.Database, group: Group): Promise<void> {
  const done: Job[] = [];
  const settled: Array<() => void> = [];
  const stopAccepting = () => {
    group.accepting = false;
    if (open.get(sqlite) === group) open.delete(sqlite);
  };
  try {
    await begin(sqlite, FOREGROUND);
    const started = Date.now();
    for (;;) {
      const job = group.pending.shift();
      if (!job) {
        if (done.length >= MAX_GROUP || Date.now() - started >= MAX_GROUP_MS || !(await nextJob(group))) break;
        continue;
      }
      done.push(job);
      if (done.length >= MAX_GROUP) stopAccepting();
      const savepoint = `job${done.length}`;
      sqlite.exec(`SAVEPOINT ${savepoint}`);
      try {
        const value = await job.fn();
        sqlite.exec(`RELEASE ${savepoint}`);
        settled.push(() => job.resolve(value));
      } catch (error) {
        // SQLite rolls the whole transaction back itself on some errors (a full disk, say):
        // then the jobs before this one are gone too, and the next must not run outside one.
        if (!sqlite.inTransaction) throw error;
        sqlite.exec(`ROLLBACK TO ${savepoint}`);
        sqlite.exec(`RELEASE ${savepoint}`);
        settled.push(() => job.reject(error));
      }
    }
    stopAccepting();
    sqlite.exec("COMMIT");
  } catch (error) {
    // BEGIN never got the lock, SQLite rolled the transaction back, or COMMIT failed: nothing
    // of the group is stored.
    stopAccepting();
    if (sqlite.inTransaction) sqlite.exec("ROLLBACK");
    for (const job of [...done, ...group.pending]) job.reject(error);
    return;
  }
  for (const settle of settled) settle();
}

/** Waits up to IDLE_MS for another job to join: true when one did. */
function nextJob(group: Group): Promise<boolean> {
  if (IDLE_MS <= 0) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      group.wake = null;
      resolve(false);
    }, IDLE_MS);
    group.wake = () => {
      clearTimeout(timer);
      group.wake = null;
      resolve(true);
    };
  });
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
