// Two connections on one SQLite file, as the server and the analysis worker are. A background
// writer that commits transaction after transaction must not starve a foreground writer into
// SQLITE_BUSY (bench:ingest as shipped answered 503 for whole batches before this was fixed).
// And group commit: concurrent foreground jobs share one transaction, each in its own savepoint.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it, vi } from "vitest";
import { sqliteBackgroundTransaction, sqliteWriteTransaction } from "@/lib/db/write-queue";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function open(file: string, busyTimeoutMs: number): Database.Database {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  return db;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("SQLite write transactions across connections", () => {
  it("lets a foreground writer in between a background writer's back-to-back transactions", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "linkscope-write-queue-"));
    dirs.push(dir);
    const file = path.join(dir, "db.sqlite");
    const background = open(file, 300);
    const foreground = open(file, 300);
    background.exec("CREATE TABLE t (who TEXT NOT NULL)");

    let stop = false;
    let backgroundCommits = 0;
    const backgroundLoop = (async () => {
      while (!stop) {
        await sqliteBackgroundTransaction(background, async () => {
          background.prepare("INSERT INTO t VALUES ('background')").run();
          await pause(5); // holds the write lock across an await, as the digest fold does
        });
        backgroundCommits++;
      }
    })();

    const writes = 20;
    for (let i = 0; i < writes; i++) {
      await sqliteWriteTransaction(foreground, async () => {
        foreground.prepare("INSERT INTO t VALUES ('foreground')").run();
      });
    }
    stop = true;
    await backgroundLoop;

    const count = (who: string) => (foreground.prepare("SELECT count(*) AS n FROM t WHERE who = ?").get(who) as { n: number }).n;
    expect(count("foreground")).toBe(writes);
    expect(count("background")).toBe(backgroundCommits);
    expect(backgroundCommits).toBeGreaterThan(0);
    background.close();
    foreground.close();
  });

  it("gives up with SQLITE_BUSY after the connection's busy_timeout when the lock is never free", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "linkscope-write-queue-"));
    dirs.push(dir);
    const file = path.join(dir, "db.sqlite");
    const holder = open(file, 0);
    const waiter = open(file, 100);
    holder.exec("CREATE TABLE t (x INTEGER)");
    holder.exec("BEGIN IMMEDIATE");
    const started = Date.now();
    await expect(sqliteWriteTransaction(waiter, async () => waiter.exec("INSERT INTO t VALUES (1)"))).rejects.toMatchObject({ code: "SQLITE_BUSY" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    holder.exec("ROLLBACK");
    await sqliteWriteTransaction(waiter, async () => waiter.exec("INSERT INTO t VALUES (1)"));
    expect(waiter.prepare("SELECT count(*) AS n FROM t").get()).toEqual({ n: 1 });
    holder.close();
    waiter.close();
  });

  it("commits concurrent jobs together, rolls a failing one back alone, and answers after the commit", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "linkscope-write-queue-"));
    dirs.push(dir);
    const file = path.join(dir, "db.sqlite");
    const writer = open(file, 1000);
    const reader = open(file, 1000);
    writer.exec("CREATE TABLE t (job INTEGER NOT NULL)");
    const exec = vi.spyOn(writer, "exec");
    const seen = () => reader.prepare("SELECT job FROM t ORDER BY job").pluck().all();

    // The first job holds its transaction open across an await; the next five arrive meanwhile.
    let release!: () => void;
    const first = sqliteWriteTransaction(writer, async () => {
      writer.prepare("INSERT INTO t VALUES (0)").run();
      await new Promise<void>((r) => (release = r));
      return 0;
    });
    await pause(1);
    const answeredSeeing: unknown[][] = [];
    const rest = [1, 2, 3, 4, 5].map((job) =>
      sqliteWriteTransaction(writer, async () => {
        writer.prepare("INSERT INTO t VALUES (?)").run(job);
        if (job === 3) throw new Error("job 3 fails");
        return job;
      }).then((value) => {
        answeredSeeing.push(seen());
        return value;
      }),
    );
    release();
    expect(await first).toBe(0);
    const outcomes = await Promise.allSettled(rest);
    expect(outcomes.map((o) => (o.status === "fulfilled" ? o.value : (o.reason as Error).message))).toEqual([1, 2, "job 3 fails", 4, 5]);
    expect(seen()).toEqual([0, 1, 2, 4, 5]);
    // Every answer came after the commit that made its row visible to another connection.
    for (const rows of answeredSeeing) expect(rows).toEqual([0, 1, 2, 4, 5]);
    // One transaction: the five arrived while the first job's was open.
    const commits = () => exec.mock.calls.filter(([sql]) => sql === "COMMIT").length;
    expect(commits()).toBe(1);
    // A job that comes once the group has committed gets a transaction of its own.
    await pause(20);
    await sqliteWriteTransaction(writer, async () => void writer.prepare("INSERT INTO t VALUES (6)").run());
    expect(commits()).toBe(2);
    expect(seen()).toEqual([0, 1, 2, 4, 5, 6]);
    writer.close();
    reader.close();
  });

  it("fails the whole group when SQLite has rolled the transaction back under a job (a full disk does)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "linkscope-write-queue-"));
    dirs.push(dir);
    const writer = open(path.join(dir, "db.sqlite"), 1000);
    writer.exec("CREATE TABLE t (job INTEGER NOT NULL)");
    let release!: () => void;
    const first = sqliteWriteTransaction(writer, async () => {
      writer.prepare("INSERT INTO t VALUES (1)").run();
      await new Promise<void>((r) => (release = r));
    });
    await pause(1);
    const second = sqliteWriteTransaction(writer, async () => {
      writer.exec("ROLLBACK"); // what SQLite does by itself on SQLITE_FULL
      throw Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" });
    });
    const third = sqliteWriteTransaction(writer, async () => void writer.prepare("INSERT INTO t VALUES (3)").run());
    release();
    const outcomes = await Promise.allSettled([first, second, third]);
    expect(outcomes.map((o) => o.status)).toEqual(["rejected", "rejected", "rejected"]);
    expect(writer.prepare("SELECT count(*) AS n FROM t").get()).toEqual({ n: 0 });
    expect(writer.inTransaction).toBe(false);
    writer.close();
  });
});
