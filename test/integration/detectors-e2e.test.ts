// Every detector on ingested data: a simulated fleet with known faults is sent through the
// public ingest API of the production build, analysed from the database, and the findings
// read back through GET /api/v1/findings are scored against the simulator's ground truth.
// (The pure engine's accuracy over hundreds of sites is test/unit/analysis/accuracy.test.ts;
// this checks that nothing is lost between the wire and the findings API.)
import { afterAll, beforeAll, expect, test } from "vitest";
import type { FindingDraft, FindingKind } from "@/lib/analysis/types";
import type { FindingItem } from "@/lib/contract/read";
import { runAnalysis } from "@/lib/findings/run";
import { analysisOptionsFromEnv } from "@/lib/findings/settings";
import { KINDS, scoreFleet, type AccuracyReport } from "../sim/accuracy";
import { generateFleet, type SimFleet } from "../sim/generateFleet";
import { keyFor, postEvents, startApp, type RunningApp } from "../helpers/app";
import { fleetToWire } from "../helpers/fleet-to-wire";
import { sqliteTestDb, type TestDb } from "../helpers/test-db";

let t: TestDb;
let app: RunningApp;
let fleet: SimFleet;
let findings: FindingItem[];

const E2E_KINDS = KINDS;

beforeAll(async () => {
  t = await sqliteTestDb();
  const ingestKey = await keyFor(t.db, "ingest");
  const readKey = await keyFor(t.db, "read");
  app = await startApp(t.config, { LINKSCOPE_BACKGROUND: "off" });
  // The messier sites (two middleboxes at a site, flapping now) go through the wire in
  // incremental-analysis.test.ts; here the fleet stays the size the 300 s budget was set for.
  fleet = generateFleet(11, { sites: 30, messyCopies: 0, now: Date.now() });
  const events = fleetToWire(fleet.input);
  for (let i = 0; i < events.length; i += 1000) {
    const res = await postEvents(app.url, ingestKey, { events: events.slice(i, i + 1000) });
    const body = (await res.json()) as { accepted: number; rejected: unknown[] };
    expect(body.rejected).toEqual([]);
  }
  // As of the simulated moment (heartbeats are seconds old then), with the fleet's TLS pins
  // as an operator would configure them (LINKSCOPE_TLS_PINS).
  await runAnalysis(t.db, null, fleet.now, { analysis: analysisOptionsFromEnv({ LINKSCOPE_TLS_PINS: JSON.stringify(fleet.options.tls?.pins) }) });
  findings = [];
  let cursor: string | null = null;
  // The analysis ran in this process and held its event loop: let the keep-alive sockets the
  // server closed meanwhile be seen as closed before the next request picks one.
  await new Promise((resolve) => setTimeout(resolve, 100));
  do {
    const res = await fetch(`${app.url}/api/v1/findings?status=all&limit=500${cursor ? `&cursor=${cursor}` : ""}`, {
      headers: { authorization: `Bearer ${readKey}` },
    });
    const page = (await res.json()) as { items: FindingItem[]; nextCursor: string | null };
    findings.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
}, 300_000);

afterAll(async () => {
  await app?.stop();
  await t?.cleanup();
});

function asDraft(f: FindingItem): FindingDraft {
  const { id: _id, status: _status, acknowledgedAt: _ack, resolvedAt: _resolved, ...draft } = f;
  return { ...draft, firstSeen: Date.parse(f.firstSeen), lastSeen: Date.parse(f.lastSeen) };
}

test("findings read back through the API match the simulated faults", () => {
  const scored = fleet;
  const report = {
    seeds: [fleet.seed], sites: 0, healthySites: 0, cleanHealthySites: 0, kinds: [],
    timeoutErrors: { reset: [], silent: [], probe: [] }, naming: { right: 0, total: 0 }, vendor: { right: 0, total: 0 },
    portMode: { right: 0, total: 0 }, misses: [], falsePositives: [], analysisMs: 0, scenarios: new Map(),
  } satisfies AccuracyReport as AccuracyReport;
  const tallies = new Map(KINDS.map((k) => [k, { truths: 0, findings: 0, matchedFindings: 0, matchedTruths: 0 }]));
  scoreFleet(scored, findings.map(asDraft), report, tallies);

  const rows = E2E_KINDS.map((kind: FindingKind) => {
    const x = tallies.get(kind)!;
    return { kind, truths: x.truths, findings: x.findings, recall: x.truths ? x.matchedTruths / x.truths : 1, precision: x.findings ? x.matchedFindings / x.findings : 1 };
  });
  console.log(rows.map((r) => `${r.kind.padEnd(17)} truths ${r.truths}  findings ${r.findings}  recall ${r.recall.toFixed(2)}  precision ${r.precision.toFixed(2)}`).join("\n"));
  if (report.misses.length) console.log("missed:\n" + report.misses.join("\n"));
  if (report.falsePositives.length) console.log("unexpected:\n" + report.falsePositives.join("\n"));

  // Every detector fired on ingested data for at least one simulated fault of its kind...
  for (const r of rows) if (r.truths > 0) expect(r.recall, `${r.kind} recall`).toBeGreaterThanOrEqual(0.8);
  for (const r of rows) expect(r.precision, `${r.kind} precision`).toBeGreaterThanOrEqual(0.8);
  expect(rows.filter((r) => r.truths > 0).length).toBeGreaterThanOrEqual(6);
});

test("findings carry the protocol's evidence fields for their kind", () => {
  const required: Record<FindingItem["kind"], string[]> = {
    idle_timeout: ["timeoutS", "mode", "knownAs", "affectedDevices", "drops", "share"],
    tls_interception: ["issuer", "vendor", "endpoint", "affectedDevices"],
    port_blocked: ["endpoint", "mode", "affectedDevices"],
    outage: ["start", "end", "affectedDevices"],
    flapping: ["reconnectsPerHour"],
    offline: ["lastSeen"],
    session_lifetime: ["periodS"],
    scheduled_drop: ["timeOfDay", "days"],
    proxy_failure: ["proxy", "endpoint", "mode", "affectedDevices"],
  };
  for (const f of findings) {
    for (const field of required[f.kind]) expect(f.evidence, `${f.kind} ${f.scopeKey} lacks ${field}`).toHaveProperty(field);
    expect(f.summary.length).toBeGreaterThan(20);
    expect(f.recommendation.length).toBeGreaterThan(20);
  }
});
