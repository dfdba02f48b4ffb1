// Preloaded into `next start` by the ingest benchmark (NODE_OPTIONS=--require ...):
//   - appends "<pid> server|worker" to BENCH_PID_FILE, so the benchmark can read the CPU time
//     of the server and of the analysis worker (lib/findings/worker-cli.ts) from /proc: figures
//     that other load on a shared machine does not distort;
//   - with BENCH_PROFILE_DIR, profiles the whole process and writes <dir>/<pid>.cpuprofile
//     when it exits (NODE_OPTIONS may not carry --cpu-prof). Open it in Chrome DevTools.
const fs = require("node:fs");
const path = require("node:path");
const inspector = require("node:inspector");

if (process.env.BENCH_PID_FILE) {
  const role = process.argv.slice(1).some((arg) => arg.includes("worker-cli")) ? "worker" : "server";
  fs.appendFileSync(process.env.BENCH_PID_FILE, `${process.pid} ${role}\n`);
}

const dir = process.env.BENCH_PROFILE_DIR;
if (dir) {
  const session = new inspector.Session();
  session.connect();
  session.post("Profiler.setSamplingInterval", { interval: 500 });
  session.post("Profiler.enable");
  session.post("Profiler.start");
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    // The main-thread session answers synchronously, so this also works in an "exit" handler.
    session.post("Profiler.stop", (error, result) => {
      if (!error) fs.writeFileSync(path.join(dir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  };
  process.on("exit", write);
  for (const signal of ["SIGTERM", "SIGINT"]) process.prependListener(signal, write);
}
