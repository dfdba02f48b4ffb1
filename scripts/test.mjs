// `npm test`: the whole suite. Integration and browser tests run against the production
// build, so build first (incremental: Next.js reuses its cache), then run vitest.
import { spawnSync } from "node:child_process";

process.env.NEXT_TELEMETRY_DISABLED = "1";
const run = (cmd, args) => {
  const result = spawnSync(cmd, args, { stdio: "inherit", env: process.env });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

if (!process.argv.includes("--no-build")) run("npm", ["run", "-s", "build"]);
run("node_modules/.bin/vitest", ["run", ...process.argv.slice(2).filter((a) => a !== "--no-build")]);
