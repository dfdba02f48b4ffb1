// `npx tsx lib/db/migrate-cli.ts`: brings the database named by the environment (DATABASE_URL,
// else the SQLite file) up to date before the app starts (after checking the retention
// settings, so a bad one stops `npm start` at once). One line per applied migration.
import { dbConfigFromEnv } from "./config";
import { applyMigrations } from "./migrate";
import { retentionPolicy } from "./retention";

try {
  retentionPolicy(); // a bad LINKSCOPE_*_RETENTION_DAYS stops the start here, in plain words
} catch (error) {
  console.error(`linkscope: ${(error as Error).message}`);
  process.exit(1);
}

try {
  const config = dbConfigFromEnv();
  const { applied } = await applyMigrations(config);
  for (const name of applied) console.log(`migration applied: ${name}`);
  if (applied.length === 0) console.log("database up to date");
} catch (error) {
  console.error(`migration failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
