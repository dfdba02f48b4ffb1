// The migration runner against real databases: a SQLite file and a throwaway PostgreSQL server.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqlitePrismaClient } from "@/lib/db/generated/sqlite/client";
import { PrismaClient as PostgresPrismaClient } from "@/lib/db/generated/postgresql/client";
import { applyMigrations } from "@/lib/db/migrate";
import { prismaPaths } from "@/lib/db/schema-engine";
import { createDatabase, postgresSkipReason, startPostgres, type RunningPostgres } from "../helpers/postgres";

// Every model of the schema becomes a table.
const MODEL_TABLES = [...readFileSync("prisma/sqlite/schema.prisma", "utf8").matchAll(/^model (\w+) \{/gm)].map((m) => m[1]);

function migrationNames(provider: "sqlite" | "postgresql"): string[] {
  const { migrationsDir } = prismaPaths(provider);
  return readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

function checksum(provider: "sqlite" | "postgresql", name: string): string {
  const script = readFileSync(path.join(prismaPaths(provider).migrationsDir, name, "migration.sql"));
  return createHash("sha256").update(script).digest("hex");
}

/** The real migrations plus one more, in a temp folder. */
function migrationsWithExtra(provider: "sqlite" | "postgresql", tempDir: string, extraSql: string): string {
  const dir = path.join(tempDir, `migrations-${Date.now()}`);
  cpSync(prismaPaths(provider).migrationsDir, dir, { recursive: true });
  mkdirSync(path.join(dir, "99990101000000_extra"));
  writeFileSync(path.join(dir, "99990101000000_extra", "migration.sql"), extraSql);
  return dir;
}

type MigrationRow = {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  rolled_back_at: unknown;
  applied_steps_count: number;
};

describe("applyMigrations on SQLite", () => {
  let tempDir: string;
  let file: string;
  const names = migrationNames("sqlite");

  beforeAll(() => {
    tempDir = mkdtempSync(path.join(os.tmpdir(), "linkscope-migrate-"));
    file = path.join(tempDir, "nested", "dir", "linkscope.db"); // the directory does not exist yet
  });
  afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

  it("applies every migration once, then nothing", async () => {
    expect(names.length).toBeGreaterThan(0);
    expect(await applyMigrations({ provider: "sqlite", file })).toEqual({ applied: names });
    expect(await applyMigrations({ provider: "sqlite", file })).toEqual({ applied: [] });
  });

  it("creates the model tables in WAL mode and records history like prisma migrate deploy", () => {
    const db = new Database(file, { readonly: true });
    try {
      const tables = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .pluck()
        .all();
      expect(tables).toEqual([...MODEL_TABLES, "_prisma_migrations"].sort());
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
      const rows = db.prepare("SELECT * FROM _prisma_migrations ORDER BY migration_name").all() as MigrationRow[];
      expect(rows.map((row) => row.migration_name)).toEqual(names);
      for (const row of rows) {
        expect(row.checksum).toBe(checksum("sqlite", row.migration_name));
        expect(row.finished_at).not.toBeNull();
        expect(row.rolled_back_at).toBeNull();
        expect(row.applied_steps_count).toBe(1);
      }
    } finally {
      db.close();
    }
  });

  it("serves the generated Prisma client, storing times as integer milliseconds", async () => {
    const prisma = new SqlitePrismaClient({
      adapter: new PrismaBetterSqlite3({ url: `file:${file}` }, { timestampFormat: "unixepoch-ms" }),
    });
    try {
      const before = Date.now();
      const created = await prisma.site.create({ data: { slug: "plant-7", name: "Plant 7" } });
      const read = await prisma.site.findUniqueOrThrow({ where: { slug: "plant-7" } });
      expect(read).toEqual(created);
      expect(read.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    } finally {
      await prisma.$disconnect();
    }
    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare(`SELECT typeof("createdAt") FROM "Site" WHERE slug = 'plant-7'`).pluck().get()).toBe("integer");
    } finally {
      db.close();
    }
  });

  it("applies concurrent calls in one process one after the other", async () => {
    const config = { provider: "sqlite" as const, file: path.join(tempDir, "concurrent.db") };
    const results = await Promise.all([applyMigrations(config), applyMigrations(config), applyMigrations(config)]);
    expect(results.flatMap((result) => result.applied)).toEqual(names);
  });

  it("refuses a folder without migrations instead of leaving an empty database", async () => {
    await expect(
      applyMigrations({ provider: "sqlite", file: path.join(tempDir, "none.db") }, { migrationsDir: path.join(tempDir, "missing") }),
    ).rejects.toThrow(/no migrations found/);
  });
});

const pgSkipReason = postgresSkipReason();
if (pgSkipReason) console.warn(`PostgreSQL migration tests skipped: ${pgSkipReason}`);

describe.skipIf(pgSkipReason !== null)("applyMigrations on PostgreSQL", () => {
  let server: RunningPostgres;
  let tempDir: string;
  const names = migrationNames("postgresql");

  beforeAll(async () => {
    const started = await startPostgres();
    if ("skipped" in started) throw new Error(started.skipped);
    server = started;
    tempDir = mkdtempSync(path.join(os.tmpdir(), "linkscope-migrate-pg-"));
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(tempDir, { recursive: true, force: true });
  });

  async function historyOf(url: string): Promise<MigrationRow[]> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<MigrationRow>("SELECT * FROM _prisma_migrations ORDER BY migration_name")).rows;
    } finally {
      await client.end();
    }
  }

  it("applies every migration once, then nothing, and records history", async () => {
    const url = await createDatabase(server.url, "apply_twice");
    expect(await applyMigrations({ provider: "postgresql", url })).toEqual({ applied: names });
    expect(await applyMigrations({ provider: "postgresql", url })).toEqual({ applied: [] });
    const rows = await historyOf(url);
    expect(rows.map((row) => row.migration_name)).toEqual(names);
    for (const row of rows) {
      expect(row.checksum).toBe(checksum("postgresql", row.migration_name));
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
    }
  });

  it("lets three concurrent callers start on a fresh database: each migration applied exactly once", async () => {
    const url = await createDatabase(server.url, "concurrent_calls");
    const config = { provider: "postgresql" as const, url };
    const results = await Promise.all([applyMigrations(config), applyMigrations(config), applyMigrations(config)]);
    expect(results.flatMap((result) => result.applied)).toEqual(names);
    expect((await historyOf(url)).map((row) => row.migration_name)).toEqual(names);
  });

  it("lets two app instances (separate processes) start at once", async () => {
    const url = await createDatabase(server.url, "concurrent_processes");
    const runCli = () =>
      new Promise<{ code: number | null; out: string }>((resolve, reject) => {
        const child = spawn(path.resolve("node_modules/.bin/tsx"), ["lib/db/migrate-cli.ts"], {
          env: { ...process.env, DATABASE_URL: url },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let out = "";
        child.stdout.on("data", (chunk: Buffer) => (out += chunk));
        child.stderr.on("data", (chunk: Buffer) => (out += chunk));
        child.on("error", reject);
        child.on("exit", (code) => resolve({ code, out }));
      });
    const runs = await Promise.all([runCli(), runCli()]);
    expect(runs.map((run) => run.code)).toEqual([0, 0]);
    const lines = runs.flatMap((run) => run.out.trim().split("\n"));
    expect(lines.filter((line) => line.startsWith("migration applied: ")).sort()).toEqual(
      names.map((name) => `migration applied: ${name}`),
    );
    expect(lines).toContain("database up to date");
    expect((await historyOf(url)).map((row) => row.migration_name)).toEqual(names);
  });

  it("serves the generated Prisma client", async () => {
    const url = await createDatabase(server.url, "client_roundtrip");
    await applyMigrations({ provider: "postgresql", url });
    const pool = new pg.Pool({ connectionString: url });
    const prisma = new PostgresPrismaClient({ adapter: new PrismaPg(pool) });
    try {
      const created = await prisma.site.create({ data: { slug: "plant-7", name: "Plant 7" } });
      expect(await prisma.site.findUniqueOrThrow({ where: { slug: "plant-7" } })).toEqual(created);
    } finally {
      await prisma.$disconnect();
      await pool.end();
    }
  });

  it("runs a migration script whole: a ';' inside a string literal survives", async () => {
    const url = await createDatabase(server.url, "semicolon");
    const migrationsDir = migrationsWithExtra(
      "postgresql",
      tempDir,
      `INSERT INTO "Site" ("slug", "name") VALUES ('semi', 'north; south');\n`,
    );
    await applyMigrations({ provider: "postgresql", url }, { migrationsDir });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      expect((await client.query(`SELECT "name" FROM "Site" WHERE "slug" = 'semi'`)).rows).toEqual([{ name: "north; south" }]);
    } finally {
      await client.end();
    }
  });

  it("leaves nothing of a failed migration behind and reports it", async () => {
    const url = await createDatabase(server.url, "failing");
    const migrationsDir = migrationsWithExtra(
      "postgresql",
      tempDir,
      `CREATE TABLE "Half" ("id" INTEGER);\nSELECT * FROM "NoSuchTable";\n`,
    );
    await expect(applyMigrations({ provider: "postgresql", url }, { migrationsDir })).rejects.toThrow(/NoSuchTable/);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      expect((await client.query(`SELECT to_regclass('"Half"') AS half`)).rows).toEqual([{ half: null }]);
    } finally {
      await client.end();
    }
    const failed = (await historyOf(url)).find((row) => row.migration_name === "99990101000000_extra");
    expect(failed?.finished_at).toBeNull();
    // Like `prisma migrate deploy`, a failed migration blocks later runs until it is resolved.
    await expect(applyMigrations({ provider: "postgresql", url }, { migrationsDir })).rejects.toThrow(/failed/);
  });
});
