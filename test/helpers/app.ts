// The production build of the app, served as `npm start` serves it (scripts/serve.mjs) on a
// free port against a test database (migrated first, as `npm start` does). Tests talk to it
// over HTTP.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import { createKey } from "@/lib/auth/key-admin";
import type { KeyScope } from "@/lib/auth/keys";
import type { DbConfig } from "@/lib/db/config";
import type { Db } from "@/lib/db/client";

export interface RunningApp {
  url: string;
  stop(): Promise<void>;
  output(): string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startApp(config: DbConfig, env: Record<string, string> = {}): Promise<RunningApp> {
  const distDir = process.env.LINKSCOPE_DIST_DIR || ".next";
  if (!fs.existsSync(`${distDir}/BUILD_ID`)) throw new Error("No production build: run `npm run build` (npm test does it first).");
  const port = await freePort();
  const dbEnv = config.provider === "sqlite" ? { LINKSCOPE_SQLITE_FILE: config.file, DATABASE_URL: "" } : { DATABASE_URL: config.url };
  const child: ChildProcess = spawn(process.execPath, ["scripts/serve.mjs"], {
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production", PORT: String(port), HOSTNAME: "127.0.0.1", ...dbEnv, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout!.on("data", (d) => (log += d));
  child.stderr!.on("data", (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${log}`);
    try {
      const res = await fetch(`${url}/api/v1/openapi.json`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the server did not answer within 60 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  // As `npm start` runs it: analysis in its own process beside the server.
  const children = [child];
  if (env.LINKSCOPE_BACKGROUND === "worker") {
    const worker = spawn("node_modules/.bin/tsx", ["lib/findings/worker-cli.ts"], {
      env: { ...process.env, ...dbEnv, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    worker.stdout!.on("data", (d) => (log += d));
    worker.stderr!.on("data", (d) => (log += d));
    children.push(worker);
  }
  const stopOne = (c: ChildProcess) =>
    new Promise<void>((resolve) => {
      if (c.exitCode !== null || c.signalCode !== null) return resolve();
      c.once("exit", () => resolve());
      c.kill("SIGTERM");
      setTimeout(() => c.kill("SIGKILL"), 5000).unref();
    });
  return {
    url,
    output: () => log,
    stop: async () => {
      await Promise.all(children.map(stopOne));
    },
  };
}

export async function keyFor(db: Db, scope: KeyScope, site?: string): Promise<string> {
  return (await createKey(db, { scope, site })).key;
}

export function postEvents(url: string, key: string | null, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${url}/api/v1/events`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

let users = 0;

/** Creates a user with this role and signs in over HTTP; returns the Cookie header value. */
export async function signIn(url: string, db: Db, role: "admin" | "operator" | "viewer"): Promise<string> {
  const { createUser } = await import("@/lib/auth/users");
  const email = `${role}-${process.pid}-${users++}@example.com`;
  const password = "correct horse battery staple";
  await createUser(db, { email, name: role, role, password });
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: url },
    body: JSON.stringify({ email, password }),
  });
  const cookie = res.headers.get("set-cookie");
  if (res.status !== 200 || !cookie) throw new Error(`sign-in as ${role} failed: ${res.status}`);
  return cookie.split(";")[0];
}
