// Writes a new migration for each provider whose schema.prisma differs from what its migrations
// folder builds: `npx tsx scripts/migrations-create.ts <name> [--root <project dir>]`.
// Replaying the PostgreSQL migrations needs a server: LINKSCOPE_SHADOW_DATABASE_URL (a user
// with CREATEDB) or, when unset, a private server started with the test harness.
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import {
  type DbProvider,
  MIGRATION_LOCK_FILE,
  migrationLockContent,
  pendingSchemaChanges,
  prismaPaths,
} from "../lib/db/schema-engine";
import { startPostgres } from "../test/helpers/postgres";

const PROVIDERS: DbProvider[] = ["sqlite", "postgresql"];

/** Prisma's folder prefix: the UTC time as YYYYMMDDHHMMSS. */
function migrationTimestamp(now: Date): string {
  return now.toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

function migrationSlug(name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "");
  if (!slug) throw new Error(`migration name ${JSON.stringify(name)} has no letters or digits`);
  return slug.slice(0, 200);
}

async function withPostgresUrl<T>(work: (url: string) => Promise<T>): Promise<T> {
  const configured = process.env.LINKSCOPE_SHADOW_DATABASE_URL;
  if (configured) return work(configured);
  const server = await startPostgres();
  if ("skipped" in server) {
    throw new Error(`cannot replay the PostgreSQL migrations: ${server.skipped}; or set LINKSCOPE_SHADOW_DATABASE_URL`);
  }
  try {
    return await work(server.url);
  } finally {
    await server.stop();
  }
}

async function createMigrations(name: string, root: string): Promise<void> {
  const folderName = `${migrationTimestamp(new Date())}_${migrationSlug(name)}`;
  // Both scripts first, so a failure on one provider leaves no half-written pair.
  const scripts = await withPostgresUrl(async (pgUrl) => {
    const found = new Map<DbProvider, string | null>();
    for (const provider of PROVIDERS) found.set(provider, await pendingSchemaChanges(provider, { root, pgUrl }));
    return found;
  });

  for (const provider of PROVIDERS) {
    const script = scripts.get(provider);
    if (!script) {
      console.log(`${provider}: schema matches the migrations, nothing written`);
      continue;
    }
    const { migrationsDir } = prismaPaths(provider, root);
    const folder = path.join(migrationsDir, folderName);
    if (existsSync(folder)) throw new Error(`${folder} already exists`);
    await mkdir(folder, { recursive: true });
    const lockFile = path.join(migrationsDir, MIGRATION_LOCK_FILE);
    if (!existsSync(lockFile)) await writeFile(lockFile, migrationLockContent(provider));
    const file = path.join(folder, "migration.sql");
    await writeFile(file, script);
    console.log(`${provider}: wrote ${path.relative(process.cwd(), file)}`);
  }
}

function parseArgs(argv: string[]): { name: string; root: string } {
  const rootIndex = argv.indexOf("--root");
  const root = rootIndex >= 0 ? argv[rootIndex + 1] : process.cwd();
  const positional = argv.filter((_, i) => rootIndex < 0 || (i !== rootIndex && i !== rootIndex + 1));
  if (positional.length !== 1 || !root) {
    throw new Error("usage: npx tsx scripts/migrations-create.ts <name> [--root <project dir>]");
  }
  return { name: positional[0], root: path.resolve(root) };
}

try {
  const { name, root } = parseArgs(process.argv.slice(2));
  await createMigrations(name, root);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
