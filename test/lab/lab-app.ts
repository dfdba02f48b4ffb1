// The production build of the app, started inside the lab's server namespace: scripts/serve.mjs
// on port 3000 of that namespace (all its addresses), against a migrated test database.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import type { DbConfig } from "@/lib/db/config";
import type { Lab } from "./netns";

export const APP_PORT = 3000;

export interface LabApp {
  /** GET from inside the server namespace (loopback), as `{status, body}`. */
  get(path: string, key?: string): Promise<{ status: number; body: string }>;
  output(): string;
  stop(): Promise<void>;
}

const FETCH_SCRIPT = `
const headers = process.env.LAB_KEY ? { authorization: "Bearer " + process.env.LAB_KEY } : {};
fetch(process.env.LAB_URL, { headers, signal: AbortSignal.timeout(20000) })
  .then(async (r) => process.stdout.write(JSON.stringify({ status: r.status, body: await r.text() })))
  .catch((e) => process.stdout.write(JSON.stringify({ status: 0, body: String(e && e.cause ? e.cause.code || e.cause : e) })));
`;

/** A GET from inside a namespace (`ip netns exec ns node -e fetch(...)`): the test runs in the root namespace. */
export async function nsGet(lab: Lab, ns: string, url: string, key?: string): Promise<{ status: number; body: string }> {
  const result = await lab.exec(ns, process.execPath, ["-e", FETCH_SCRIPT], { LAB_URL: url, ...(key ? { LAB_KEY: key } : {}) }, 30_000);
  try {
    return JSON.parse(result.stdout) as { status: number; body: string };
  } catch {
    return { status: 0, body: `${result.stdout}${result.stderr}` };
  }
}

export async function startLabApp(lab: Lab, config: DbConfig): Promise<LabApp> {
  if (!fs.existsSync(".next/BUILD_ID")) throw new Error("No production build: run `npm run build` (npm test does it first).");
  if (config.provider !== "sqlite") throw new Error("the lab runs the app on SQLite");
  const child: ChildProcess = spawn(
    "ip",
    // Long keep-alive: the upstream measurement reuses idle keep-alive connections, and Node's
    // default of 5 s would close them server-side before the middle's timeout is reached.
    ["netns", "exec", lab.server, process.execPath, "scripts/serve.mjs"],
    {
      env: {
        ...process.env,
        HOSTNAME: "0.0.0.0",
        PORT: String(APP_PORT),
        LINKSCOPE_KEEPALIVE_TIMEOUT_MS: "600000",
        NEXT_TELEMETRY_DISABLED: "1",
        NODE_ENV: "production",
        LINKSCOPE_SQLITE_FILE: config.file,
        DATABASE_URL: "",
        // The lab runs the analysis itself, at a moment it chooses.
        LINKSCOPE_BACKGROUND: "off",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let log = "";
  child.stdout!.on("data", (d) => (log += d));
  child.stderr!.on("data", (d) => (log += d));
  const base = `http://127.0.0.1:${APP_PORT}`;
  const get = (path: string, key?: string) => nsGet(lab, lab.server, `${base}${path}`, key);
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${log}`);
    if ((await get("/api/v1/openapi.json")).status === 200) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the server did not answer within 90 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return {
    get,
    output: () => log,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 5000).unref();
      }),
  };
}
