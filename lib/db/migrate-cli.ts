// `npx tsx lib/db/migrate-cli.ts`: brings the database named by the environment (DATABASE_URL,
// else the SQLite file) up to date before the app starts. One line per applied migration.
import { dbConfigFromEnv } from "./config";
import { applyMigrations } from "./migrate";

try {
  const config = dbConfigFromEnv();
  const { applied } = await applyMigrations(config);
  for (const name of applied) console.log(`migration applied: ${name}`);
  if (applied.length === 0) console.log("database up to date");
} catch (error) {
  console.error(`migration failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
