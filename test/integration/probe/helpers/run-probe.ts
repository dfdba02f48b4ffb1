import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { probeMain } from "@/lib/probe/main";
import type { Environment } from "@/lib/probe/environment";

export interface ProbeResult {
  code: number;
  stdout: string;
  stderr: string;
}

export const TEST_KEY = "lsk_testtest_0123456789abcdef0123456789abcdef";

export function tempSpool(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), "linkscope-spool-")), "spool.jsonl");
}

/** Runs the probe's command line in this process; `env` replaces the process environment. */
export async function runProbe(argv: string[], env: Environment = {}): Promise<ProbeResult> {
  let stdout = "";
  let stderr = "";
  const code = await probeMain(argv, {
    env,
    hostname: "test-host",
    spoolDir: os.tmpdir(),
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  });
  return { code, stdout, stderr };
}

/** Runs a built probe file as its own process, as a site engineer would. */
export function runProbeProcess(file: string, argv: string[], env: Environment = {}): Promise<ProbeResult> {
  return new Promise((resolve, reject) => {
    // Only what the test gives: no proxy or key leaks in from the developer's shell.
    const childEnv: NodeJS.ProcessEnv = { ...env, PATH: process.env.PATH, NODE_ENV: process.env.NODE_ENV };
    const child = spawn(process.execPath, [file, ...argv], { env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

export function spooledEvents(file: string): Record<string, unknown>[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
