// `npm start`: build once if there is no production build, bring the database schema up
// to date, then serve the dashboard (PORT, default 3000) with the analysis worker beside it
// (its own process, so detectors never compete with ingest for the server's event loop).
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";

process.env.NEXT_TELEMETRY_DISABLED = "1";
const bin = (name) => `node_modules/.bin/${name}`;

function run(cmd, args) {
  const result = spawnSync(cmd, args, { stdio: "inherit", env: process.env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (!fs.existsSync(".next/BUILD_ID")) {
  console.log("linkscope: no production build yet, building once (about a minute)...");
  run("npm", ["run", "-s", "build"]);
}
run(bin("tsx"), ["lib/db/migrate-cli.ts"]);

// The server (scripts/serve.mjs: Next.js behind node:http, knowing each request's TCP peer)
// reads PORT, HOSTNAME and LINKSCOPE_KEEPALIVE_TIMEOUT_MS (the probe's upstream idle
// measurement reuses one idle keep-alive connection: it needs the server to keep idle
// connections at least as long as --idle-max; Node's default is 5 s).
const background = process.env.LINKSCOPE_BACKGROUND === "off" ? "off" : "worker";
const env = { ...process.env, LINKSCOPE_BACKGROUND: background };
const children = [spawn(process.execPath, ["scripts/serve.mjs"], { stdio: "inherit", env })];
if (background === "worker") children.push(spawn(bin("tsx"), ["lib/findings/worker-cli.ts"], { stdio: "inherit", env }));

let stopping = false;
const stopAll = (signal) => {
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill(signal);
};
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => stopAll(signal));
// One of the two ending ends both: a dashboard without analysis would look healthy and lie.
for (const child of children) {
  child.on("exit", (code, signal) => {
    if (!stopping) {
      stopAll("SIGTERM");
      process.exitCode = code ?? (signal ? 1 : 0);
    }
    if (children.every((c) => c.exitCode !== null || c.signalCode !== null)) process.exit(process.exitCode ?? 0);
  });
}
