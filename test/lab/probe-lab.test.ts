// The probe against a real network path: Linux network namespaces, a middle router with
// nftables and conntrack, the production app in a server namespace. See docs/probe-lab.md.
//
//   client ns ── veth ── middle ns (forwarding, nftables, conntrack) ── veth ── server ns (next start)
//   runs probe.mjs       forgets idle flows silently / drops or rejects :443     10.231.0.1:3000 (+ :443 listener)
//
// Needs root, `ip` and `nft`. Without them the lab is skipped with the reason; with CI=true or
// LINKSCOPE_REQUIRE_LAB=1 it fails instead.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync, spawn } from "node:child_process";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it, type TestContext } from "vitest";
import { keyFor } from "../helpers/app";
import { sqliteTestDb, type TestDb } from "../helpers/test-db";
import { APP_PORT, nsGet, startLabApp, type LabApp } from "./lab-app";
import { Lab, SERVER_IP, getSysctl, labUnavailable, run, type Line } from "./netns";

/**
 * Idle periods of the first round, in seconds. Rung 20 sits right on the 20 s timeout: whichever
 * way it falls (it dies: the answer comes just after conntrack forgot), only the bracket's edge moves.
 */
const LADDER = "10,20,30,45,60";
const IDLE_MAX_S = 90;
const IDLE_CASES = [
  { name: "t20", timeoutS: 20 },
  { name: "t40", timeoutS: 40 },
] as const;
const TOLERANCE = 0.15;

const BLOCKED_PORT = 443;
const PORT_CASES = [
  { name: "drop", how: "drop", mode: "dropped", errno: "ETIMEDOUT" },
  { name: "refuse", how: "reject", mode: "refused", errno: "ECONNREFUSED" },
] as const;
const CONNECT_TIMEOUT_S = 3;
/**
 * The port_blocked detector wants at least 3 failures spread over 10 minutes or more (a single
 * retry burst is not a block). The lab replays three scheduled probe runs with their clocks set
 * this many minutes back instead of waiting (see clock-offset.mjs).
 */
const PORT_RUN_CLOCK_OFFSETS_MIN = [-11, -5.5, 0];

const SERVER_URL = `http://${SERVER_IP}:${APP_PORT}`;
const CLOCK_OFFSET = pathToFileURL(path.resolve("test/lab/clock-offset.mjs")).href;

const required = ["true", "1"].includes(process.env.CI ?? "") || process.env.LINKSCOPE_REQUIRE_LAB === "1";
const unavailable = labUnavailable();

if (unavailable && required) {
  describe("probe network lab", () => {
    it("can build network namespaces (required here: CI=true or LINKSCOPE_REQUIRE_LAB=1)", () => {
      throw new Error(`the probe lab must run here but cannot: ${unavailable}`);
    });
  });
} else if (unavailable) {
  console.warn(`probe network lab skipped: ${unavailable}`);
  describe.skip(`probe network lab (skipped: ${unavailable})`, () => {
    it("measures a silent middlebox's idle timeout and sees port 443 dropped / refused", () => {});
  });
} else {
  describe("probe network lab", labSuite);
}

interface ProbeRun {
  code: number;
  stdout: string;
  stderr: string;
  wallS: number;
}

interface IdleResult {
  survivedS: number[];
  diedS: number[];
  estimateS: number | null;
  direction: "downstream" | "upstream";
}

interface IdleOutcome {
  run: ProbeRun;
  /** conntrack's established timeout as read back from the middle namespace */
  configuredS: number;
  results: { result: IdleResult; durationS: number; rounds: number }[];
}

interface PortOutcome {
  runs: ProbeRun[];
  failures: { stage: string; errno: string; endpoint: string; elapsedMs?: number }[];
  /** packets the middle's block rule matched */
  blockedPackets: number;
}

function labSuite() {
  let testDb: TestDb;
  let lab: Lab;
  let app: LabApp;
  let probeFile: string;
  let probeSource: string;
  let readKey: string;
  const lines = new Map<string, Line>();
  const ingestKeys = new Map<string, string>();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "linkscope-lab-"));
  const report: string[] = [];
  const findingsSeen: string[] = [];

  beforeAll(async () => {
    testDb = await sqliteTestDb();
    lab = new Lab();
    for (const c of IDLE_CASES) lines.set(c.name, lab.addLine(c.name, { idleTimeoutS: c.timeoutS }));
    for (const c of PORT_CASES) lines.set(c.name, lab.addLine(c.name, { block: { port: BLOCKED_PORT, how: c.how } }));
    for (const name of lines.keys()) ingestKeys.set(name, await keyFor(testDb.db, "ingest", `lab-${name}`));
    readKey = await keyFor(testDb.db, "read");

    // Something really listens on the blocked port, so a refusal can only come from the middle.
    const listener = `require("net").createServer((s) => s.end()).listen(${BLOCKED_PORT}, "${SERVER_IP}")`;
    spawn("ip", ["netns", "exec", lab.server, process.execPath, "-e", listener], { stdio: "ignore" });
    const check = `require("net").connect(${BLOCKED_PORT}, "${SERVER_IP}").on("connect", () => process.exit(0)).on("error", () => process.exit(1))`;
    for (let i = 0; ; i += 1) {
      if ((await lab.exec(lab.server, process.execPath, ["-e", check])).code === 0) break;
      if (i > 50) throw new Error(`nothing listens on ${SERVER_IP}:${BLOCKED_PORT} in the server namespace`);
      await new Promise((r) => setTimeout(r, 100));
    }

    app = await startLabApp(lab, testDb.config);

    // The probe as a site engineer gets it: downloaded from the dashboard, through the lab path.
    const first = lines.get(IDLE_CASES[0].name)!;
    const download = await nsGet(lab, first.client, `${SERVER_URL}/probe.mjs`);
    probeFile = path.join(tmp, "probe.mjs");
    if (download.status === 200) {
      fs.writeFileSync(probeFile, download.body);
      probeSource = `downloaded from ${SERVER_URL}/probe.mjs through the lab`;
    } else {
      // The app serves public/probe.mjs only when `npm run build` bundled it before `next build`.
      execFileSync(process.execPath, ["scripts/build-probe.mjs", "--outfile", probeFile], { stdio: "pipe" });
      probeSource = `bundled from lib/probe (the app answered ${download.status} for /probe.mjs: run \`npm run build\`)`;
      console.warn(`probe lab: ${probeSource}`);
    }
    const help = await lab.exec(first.client, process.execPath, [probeFile, "--help"]);
    expect(help.stdout).toContain("--connect-timeout");
  });

  afterAll(async () => {
    await app?.stop();
    lab?.destroySync();
    await testDb?.cleanup();
    fs.rmSync(tmp, { recursive: true, force: true });
    if (report.length > 0) {
      const table = [
        `probe lab results (probe ${probeSource}; ladder ${LADDER}, --idle-max ${IDLE_MAX_S}, 2 refinement rounds):`,
        "| scenario | configured | downstream | upstream | measurement (down / up) | probe run |",
        "|---|---|---|---|---|---|",
        ...report,
        ...(findingsSeen.length > 0 ? ["", "findings after runAnalysis:", ...findingsSeen.sort()] : []),
      ].join("\n");
      console.info(table);
      if (process.env.LINKSCOPE_LAB_REPORT) fs.writeFileSync(process.env.LINKSCOPE_LAB_REPORT, `${table}\n`);
    }
  });

  async function runProbe(line: Line, args: string[], clockOffsetMs = 0): Promise<ProbeRun> {
    const started = Date.now();
    const spool = path.join(fs.mkdtempSync(path.join(tmp, "spool-")), "spool.jsonl");
    const argv = ["--import", CLOCK_OFFSET, probeFile, "--server", SERVER_URL, "--key", ingestKeys.get(line.name)!];
    argv.push("--site", `lab-${line.name}`, "--device", `probe-lab-${line.name}`, "--spool", spool, "--once", ...args);
    const result = await lab.exec(line.client, process.execPath, argv, { LINKSCOPE_LAB_CLOCK_OFFSET_MS: String(clockOffsetMs) });
    return { ...result, wallS: (Date.now() - started) / 1000 };
  }

  async function storedEvents(name: string, type: string): Promise<Record<string, unknown>[]> {
    const rows = await testDb.db.prisma.event.findMany({ where: { type, device: { externalId: `probe-lab-${name}` } }, orderBy: { at: "asc" } });
    return rows.map((row) => ({ ...(JSON.parse(row.data) as Record<string, unknown>), at: row.at }));
  }

  // Analyses run one at a time: the concurrent scenarios share one SQLite connection.
  let analysisChain: Promise<unknown> = Promise.resolve();
  async function findingsOf(ctx: TestContext, kind: string, site: string): Promise<Record<string, unknown>[]> {
    let runAnalysis: typeof import("@/lib/findings/run").runAnalysis;
    try {
      ({ runAnalysis } = await import("@/lib/findings/run"));
    } catch (error) {
      const why = `finding assertions skipped: lib/findings/run.ts (the detectors) cannot be loaded yet: ${error instanceof Error ? error.message.split("\n")[0] : error}`;
      console.warn(why);
      ctx.skip(why);
    }
    const analysed = analysisChain.then(async () => {
      const row = await testDb.db.prisma.site.findUniqueOrThrow({ where: { slug: site } });
      await runAnalysis(testDb.db, { id: row.id }, Date.now());
    });
    analysisChain = analysed.catch(() => {});
    await analysed;
    const res = await app.get(`/api/v1/findings?kind=${kind}&site=${site}`, readKey);
    expect(res.status, res.body).toBe(200);
    const items = (JSON.parse(res.body) as { items: Record<string, unknown>[] }).items;
    for (const item of items) {
      const { mode, timeoutS, endpoint } = item.evidence as { mode?: string; timeoutS?: number; endpoint?: string };
      findingsSeen.push(`- ${site}: ${kind}, mode ${mode}${timeoutS !== undefined ? `, timeoutS ${timeoutS}` : ""}${endpoint ? `, endpoint ${endpoint}` : ""} — "${item.title}"`);
    }
    return items;
  }

  // Each scenario's probe runs start once, shared by its measurement and its finding test;
  // all scenarios run at the same time (separate lines, separate middles).
  const idleRuns = new Map<string, Promise<IdleOutcome>>();
  function idleOutcome(c: (typeof IDLE_CASES)[number]): Promise<IdleOutcome> {
    let pending = idleRuns.get(c.name);
    if (!pending) {
      pending = (async () => {
        const line = lines.get(c.name)!;
        const configuredS = Number(getSysctl(line.middle, "net.netfilter.nf_conntrack_tcp_timeout_established"));
        const run = await runProbe(line, ["--no-bayeux", "--ladder", LADDER, "--idle-max", String(IDLE_MAX_S)]);
        if (run.code !== 0) console.warn(`probe lab ${c.name}: probe exit ${run.code}; conntrack in the middle now:\n${lab.conntrackTable(line.middle)}`);
        const events = await storedEvents(c.name, "probe");
        const results = events
          .filter((e) => e.kind === "idle_timeout")
          .map((e) => {
            const attrs = (e.attrs ?? {}) as { durationS?: number; rounds?: number };
            return { result: e.result as IdleResult, durationS: attrs.durationS ?? NaN, rounds: attrs.rounds ?? NaN };
          });
        const by = (d: string) => results.find((r) => r.result.direction === d);
        const cell = (d: string) => {
          const r = by(d);
          return r ? `${r.result.estimateS} s (survived ${maxBelow(r.result)}, died ${Math.min(...r.result.diedS)})` : "—";
        };
        report.push(
          `| idle timeout, silent (${c.name}) | ${configuredS} s | ${cell("downstream")} | ${cell("upstream")} | ` +
            `${by("downstream")?.durationS.toFixed(1) ?? "—"} s / ${by("upstream")?.durationS.toFixed(1) ?? "—"} s | ${run.wallS.toFixed(1)} s |`,
        );
        return { run, configuredS, results };
      })();
      idleRuns.set(c.name, pending);
    }
    return pending;
  }

  const portRuns = new Map<string, Promise<PortOutcome>>();
  function portOutcome(c: (typeof PORT_CASES)[number]): Promise<PortOutcome> {
    let pending = portRuns.get(c.name);
    if (!pending) {
      pending = (async () => {
        const line = lines.get(c.name)!;
        const runs: ProbeRun[] = [];
        for (const offsetMin of PORT_RUN_CLOCK_OFFSETS_MIN) {
          const args = ["--target", `https://${SERVER_IP}:${BLOCKED_PORT}`, "--no-bayeux", "--no-idle", "--connect-timeout", String(CONNECT_TIMEOUT_S)];
          runs.push(await runProbe(line, args, offsetMin * 60_000));
        }
        const failures = (await storedEvents(c.name, "connect_failed")) as unknown as PortOutcome["failures"];
        const ruleset = run("ip", ["netns", "exec", line.middle, "nft", "list", "ruleset"]);
        const counted = new RegExp(`tcp dport ${BLOCKED_PORT} counter packets (\\d+)`).exec(ruleset);
        const blockedPackets = counted ? Number(counted[1]) : -1;
        const elapsed = failures.map((f) => f.elapsedMs).filter((v): v is number => typeof v === "number");
        report.push(
          `| port ${BLOCKED_PORT} ${c.how === "drop" ? "dropped" : "rejected (tcp reset)"} (${c.name}) | nft ${c.how} | ` +
            `${failures.map((f) => f.errno).join(", ")} | — | connect failed after ${elapsed.map((ms) => `${Math.round(ms)} ms`).join(", ")} | ` +
            `${runs.map((r) => r.wallS.toFixed(1)).join(" + ")} s |`,
        );
        return { runs, failures, blockedPackets };
      })();
      portRuns.set(c.name, pending);
    }
    return pending;
  }

  // All scenarios run at once (maxConcurrency 5: the four measurements start first).
  describe.concurrent("the probe through the lab", () => {
    for (const c of IDLE_CASES) {
      it(`measures a silent ${c.timeoutS} s conntrack timeout within ${TOLERANCE * 100}%, downstream and upstream`, { timeout: 300_000 }, async () => {
        const { run: probe, configuredS, results } = await idleOutcome(c);
        expect(configuredS).toBe(c.timeoutS);
        expect(probe.code, `probe exit ${probe.code}\n${probe.stderr}`).toBe(0);
        // The probe event reached the app through the middle and is stored.
        expect(results.map((r) => r.result.direction).sort(), probe.stderr).toEqual(["downstream", "upstream"]);
        for (const { result } of results) {
          const context = `${result.direction}: ${JSON.stringify(result)}\n${probe.stderr}`;
          expect(result.estimateS, context).not.toBeNull();
          expect(Math.abs(result.estimateS! - c.timeoutS) / c.timeoutS, context).toBeLessThanOrEqual(TOLERANCE);
          // The cliff itself: what survived stayed below T, what died was idle about T or longer.
          expect(maxBelow(result), context).toBeLessThan(c.timeoutS + 1);
          expect(Math.min(...result.diedS), context).toBeGreaterThan(c.timeoutS - 1);
        }
        expect(probe.stdout).toMatch(/≈ [\d.]+ s/);
        // Silent: the tries that died got no answer at all (their deadline passed), never a reset.
        expect(probe.stderr).toMatch(/died [\d.]+ \(ETIMEDOUT\)/);
        expect(probe.stderr).not.toMatch(/died [^;\n]*\((ECONNRESET|EPIPE)\)/);
      });
    }

    for (const c of PORT_CASES) {
      it(`reports connect_failed at stage tcp with ${c.errno} when the middle ${c.how}s SYNs to :${BLOCKED_PORT}`, { timeout: 120_000 }, async () => {
        const { runs, failures, blockedPackets } = await portOutcome(c);
        for (const probe of runs) {
          expect(probe.code, probe.stderr).toBe(1);
          expect(probe.stderr).toContain(`failed at tcp: ${c.errno}`);
        }
        expect(failures).toHaveLength(PORT_RUN_CLOCK_OFFSETS_MIN.length);
        for (const failure of failures) expect(failure).toMatchObject({ stage: "tcp", errno: c.errno, endpoint: `${SERVER_IP}:${BLOCKED_PORT}` });
        const elapsed = failures.map((f) => f.elapsedMs ?? NaN);
        if (c.how === "drop") for (const ms of elapsed) expect(ms).toBeGreaterThanOrEqual(CONNECT_TIMEOUT_S * 1000 - 50);
        else for (const ms of elapsed) expect(ms).toBeLessThan(1000);
        // It was the middle's rule, not the server: something listens on :443 there.
        expect(blockedPackets).toBeGreaterThanOrEqual(PORT_RUN_CLOCK_OFFSETS_MIN.length);
      });
    }

    for (const c of IDLE_CASES) {
      it(`shows an idle_timeout finding (mode probe, ${c.timeoutS} s ± ${TOLERANCE * 100}%) in /api/v1/findings`, { timeout: 300_000 }, async (ctx) => {
        const { results } = await idleOutcome(c);
        expect(results.length).toBeGreaterThan(0);
        const items = await findingsOf(ctx, "idle_timeout", `lab-${c.name}`);
        expect(items, JSON.stringify(items)).toHaveLength(1);
        const evidence = items[0].evidence as { mode: string; timeoutS: number };
        expect(items[0]).toMatchObject({ kind: "idle_timeout", site: `lab-${c.name}`, status: "open" });
        expect(evidence.mode).toBe("probe");
        expect(Math.abs(evidence.timeoutS - c.timeoutS) / c.timeoutS, JSON.stringify(evidence)).toBeLessThanOrEqual(TOLERANCE);
      });
    }

    for (const c of PORT_CASES) {
      it(`shows a port_blocked finding (mode ${c.mode}) in /api/v1/findings`, { timeout: 120_000 }, async (ctx) => {
        const { failures } = await portOutcome(c);
        expect(failures.length).toBeGreaterThan(0);
        const items = await findingsOf(ctx, "port_blocked", `lab-${c.name}`);
        expect(items, JSON.stringify(items)).toHaveLength(1);
        expect(items[0]).toMatchObject({
          kind: "port_blocked",
          site: `lab-${c.name}`,
          evidence: { mode: c.mode, endpoint: `${SERVER_IP}:${BLOCKED_PORT}` },
        });
      });
    }
  });
}

function maxBelow(result: IdleResult): number {
  const died = Math.min(...result.diedS);
  const below = result.survivedS.filter((s) => s < died);
  return below.length > 0 ? Math.max(...below) : 0;
}
