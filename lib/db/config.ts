// Which database Linkscope talks to: the embedded SQLite file by default,
// PostgreSQL when DATABASE_URL names one.
import path from "node:path";

export type DbConfig =
  | { provider: "sqlite"; file: string }
  | { provider: "postgresql"; url: string };

export const DEFAULT_SQLITE_FILE = "./data/linkscope.db";

export function dbConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DbConfig {
  const url = env.DATABASE_URL?.trim();
  if (url && /^postgres(ql)?:\/\//i.test(url)) return { provider: "postgresql", url };
  if (url && url.startsWith("file:")) return { provider: "sqlite", file: path.resolve(/*turbopackIgnore: true*/ url.slice("file:".length)) };
  if (url) throw new Error(`DATABASE_URL must start with postgres://, postgresql:// or file: (got ${url.split(":")[0]}:...)`);
  return { provider: "sqlite", file: path.resolve(/*turbopackIgnore: true*/ env.LINKSCOPE_SQLITE_FILE ?? DEFAULT_SQLITE_FILE) };
}
