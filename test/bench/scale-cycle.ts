// One piece of the analysis worker's work on a seeded database, in a process of its own so
// that its CPU time and peak RSS are its alone (forked by test/bench/scale.ts):
//
//   idle   — open the database and nothing else: the process's own footprint (the baseline)
//   cycle  — the worker's scheduled cycle at "now", as AnalysisScheduler.fleet() runs it: the
//            stale-session sweep, the changed scopes (runChanges), the fleet-wide kinds
//            (runFleetCycle)
//   purge  — the retention purge at "now" (purgeExpired, as the worker runs it hourly)
//   full   — the full recompute at "now" (`npm run cli -- analyse --rebuild`): the digest
//            rebuilt from the Session table, every kind over the whole window
//
// Usage: tsx test/bench/scale-cycle.ts <mode> <sqlite file> <now ms>
// Prints one JSON line: CycleReport.
import fs from "node:fs";
import { openDb } from "@/lib/db/client";
import { runAnalysis, runChanges, runFleetCycle } from "@/lib/findings/run";
import { purgeExpired } from "@/lib/retention/purge";
import { closeStaleSessions } from "@/lib/sessions";

export type CycleMode = "idle" | "cycle" | "purge" | "full";

export interface CycleReport {
  mode: CycleMode;
  seconds: number;
  cpuS: number;
  peakRssMb: number;
  /** what the work reported */
  outcome: unknown;
}

async function work(mode: CycleMode, db: ReturnType<typeof openDb>, now: number): Promise<unknown> {
  switch (mode) {
    case "idle":
      return db.prisma.device.count();
    case "cycle": {
      const swept = await closeStaleSessions(db, now);
      const changes = await runChanges(db, now);
      const fleet = await runFleetCycle(db, now);
      return { swept, changes, fleet };
    }
    case "purge":
      return purgeExpired(db, now);
    case "full":
      return runAnalysis(db, null, now, { rebuild: true });
  }
}

/**
 * This process's peak RSS in MiB: VmHWM, the high-water mark of its own address space. Not
 * getrusage's maxRSS, which on Linux also holds the parent's RSS at the fork before exec (the
 * bench's own, seeding: hundreds of MiB that were never this process's).
 */
function peakRssMb(): number {
  const hwm = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync("/proc/self/status", "utf8"));
  if (!hwm) throw new Error("no VmHWM in /proc/self/status");
  return Math.round(Number(hwm[1]) / 1024);
}

async function main(): Promise<void> {
  const [mode, file, nowText] = process.argv.slice(2) as [CycleMode, string, string];
  const now = Number(nowText);
  if (!["idle", "cycle", "purge", "full"].includes(mode) || !file || !Number.isFinite(now)) throw new Error("usage: scale-cycle.ts idle|cycle|purge|full <sqlite file> <now ms>");
  const db = openDb({ provider: "sqlite", file });
  try {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const outcome = await work(mode, db, now);
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const report: CycleReport = { mode, seconds, cpuS: (used.user + used.system) / 1e6, peakRssMb: peakRssMb(), outcome };
    console.log(JSON.stringify(report));
  } finally {
    await db.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
