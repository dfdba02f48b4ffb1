import { setTimeout as sleep } from "node:timers/promises";
import type { Environment } from "./environment";
import { HELP, parseProbeCommand, type OptionDefaults, type ProbeOptions } from "./options";
import { streamProgress, type Progress } from "./progress";
import { deliverSpooled, runProbeOnce, transportFor } from "./run";
import { EventSpool } from "./spool";
import { EXIT_OK, EXIT_USAGE, summarizeRun, verdictOf } from "./summary";

export interface ProbeIo extends OptionDefaults {
  env: Environment;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Ends the continuous schedule (between runs). */
  stop?: AbortSignal;
}

/** The probe's command line: returns the process exit code. */
export async function probeMain(argv: string[], io: ProbeIo): Promise<number> {
  const command = parseProbeCommand(argv, io.env, io);
  if (command.kind === "help") {
    io.stdout(HELP);
    return EXIT_OK;
  }
  if (command.kind === "usage_error") {
    io.stderr(`linkscope-probe: ${command.message}\nTry --help.\n`);
    return EXIT_USAGE;
  }
  const options = command.options;
  const progress = streamProgress(io.stderr);
  if (options.once) {
    const run = await runProbeOnce(options, io.env, progress);
    io.stdout(summarizeRun(run, options));
    const verdict = verdictOf(run);
    for (const line of [verdict.reason, ...(verdict.more ?? [])]) if (line) io.stderr(`linkscope-probe: ${line}\n`);
    return verdict.exitCode;
  }
  await runOnSchedule(options, io, progress);
  return EXIT_OK;
}

const SPOOL_RETRY_S = 60;

/** Runs every `--interval` seconds; between runs, retries the spool every minute while it holds events. */
async function runOnSchedule(options: ProbeOptions, io: ProbeIo, progress: Progress): Promise<void> {
  const spool = new EventSpool(options.spoolFile, progress, options.spoolMax);
  const transport = transportFor(options, io.env, options.server, !options.insecure);
  while (!io.stop?.aborted) {
    const started = Date.now();
    const run = await runProbeOnce(options, io.env, progress);
    io.stdout(summarizeRun(run, options));
    const verdict = verdictOf(run);
    for (const line of [verdict.reason, ...(verdict.more ?? [])]) if (line) progress.warn(line);
    let retryAfterS = run.delivery.retryAfterS ?? SPOOL_RETRY_S;
    const next = started + options.intervalS * 1000;
    while (Date.now() < next && !io.stop?.aborted) {
      const waitMs = Math.min(next - Date.now(), retryAfterS * 1000);
      const slept = await sleep(waitMs, true, { signal: io.stop }).catch(() => false);
      if (!slept || Date.now() >= next) break;
      if (spool.read().length > 0) {
        const report = await deliverSpooled(options, spool, transport, progress);
        retryAfterS = report.retryAfterS ?? SPOOL_RETRY_S;
      }
    }
  }
}
