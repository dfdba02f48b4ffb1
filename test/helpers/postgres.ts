// A throwaway PostgreSQL server for tests: initdb + pg_ctl in a temp dir on a free port,
// trust authentication on 127.0.0.1 only. Missing binaries skip the suite locally, but fail it
// when CI=true or LINKSCOPE_REQUIRE_POSTGRES=1 (a silently skipped database test proves nothing).
import { spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";

export type RunningPostgres = {
  /** postgres:// URL of a fresh, empty database owned by the superuser `postgres`. */
  url: string;
  stop(): Promise<void>;
};

export type PostgresLocation = { binDir: string; runAs: { uid: number; gid: number } | null };

const SUPERUSER = "postgres";
const EXTRA_BIN_DIRS = ["/usr/local/bin", "/usr/local/pgsql/bin"];

function requirePostgres(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CI === "true" || env.LINKSCOPE_REQUIRE_POSTGRES === "1";
}

function candidateBinDirs(): string[] {
  const fromPath = (process.env.PATH ?? "").split(path.delimiter).filter(Boolean);
  const debian = existsSync("/usr/lib/postgresql")
    ? readdirSync("/usr/lib/postgresql")
        .filter((version) => /^\d+$/.test(version))
        .sort((a, b) => Number(b) - Number(a))
        .map((version) => `/usr/lib/postgresql/${version}/bin`)
    : [];
  return [...fromPath, ...debian, ...EXTRA_BIN_DIRS];
}

function osUser(name: string): { uid: number; gid: number } | null {
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((entry) => entry.startsWith(`${name}:`));
  if (!line) return null;
  const [, , uid, gid] = line.split(":");
  return { uid: Number(uid), gid: Number(gid) };
}

/**
 * Where initdb and pg_ctl are, and which OS user runs them (PostgreSQL refuses to run as root),
 * or why they cannot be used.
 */
export function locatePostgres(): PostgresLocation | { missing: string } {
  const binDir = candidateBinDirs()
    .map((dir) => path.join(dir, "initdb"))
    .filter((file) => existsSync(file))
    // Debian links /usr/local/bin/initdb into /usr/lib/postgresql/<v>/bin, where pg_ctl and
    // `postgres` of the same version live.
    .map((file) => path.dirname(realpathSync(file)))
    .find((dir) => existsSync(path.join(dir, "pg_ctl")));
  if (!binDir) {
    return {
      missing:
        "PostgreSQL server binaries (initdb, pg_ctl) not found on PATH, in /usr/lib/postgresql/*/bin or /usr/local/bin; install them with `apt-get install -y postgresql`",
    };
  }
  if (process.getuid?.() !== 0) return { binDir, runAs: null };
  const runAs = osUser(SUPERUSER);
  if (!runAs) return { missing: `running as root but there is no \`${SUPERUSER}\` OS user to run PostgreSQL as` };
  return { binDir, runAs };
}

/**
 * Why the PostgreSQL tests must be skipped, or null when they can run. Throws instead of
 * returning a reason when CI=true or LINKSCOPE_REQUIRE_POSTGRES=1. Synchronous, so that it
 * can feed `describe.skipIf`.
 */
export function postgresSkipReason(): string | null {
  const location = locatePostgres();
  if (!("missing" in location)) return null;
  if (requirePostgres()) throw new Error(`PostgreSQL is required (CI / LINKSCOPE_REQUIRE_POSTGRES) but ${location.missing}`);
  return location.missing;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function run(location: PostgresLocation, tool: string, args: string[]): void {
  const command = path.join(location.binDir, tool);
  const result = location.runAs
    ? spawnSync("runuser", ["-u", SUPERUSER, "--", command, ...args], { encoding: "utf8" })
    : spawnSync(command, args, { encoding: "utf8" });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`${tool} ${args.join(" ")} exited with ${result.status}: ${result.stderr || result.stdout}`);
  }
}

/** Creates database `name` on the server of `url` and returns the URL that points at it. */
export async function createDatabase(url: string, name: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe database name: ${name}`);
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const target = new URL(url);
  target.pathname = `/${name}`;
  return target.toString();
}

/**
 * Starts a private PostgreSQL cluster (about 1–2 s) and returns the URL of an empty database
 * `linkscope` on it, or `{skipped}` with a plain reason when no PostgreSQL is installed.
 */
export async function startPostgres(): Promise<RunningPostgres | { skipped: string }> {
  const location = locatePostgres();
  if ("missing" in location) {
    if (requirePostgres()) throw new Error(`PostgreSQL is required (CI / LINKSCOPE_REQUIRE_POSTGRES) but ${location.missing}`);
    return { skipped: location.missing };
  }

  const baseDir = mkdtempSync(path.join(os.tmpdir(), "linkscope-pg-"));
  if (location.runAs) chownSync(baseDir, location.runAs.uid, location.runAs.gid);
  const dataDir = path.join(baseDir, "data");
  const logFile = path.join(baseDir, "server.log");
  let running = false;

  // A crashed or killed test run must not leave a server behind; "exit" handlers run synchronously.
  const stopNow = () => {
    if (running) {
      running = false;
      spawnSync(location.runAs ? "runuser" : path.join(location.binDir, "pg_ctl"), [
        ...(location.runAs ? ["-u", SUPERUSER, "--", path.join(location.binDir, "pg_ctl")] : []),
        "stop", "-D", dataDir, "-m", "immediate", "-w",
      ]);
    }
    rmSync(baseDir, { recursive: true, force: true });
  };
  process.once("exit", stopNow);

  try {
    run(location, "initdb", [
      "-D", dataDir, "-U", SUPERUSER, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions",
    ]);
    let port = 0;
    // Another process may grab the free port between probing and binding it: retry a few times.
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const serverOptions = [
        `-p ${port}`, `-k ${baseDir}`, "-c listen_addresses=127.0.0.1",
        "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off",
      ].join(" ");
      try {
        run(location, "pg_ctl", ["start", "-D", dataDir, "-l", logFile, "-w", "-t", "30", "-o", serverOptions]);
        running = true;
        break;
      } catch (error) {
        if (attempt >= 3) {
          const log = existsSync(logFile) ? readFileSync(logFile, "utf8") : "";
          throw new Error(`${(error as Error).message}\n${log}`);
        }
      }
    }
    const url = await createDatabase(`postgres://${SUPERUSER}@127.0.0.1:${port}/postgres`, "linkscope");
    return {
      url,
      async stop() {
        if (running) {
          running = false;
          run(location, "pg_ctl", ["stop", "-D", dataDir, "-m", "fast", "-w"]);
        }
        rmSync(baseDir, { recursive: true, force: true });
        process.removeListener("exit", stopNow);
      },
    };
  } catch (error) {
    stopNow();
    process.removeListener("exit", stopNow);
    throw error;
  }
}
