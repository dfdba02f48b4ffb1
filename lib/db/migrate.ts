// Applies prisma/<provider>/migrations at start-up, recorded in `_prisma_migrations` exactly as
// `prisma migrate deploy` records them, through Prisma's WebAssembly schema engine.
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import type { DbConfig } from "./config";
import { NO_FILTERS, openSchemaEngine, prismaPaths, readMigrationsList } from "./schema-engine";

export type ApplyMigrationsOptions = {
  /** Folder holding <timestamp>_<name>/migration.sql and migration_lock.toml; default prisma/<provider>/migrations under process.cwd(). */
  migrationsDir?: string;
};

/**
 * Advisory lock key held while migrating PostgreSQL ("LINK" in ASCII). Deliberately not the
 * key Prisma's native engine uses (72707369), so a `prisma migrate deploy` run elsewhere
 * never waits on a lock this process holds on another connection.
 */
export const MIGRATION_LOCK_KEY = 0x4c494e4b;

const sqliteQueue = new Map<string, Promise<unknown>>();

/** Brings the database up to date; returns the names of the migrations it applied, oldest first. */
export async function applyMigrations(
  config: DbConfig,
  options: ApplyMigrationsOptions = {},
): Promise<{ applied: string[] }> {
  const migrationsDir = path.resolve(options.migrationsDir ?? prismaPaths(config.provider).migrationsDir);
  const migrationsList = await readMigrationsList(migrationsDir);
  if (migrationsList.migrationDirectories.length === 0) {
    // Usually a wrong working directory; starting on an empty schema would only fail later.
    throw new Error(`no migrations found in ${migrationsDir}`);
  }

  const names = migrationsList.migrationDirectories.map((d) => d.path);
  // The common start: nothing to do. Checking with one read keeps a second process (the CLI
  // next to a running app) from contending for SQLite's write lock or loading the engine.
  if (await allApplied(config, names)) return { applied: [] };

  const apply = async () => {
    const { engine, close } = await openSchemaEngine(config);
    try {
      const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: NO_FILTERS });
      return { applied: appliedMigrationNames };
    } finally {
      await close();
    }
  };

  if (config.provider === "sqlite") {
    prepareSqliteFile(config.file);
    return serialisedPerFile(config.file, apply);
  }
  return withAdvisoryLock(config.url, apply);
}

const APPLIED_SQL = `SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;

/** True when every named migration is recorded as applied; false when unsure (no table yet, no file). */
async function allApplied(config: DbConfig, names: string[]): Promise<boolean> {
  try {
    let applied: string[];
    if (config.provider === "sqlite") {
      if (!existsSync(config.file)) return false;
      const db = new Database(config.file, { readonly: true, fileMustExist: true });
      try {
        applied = (db.prepare(APPLIED_SQL).all() as Array<{ migration_name: string }>).map((r) => r.migration_name);
      } finally {
        db.close();
      }
    } else {
      const client = new pg.Client({ connectionString: config.url });
      client.on("error", () => {});
      await client.connect();
      try {
        applied = (await client.query<{ migration_name: string }>(APPLIED_SQL)).rows.map((r) => r.migration_name);
      } finally {
        await client.end().catch(() => {});
      }
    }
    const done = new Set(applied);
    return names.every((name) => done.has(name));
  } catch {
    return false;
  }
}

/** Creates the file's directory and switches the database to WAL (a persistent setting). */
function prepareSqliteFile(file: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma("journal_mode = WAL");
  } finally {
    db.close();
  }
}

/**
 * Two migrations of one SQLite file from the same process run one after the other. The
 * embedded database serves one app instance; across processes nothing is coordinated.
 */
async function serialisedPerFile<T>(file: string, work: () => Promise<T>): Promise<T> {
  const previous = sqliteQueue.get(file) ?? Promise.resolve();
  const current = previous.catch(() => {}).then(work);
  sqliteQueue.set(file, current);
  try {
    return await current;
  } finally {
    if (sqliteQueue.get(file) === current) sqliteQueue.delete(file);
  }
}

/**
 * App instances starting together migrate one at a time: the first applies, the others then
 * find nothing left to do. The lock lives on its own connection, outside the engine's pool,
 * and is released when that connection ends even if the process dies mid-migration.
 */
async function withAdvisoryLock<T>(url: string, work: () => Promise<T>): Promise<T> {
  const lockClient = new pg.Client({ connectionString: url });
  lockClient.on("error", () => {}); // a dropped lock connection surfaces as a failed query below
  await lockClient.connect();
  try {
    await lockClient.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    try {
      return await work();
    } finally {
      await lockClient.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => {});
    }
  } finally {
    await lockClient.end().catch(() => {});
  }
}
