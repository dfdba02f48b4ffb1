import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { probeMain } from "./main";

/**
 * Entry point of the probe (bundled to public/probe.mjs). Everything the probe produces is
 * spooled before it is sent, so an interrupt loses nothing: the next start sends it.
 */
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    process.stderr.write(`linkscope-probe: ${signal}, stopping; spooled events are sent on the next start\n`);
    process.exit(130);
  });
}

const scriptPath = process.argv[1] ? path.resolve(process.argv[1]) : fileURLToPath(import.meta.url);

probeMain(process.argv.slice(2), {
  env: process.env,
  hostname: os.hostname(),
  spoolDir: path.dirname(scriptPath),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}).then(
  (code) => {
    process.exitCode = code;
    // A run leaves no sockets or timers behind; this only guards against one that did.
    setTimeout(() => process.exit(code), 2000).unref();
  },
  (error: unknown) => {
    process.stderr.write(`linkscope-probe: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
