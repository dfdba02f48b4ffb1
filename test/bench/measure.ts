// Pieces the benchmarks share: a TypeScript step run in a process of its own that prints one
// JSON line (so its CPU time and memory are its own), and a SQLite file's bytes per table.
import { fork } from "node:child_process";
import type Database from "better-sqlite3";

export interface JsonChildOptions {
  /** extra node flags (a bigger heap, a CPU profile) */
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
  /** killed after this long, and the promise rejected */
  deadlineMs?: number;
}

/** Runs `tsx file args…` and resolves with the JSON of the last line it printed. */
export function runJsonChild<T>(file: string, args: string[], o: JsonChildOptions = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(file, args, { execArgv: ["--import", "tsx", ...(o.execArgv ?? [])], stdio: ["ignore", "pipe", "inherit", "ipc"], env: o.env ?? process.env });
    let out = "";
    child.stdout!.on("data", (d) => (out += d));
    const deadline =
      o.deadlineMs === undefined
        ? null
        : setTimeout(() => {
            child.kill("SIGKILL");
            reject(new Error(`took longer than ${o.deadlineMs! / 60_000} min`));
          }, o.deadlineMs);
    child.on("exit", (code, signal) => {
      if (deadline) clearTimeout(deadline);
      const line = out.trim().split("\n").at(-1) ?? "";
      if (code === 0 && line.startsWith("{")) resolve(JSON.parse(line) as T);
      else reject(new Error(`exited with ${signal ?? code}${code === 134 || /heap/i.test(out) ? " (out of memory?)" : ""}`));
    });
  });
}

/** Bytes each table takes with its indexes (SQLite's dbstat), largest first. */
export function tableBytes(sqlite: Database.Database): Record<string, number> {
  const rows = sqlite
    .prepare(`SELECT m.tbl_name AS t, SUM(s.pgsize) AS bytes FROM dbstat s JOIN sqlite_master m ON s.name = m.name GROUP BY m.tbl_name ORDER BY bytes DESC`)
    .all() as Array<{ t: string; bytes: number }>;
  return Object.fromEntries(rows.map((r) => [r.t, r.bytes]));
}
