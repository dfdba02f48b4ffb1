// Database handles for one process: a Prisma client for the read models and admin
// paths, and the raw driver the ingest hot path uses (Prisma's per-row overhead is far
// above the ingest budget; see docs/architecture.md). Both talk to the same database.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqlitePrismaClient } from "./generated/sqlite/client";
import { PrismaClient as PostgresPrismaClient } from "./generated/postgresql/client";
import { dbConfigFromEnv, type DbConfig } from "./config";

/**
 * Both generated clients come from identical models (test/unit/schema-drift.test.ts), so
 * their query APIs are the same; code is typed against one of them.
 */
export type Prisma = SqlitePrismaClient;

export type Db =
  | { provider: "sqlite"; config: DbConfig; prisma: Prisma; sqlite: Database.Database; close(): Promise<void> }
  | { provider: "postgresql"; config: DbConfig; prisma: Prisma; pool: pg.Pool; close(): Promise<void> };

// Timestamps and counts arrive as JavaScript numbers, not strings or BigInts.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/**
 * Settings of the raw SQLite handle (the ingest benchmark's ceiling uses the same). WAL with
 * synchronous NORMAL: a commit is a write into the log; fsync happens at checkpoints. An
 * ingest batch dirties index pages all over the Event table (a leaf per device), so with the
 * default checkpoint every 1,000 pages nearly every commit paid a checkpoint and its fsyncs;
 * a longer log writes the same hot pages back once for many commits (measured: about 2.5x
 * the plain insert rate on the 2-core test machine).
 */
export const SQLITE_PRAGMAS = [
  "journal_mode = WAL",
  "synchronous = NORMAL",
  "busy_timeout = 5000",
  "foreign_keys = ON",
  "cache_size = -65536", // KiB: 64 MiB
  "wal_autocheckpoint = 32768", // pages: 128 MiB of log between checkpoints
  "journal_size_limit = 67108864", // bytes: the log shrinks back to 64 MiB after one
];

export function openDb(config: DbConfig = dbConfigFromEnv()): Db {
  if (config.provider === "sqlite") {
    fs.mkdirSync(path.dirname(config.file), { recursive: true });
    const sqlite = new Database(config.file);
    for (const pragma of SQLITE_PRAGMAS) sqlite.pragma(pragma);
    const adapter = new PrismaBetterSqlite3({ url: `file:${config.file}`, timeout: 5000 }, { timestampFormat: "unixepoch-ms" });
    const prisma = new SqlitePrismaClient({ adapter });
    return {
      provider: "sqlite",
      config,
      prisma,
      sqlite,
      async close() {
        await prisma.$disconnect();
        sqlite.close();
      },
    };
  }
  const pool = new pg.Pool({ connectionString: config.url, max: Number(process.env.LINKSCOPE_PG_POOL ?? 10) });
  pool.on("error", () => {
    /* an idle client died (server restart); the pool replaces it on next use */
  });
  const prisma = new PostgresPrismaClient({ adapter: new PrismaPg(pool) }) as unknown as Prisma;
  return {
    provider: "postgresql",
    config,
    prisma,
    pool,
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

const globalForDb = globalThis as unknown as { linkscopeDb?: Db };

/** The process-wide handle, opened on first use from the environment. */
export function getDb(): Db {
  globalForDb.linkscopeDb ??= openDb();
  return globalForDb.linkscopeDb;
}
