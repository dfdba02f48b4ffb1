// Real databases for tests: a fresh SQLite file in a temp dir, or a fresh database on the
// test PostgreSQL server — migrated exactly as `npm start` migrates.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDb, type Db } from "@/lib/db/client";
import type { DbConfig } from "@/lib/db/config";
import { applyMigrations } from "@/lib/db/migrate";
import { createDatabase } from "./postgres";

export interface TestDb {
  db: Db;
  config: DbConfig;
  cleanup(): Promise<void>;
}

export async function sqliteTestDb(): Promise<TestDb> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "linkscope-test-"));
  const config: DbConfig = { provider: "sqlite", file: path.join(dir, "linkscope.db") };
  await applyMigrations(config);
  const db = openDb(config);
  return {
    db,
    config,
    async cleanup() {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

let counter = 0;

export async function postgresTestDb(serverUrl: string): Promise<TestDb> {
  const name = `t_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const config: DbConfig = { provider: "postgresql", url: await createDatabase(serverUrl, name) };
  await applyMigrations(config);
  const db = openDb(config);
  return { db, config, cleanup: () => db.close() };
}
