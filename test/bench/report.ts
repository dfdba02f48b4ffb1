// The ingest benchmark's report: one markdown section, printed and written into
// docs/benchmarks.md in place of the previous run's (other sections of the file are kept).
import fs from "node:fs";
import os from "node:os";
import type { BatchRun, Prepared, SingleRun } from "./load";

export const SECTION_HEADING = "## Ingest (npm run bench:ingest)";

/** A batch run with the CPU seconds the server and the analysis worker (if any) used meanwhile. */
export type CpuRun = BatchRun & { serverCpuS: number; workerCpuS: number };

/** A batch run and what the database held afterwards. */
export interface StoredRun {
  run: CpuRun;
  /** events of the fleet found in the database */
  stored: number;
  sessions: number;
}

export interface AppRun {
  batches: StoredRun;
  singlePost: SingleRun;
  health: SingleRun;
  /** lines of the server's output that report an error */
  serverErrors: number;
}

export interface IngestFigures {
  fleet: Prepared & { hours: number; sites: number; batchSize: number; connections: number; singleConnections: number; singleSeconds: number };
  ceiling: StoredRun;
  /** the analysis that follows ingest deferred past the run: the ingest path alone */
  quiet: AppRun;
  /** as `npm start` runs it: the analysis worker process beside the server analyses touched sites */
  shipped: AppRun;
  loadAverage: { before: number[]; after: number[] };
  commit: string;
}

export function machine(): string {
  const cpuinfo = fs.existsSync("/proc/cpuinfo") ? fs.readFileSync("/proc/cpuinfo", "utf8") : "";
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? "unknown CPU";
  return `${os.availableParallelism()} cores (nproc), ${model}, Node ${process.version}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.platform()} ${os.release()}`;
}

const int = (n: number) => Math.round(n).toLocaleString("en-US");
const ms = (n: number) => `${n.toFixed(1)} ms`;
const x = (n: number) => `${n.toFixed(2)}x`;
const loads = (l: number[]) => l.map((v) => v.toFixed(1)).join(" / ");
const rate = (r: StoredRun) => r.run.events / r.run.seconds;
/** events per CPU-second of the server process: what the work costs, whatever else runs on the machine */
const perCpu = (r: StoredRun) => r.run.events / r.run.serverCpuS;
const reqRate = (r: SingleRun) => r.requests / r.seconds;

export function renderSection(f: IngestFigures, targets: { eventsPerS: number; ratio: number }): string {
  const ceiling = rate(f.ceiling);
  const pass = (ok: boolean) => (ok ? "met" : "**missed**");
  const types = Object.entries(f.fleet.byType)
    .sort((a, b) => b[1] - a[1])
    .map(([t, n]) => `${int(n)} ${t}`)
    .join(", ");
  const batchRow = (label: string, r: StoredRun) =>
    `| ${label} | **${int(rate(r))}** (${r.run.seconds.toFixed(1)} s; last quarter ${int(r.run.lastQuarterRate)}) | **${x(rate(r) / ceiling)}** | ` +
    `${int(perCpu(r))} | ${x(perCpu(r) / perCpu(f.ceiling))} |`;
  const singleRows = (label: string, a: AppRun) => [
    `| ${label}: POST /api/v1/events, one event | **${int(reqRate(a.singlePost))}** | ${ms(a.singlePost.p50Ms)} | **${ms(a.singlePost.p99Ms)}** |`,
    `| ${label}: GET /api/v1/health, trivial route handler | ${int(reqRate(a.health))} | ${ms(a.health.p50Ms)} | ${ms(a.health.p99Ms)} |`,
    `| ${label}: ours / trivial | ${x(reqRate(a.singlePost) / reqRate(a.health))} | | ${x(a.singlePost.p99Ms / a.health.p99Ms)} |`,
  ];
  const verdict = (label: string, r: StoredRun) =>
    `${label}: ≥ ${int(targets.eventsPerS)} events/s ${pass(rate(r) >= targets.eventsPerS)}, ` +
    `≥ ${targets.ratio}x the ceiling ${pass(rate(r) / ceiling >= targets.ratio)} (by CPU cost ${pass(perCpu(r) / perCpu(f.ceiling) >= targets.ratio)})`;
  const runs = [f.ceiling, f.quiet.batches, f.shipped.batches];
  const failed = (k: "singlePost" | "health") => f.quiet[k].failures + f.shipped[k].failures;
  return [
    SECTION_HEADING,
    "",
    `Run ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC at commit \`${f.commit}\` on ${machine()}. ` +
      `Load average (1/5/15 min) ${loads(f.loadAverage.before)} before the run, ${loads(f.loadAverage.after)} after: the machine is ` +
      "shared, and anything above ~1 means other work competed for the 2 cores, so wall-clock rates vary from run to run " +
      "(the per-CPU-second figures much less).",
    "",
    `Fleet: ${int(f.fleet.devices)} devices on ${f.fleet.sites} sites, ${f.fleet.hours} h of device time ending a minute before the run ` +
      `(${types}; ${int(f.fleet.events)} events, ${(f.fleet.bytes / f.fleet.events).toFixed(0)} bytes each on the wire), sent in device-time ` +
      `order with up to 3 s of upload jitter, ${f.fleet.batchSize} events per request over ${f.fleet.connections} keep-alive connections from a ` +
      "separate load-generator process, each time into a fresh SQLite file (WAL). The servers run one at a time, each in its own process. " +
      "The device times lie in the past, so when a batch is stored the sessions whose next heartbeats have not arrived yet read as " +
      "stopped (inferred): a replayed backlog, the harder case for session derivation.",
    "",
    "Ceiling: a bare `node:http` server (test/bench/ceiling-server.ts) that JSON.parses the same bodies and inserts the same Event " +
      "rows and device upserts with prepared better-sqlite3 statements, one transaction per batch, same schema and pragmas: " +
      `**${int(ceiling)} events/s**, ${int(perCpu(f.ceiling))} events per server CPU-second.`,
    "",
    "| batch ingest, sustained | events/s | ratio to ceiling | events per server CPU-second | ratio to ceiling |",
    "|---|---:|---:|---:|---:|",
    batchRow("Linkscope, ingest path (analysis deferred past the run)", f.quiet.batches),
    batchRow("Linkscope as shipped (`npm start`: an analysis worker process beside the server polls for new events every 5 s)", f.shipped.batches),
    "",
    `Server CPU only in the per-CPU-second column; as shipped, the analysis worker used a further ${f.shipped.batches.run.workerCpuS.toFixed(1)} CPU-s ` +
      `during the batch run (the server ${f.shipped.batches.run.serverCpuS.toFixed(1)} s), on the same 2 cores.`,
    "",
    `| single-event requests, ${f.fleet.singleConnections} connections, ${f.fleet.singleSeconds} s each | req/s | p50 | p99 |`,
    "|---|---:|---:|---:|",
    ...singleRows("ingest path", f.quiet),
    ...singleRows("as shipped", f.shipped),
    "",
    `Targets (issue 2) — ${verdict("ingest path", f.quiet.batches)}; ${verdict("as shipped", f.shipped.batches)}.`,
    "",
    `Checks: each database holds exactly the ${int(f.fleet.events)} events sent (ceiling ${int(f.ceiling.stored)}, ` +
      `ingest path ${int(f.quiet.batches.stored)}, as shipped ${int(f.shipped.batches.stored)}; ` +
      `all accepted, none rejected), and ${int(f.shipped.batches.sessions)} sessions were derived. ` +
      `Failed requests: ${runs.reduce((n, r) => n + r.run.failures.length, 0)} batch, ${failed("singlePost")} single-event, ${failed("health")} health; ` +
      `error lines in the server logs: ${f.quiet.serverErrors} (ingest path), ${f.shipped.serverErrors} (as shipped).`,
    "",
  ].join("\n");
}

/** Replaces a benchmark's section of the file (from its heading to the next `## `), keeping the rest. */
export function writeSection(file: string, section: string, heading = SECTION_HEADING): void {
  const old = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "# Benchmarks\n\nMeasured figures; each section is rewritten by the command in its heading.\n";
  const start = old.indexOf(heading);
  let next: string;
  if (start === -1) {
    next = `${old.trimEnd()}\n\n${section}`;
  } else {
    const after = old.indexOf("\n## ", start + heading.length);
    next = old.slice(0, start) + section + (after === -1 ? "" : `\n${old.slice(after + 1)}`);
  }
  fs.writeFileSync(file, `${next.trimEnd()}\n`);
}
