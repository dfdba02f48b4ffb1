// `npm start`: build once if there is no production build, bring the database schema up
// to date, then serve the dashboard (PORT, default 3000).
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

const port = process.env.PORT ?? "3000";
// The probe's upstream idle measurement reuses one idle keep-alive connection: it needs the
// server to keep idle connections at least as long as --idle-max (Node's default is 5 s).
const keepAlive = process.env.LINKSCOPE_KEEPALIVE_TIMEOUT_MS ? ["--keepAliveTimeout", process.env.LINKSCOPE_KEEPALIVE_TIMEOUT_MS] : [];
const server = spawn(bin("next"), ["start", "-p", port, ...(process.env.HOSTNAME ? ["-H", process.env.HOSTNAME] : []), ...keepAlive], {
  stdio: "inherit",
  env: process.env,
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
