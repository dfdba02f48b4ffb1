// Guards the two schemas and their migrations: the SQLite and PostgreSQL schemas must describe
// the same models, and each provider's migrations must build exactly its schema (a schema
// change without `npx tsx scripts/migrations-create.ts <name>` fails here).
import { readFileSync } from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrationLockContent, pendingSchemaChanges, prismaPaths, type DbProvider } from "@/lib/db/schema-engine";
import { postgresSkipReason, startPostgres, type RunningPostgres } from "../helpers/postgres";

const BLOCK = /^(model|enum|type|view)\s+(\w+)\s*\{([\s\S]*?)^\}/gm;

/** A line without its `//` or `///` comment; `//` inside a string literal is kept. */
function withoutComment(line: string): string {
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === "\\" && inString) i++;
    else if (line[i] === '"') inString = !inString;
    else if (!inString && line.startsWith("//", i)) return line.slice(0, i);
  }
  return line;
}

/**
 * Model, enum, type and view blocks by "kind name", each as its lines with comments, native
 * type attributes (`@db.Timestamptz(3)`) and layout whitespace removed.
 */
export function normalisedBlocks(schema: string): Record<string, string[]> {
  const blocks: Record<string, string[]> = {};
  for (const [, kind, name, body] of schema.matchAll(BLOCK)) {
    blocks[`${kind} ${name}`] = body
      .split("\n")
      .map((line) =>
        withoutComment(line)
          .replace(/@db\.\w+(\([^)]*\))?/g, "")
          .replace(/\s+/g, " ")
          .trim(),
      )
      .filter(Boolean);
  }
  return blocks;
}

const schemaText = (provider: DbProvider) => readFileSync(prismaPaths(provider).schemaFile, "utf8");
const HOW_TO_FIX = "schema.prisma differs from its migrations: run `npx tsx scripts/migrations-create.ts <name>`";

describe("schema.prisma for SQLite and PostgreSQL", () => {
  it("normalises away only comments, native types and layout", () => {
    const a = `model A {\n  id   Int      @id // key\n  at   DateTime @db.Timestamptz(3)\n  url  String   @default("http://x")\n}\n`;
    const b = `/// doc\nmodel A {\n  id Int @id\n  at DateTime\n  url String @default("http://x")\n}\n`;
    expect(normalisedBlocks(a)).toEqual(normalisedBlocks(b));
    expect(normalisedBlocks(a)).not.toEqual(normalisedBlocks(b.replace("String", "String?")));
  });

  it("describe the same models", () => {
    const sqlite = normalisedBlocks(schemaText("sqlite"));
    const postgresql = normalisedBlocks(schemaText("postgresql"));
    expect(Object.keys(sqlite)).toContain("model Site");
    expect(postgresql).toEqual(sqlite);
  });
});

describe("SQLite migrations", () => {
  it("carry the lock file prisma writes", () => {
    expect(readFileSync(`${prismaPaths("sqlite").migrationsDir}/migration_lock.toml`, "utf8")).toBe(
      migrationLockContent("sqlite"),
    );
  });

  it("build exactly the schema", async () => {
    expect(await pendingSchemaChanges("sqlite"), HOW_TO_FIX).toBeNull();
  });
});

const pgSkipReason = postgresSkipReason();
if (pgSkipReason) console.warn(`PostgreSQL schema-drift check skipped: ${pgSkipReason}`);

describe("PostgreSQL migrations", () => {
  it("carry the lock file prisma writes", () => {
    expect(readFileSync(`${prismaPaths("postgresql").migrationsDir}/migration_lock.toml`, "utf8")).toBe(
      migrationLockContent("postgresql"),
    );
  });

  describe.skipIf(pgSkipReason !== null)("replayed on a real server", () => {
    let server: RunningPostgres;
    beforeAll(async () => {
      const started = await startPostgres();
      if ("skipped" in started) throw new Error(started.skipped);
      server = started;
    });
    afterAll(async () => server?.stop());

    it("build exactly the schema", async () => {
      expect(await pendingSchemaChanges("postgresql", { pgUrl: server.url }), HOW_TO_FIX).toBeNull();
    });

    it("are replayed on a shadow database that is dropped afterwards, never on the given one", async () => {
      await pendingSchemaChanges("postgresql", { pgUrl: server.url });
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      try {
        const tables = await client.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
        expect(tables.rows).toEqual([]);
        const shadows = await client.query("SELECT datname FROM pg_database WHERE datname LIKE 'prisma_migrate_shadow%'");
        expect(shadows.rows).toEqual([]);
      } finally {
        await client.end();
      }
    });
  });
});
