// Background work: analysis of what changed (the session journal folded into the digest, then
// the changed sites and scopes analysed; debounced, so a burst of batches costs one run), the
// fleet-wide kinds on a schedule, the sweep that closes sessions whose heartbeats stopped, and
// the hourly retention purge (lib/retention).
// Runs never overlap within a process; on PostgreSQL an advisory lock keeps several instances
// from analysing at the same time.
//
// Where it runs (LINKSCOPE_BACKGROUND):
//   worker      — its own process (lib/findings/worker-cli.ts, started by `npm start`), which
//                 polls the journal: analysis never competes with ingest for the server's
//                 event loop;
//   (unset)     — inside the server process, poked by ingest (`next dev`, a bare `next start`);
//   off         — not at all (tests that run analysis themselves).
import { getDb, type Db } from "@/lib/db/client";
import { purgeExpired } from "@/lib/retention/purge";
import { closeStaleSessions } from "@/lib/sessions";
import { runChanges, runFleetCycle } from "./run";

const env = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};
const ANALYSIS_LOCK_KEY = 0x414e4c59; // "ANLY"

export interface SchedulerOptions {
  debounceMs: number;
  /** when set, look for newly received events this often instead of waiting for poke() */
  pollEveryMs?: number;
  fleetEveryMs: number;
  sweepEveryMs: number;
  /** the retention purge (lib/retention) this often, and once at start */
  purgeEveryMs: number;
}

export class AnalysisScheduler {
  private debounce: NodeJS.Timeout | null = null;
  private timers: NodeJS.Timeout[] = [];
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly options: SchedulerOptions,
  ) {}

  start(): void {
    this.timers.push(setInterval(() => this.enqueue(() => this.fleet()), this.options.fleetEveryMs));
    this.timers.push(setInterval(() => this.enqueue(() => this.sweep()), this.options.sweepEveryMs));
    this.timers.push(setInterval(() => this.enqueue(() => this.purge()), this.options.purgeEveryMs));
    if (this.options.pollEveryMs) this.timers.push(setInterval(() => this.poke(), this.options.pollEveryMs));
    for (const t of this.timers) t.unref();
    this.enqueue(() => this.fleet());
    this.enqueue(() => this.purge());
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t);
    if (this.debounce) clearTimeout(this.debounce);
  }

  /** Ingest stored something: analyse the sites it touched soon. */
  poke(): void {
    if (this.debounce) return;
    this.debounce = setTimeout(() => {
      this.debounce = null;
      this.enqueue(() => this.touchedSites());
    }, this.options.debounceMs);
    this.debounce.unref();
  }

  /** Waits for everything queued so far (tests, shutdown). */
  idle(): Promise<unknown> {
    return this.chain;
  }

  private enqueue(job: () => Promise<unknown>): void {
    this.chain = this.chain.then(job).catch((error: unknown) => console.error("linkscope: background analysis failed", error));
  }

  private async touchedSites(): Promise<void> {
    await this.exclusive(() => runChanges(this.db));
  }

  private async fleet(): Promise<void> {
    await this.sweep();
    await this.exclusive(() => runChanges(this.db));
    await this.exclusive(() => runFleetCycle(this.db));
  }

  private async sweep(): Promise<void> {
    await closeStaleSessions(this.db, Date.now());
  }

  private async purge(): Promise<void> {
    await this.exclusive(async () => {
      const o = await purgeExpired(this.db, Date.now());
      if (o.eventsDeleted || o.sessionsDeleted) {
        console.log(`linkscope: retention purge: ${o.eventsDeleted} raw events (${o.heartbeatsCompacted} heartbeats as ${o.hoursWritten} hourly rows), ${o.sessionsDeleted} sessions`);
      }
    });
  }

  private async exclusive(work: () => Promise<unknown>): Promise<void> {
    if (this.db.provider === "sqlite") {
      await work();
      return;
    }
    const client = await this.db.pool.connect();
    try {
      const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [ANALYSIS_LOCK_KEY]);
      if (!rows[0].locked) return; // another instance is analysing right now
      try {
        await work();
      } finally {
        await client.query("SELECT pg_advisory_unlock($1)", [ANALYSIS_LOCK_KEY]);
      }
    } finally {
      client.release();
    }
  }
}

const holder = globalThis as unknown as { linkscopeScheduler?: AnalysisScheduler };

function schedulerOptions(polling: boolean): SchedulerOptions {
  const debounceMs = env("LINKSCOPE_ANALYSIS_DEBOUNCE_MS", 5_000);
  return {
    debounceMs: polling ? 0 : debounceMs,
    pollEveryMs: polling ? debounceMs : undefined,
    fleetEveryMs: env("LINKSCOPE_ANALYSIS_EVERY_S", 300) * 1000,
    sweepEveryMs: 60_000,
    purgeEveryMs: env("LINKSCOPE_PURGE_EVERY_S", 3600) * 1000,
  };
}

/** Starts the server process's scheduler once (instrumentation.ts), unless it runs elsewhere or not at all. */
export function startBackgroundWork(): AnalysisScheduler | undefined {
  const mode = process.env.LINKSCOPE_BACKGROUND;
  if (mode === "off" || mode === "worker") return undefined;
  holder.linkscopeScheduler ??= new AnalysisScheduler(getDb(), schedulerOptions(false));
  holder.linkscopeScheduler.start();
  return holder.linkscopeScheduler;
}

/** The analysis worker process's scheduler (lib/findings/worker-cli.ts). */
export function startWorker(db: Db): AnalysisScheduler {
  const scheduler = new AnalysisScheduler(db, schedulerOptions(true));
  scheduler.start();
  return scheduler;
}

/** The running scheduler, if this process has one (route handlers poke it after ingest). */
export function backgroundWork(): AnalysisScheduler | undefined {
  return holder.linkscopeScheduler;
}
