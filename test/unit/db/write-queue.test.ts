// Two connections on one SQLite file, as the server and the analysis worker are. A background
// writer that commits transaction after transaction must not starve a foreground writer into
// SQLITE_BUSY (bench:ingest as shipped answered 503 for whole batches before this was fixed).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { sqliteBackgroundTransaction, sqliteWriteTransaction } from "@/lib/db/write-queue";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh file in a temporary directory, removed after the test. */
function tempFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "linkscope-write-queue-"));
  dirs.push(dir);
  return path.join(dir, "db.sqlite");
}

function open(file: string, busyTimeoutMs: number): Database.Database {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  return db;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("SQLite write transactions across connections", () => {
  it("lets a foreground writer in between a background writer's back-to-back transactions", async () => {
    const file = tempFile();
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
    const file = tempFile();
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
});
