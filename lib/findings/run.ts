// Analysis runs: the session journal folded into the digest, the detectors run on the digest of
// the scopes at hand (lib/analysis: the window pass, then the rest on the sessions it asks for
// and the recent ones), and what they found persisted through the finding lifecycle.
//
// - `runAnalysis(db, site)` / `runAnalysis(db, null)`: one site or the whole fleet, all kinds;
//   the full recompute (with `rebuild`, the digest is rebuilt from the Session table first).
// - `runChanges`: the worker's cycle — only the cells whose digest changed since the last one:
//   each changed site, and the egress-address and site-less-device scopes that changed.
// - `runFleetCycle`: the fleet-wide kinds (outages across sites, flapping against the fleet,
//   offline devices, TLS, port and proxy blocks) on the recent window, and the quiet rule for
//   window findings of scopes that did not change.
import { analyzeWindow, finishAnalysis, type AnalysisOptions, type WindowInput } from "@/lib/analysis/analyzeFleet";
import { parseCellKey, windowFirstDay } from "@/lib/analysis/digest";
import { cellScopes } from "@/lib/analysis/scopes";
import type { FindingDraft } from "@/lib/analysis/types";
import { ANALYSIS_WINDOW_MS } from "@/lib/analysis/window";
import type { FindingKind } from "@/lib/contract/vocabulary";
import type { Db } from "@/lib/db/client";
import { devicesSeenSince, evidenceEvents, heartbeatSummaries, lastStartsFor, neededSessions, recentSessions, type InputScope } from "./analysis-input";
import { foldJournal, loadDigest, loadNames, rebuildDigest, takeDirty, type DigestSelection, type NameIndex } from "./digest-store";
import { DEFAULT_QUIET_MS } from "./lifecycle";
import { analysisOptionsFromEnv } from "./settings";
import { persistFindings, type Coverage, type RunOutcome } from "./store";

/** Outages and flapping are judged on the sessions of the last 26 hours (flapping counts a day; two hours of context). */
export const RECENT_MS = 26 * 3_600_000;

/** Kinds the digest's window pass finds. */
export const WINDOW_KINDS: readonly FindingKind[] = ["idle_timeout", "session_lifetime", "scheduled_drop"];
/** Kinds judged fleet-wide on recent data. */
const FLEET_KINDS: readonly FindingKind[] = ["outage", "flapping", "offline", "tls_interception", "port_blocked", "proxy_failure"];

export interface RunOptions {
  windowMs?: number;
  /** how far back outages, flapping and the fleet cycle's events look (default: the whole window for a full run, RECENT_MS for cycles) */
  recentMs?: number;
  analysis?: AnalysisOptions;
  /** rebuild the digest from the Session table first (repairs, upgrades) */
  rebuild?: boolean;
}

interface Target {
  /** which digest cells */
  selection: DigestSelection;
  /** whose sessions, events and devices (all when absent) */
  scope: InputScope;
  coverage: Coverage;
}

/** Analyses one site (its site and device scopes) or, with no site, the whole fleet: every kind. */
export async function runAnalysis(db: Db, site: { id: number } | null, now = Date.now(), options: RunOptions = {}): Promise<RunOutcome> {
  const target = fullTarget(site);
  return persistFindings(db, target.coverage, await fullDrafts(db, target, now, options), now);
}

/** What a full run of the fleet finds, without persisting it (checks, comparisons). */
export function fleetDrafts(db: Db, now = Date.now(), options: RunOptions = {}): Promise<FindingDraft[]> {
  return fullDrafts(db, fullTarget(null), now, options);
}

function fullTarget(site: { id: number } | null): Target {
  return site
    ? { selection: { siteIds: [site.id], publicIps: [], devices: [] }, scope: { siteId: site.id }, coverage: { siteId: site.id } }
    : { selection: { siteIds: [], publicIps: [], devices: [], all: true }, scope: {}, coverage: "fleet" };
}

async function fullDrafts(db: Db, target: Target, now: number, options: RunOptions): Promise<FindingDraft[]> {
  if (options.rebuild) await rebuildDigest(db, now);
  else await foldJournal(db, now);
  const names = await loadNames(db);
  return analyse(db, target, now, names, { ...options, recentMs: options.recentMs ?? options.windowMs ?? ANALYSIS_WINDOW_MS });
}

/** The worker's cycle: fold the journal, analyse what changed. */
export async function runChanges(db: Db, now = Date.now(), options: RunOptions = {}): Promise<RunOutcome & { sites: number; scopes: number }> {
  await foldJournal(db, now);
  const dirty = await takeDirty(db);
  const total = { created: 0, updated: 0, resolved: 0, retracted: 0, sites: 0, scopes: 0 };
  if (dirty.cells.length === 0) return total;
  const names = await loadNames(db);
  const add = (o: RunOutcome) => {
    total.created += o.created;
    total.updated += o.updated;
    total.resolved += o.resolved;
    total.retracted += o.retracted;
  };
  const recentMs = options.recentMs ?? RECENT_MS;
  const sites = [...new Set(dirty.cells.filter((c) => c.siteId !== 0).map((c) => c.siteId))].sort((a, b) => a - b);
  for (const siteId of sites) {
    const target = fullTarget({ id: siteId });
    add(await persistFindings(db, target.coverage, await analyse(db, target, now, names, { ...options, recentMs }), now));
  }
  total.sites = sites.length;
  // Egress addresses (shared by sites, or of site-less devices) and site-less devices: their
  // window kinds. The sites behind those addresses are read whole, so the egress scopes report
  // only what the sites' own findings do not explain.
  const publicIps = [...new Set(dirty.cells.filter((c) => c.publicIp !== "").map((c) => c.publicIp))].sort();
  const devices = [...new Set(dirty.cells.filter((c) => c.siteId === 0 && c.publicIp === "").map((c) => c.cellDevice))];
  if (publicIps.length + devices.length > 0) {
    const fromDay = windowFirstDay(now, options.windowMs ?? ANALYSIS_WINDOW_MS);
    const egress = await loadDigest(db, { siteIds: [], publicIps, devices }, fromDay, names);
    const scopes = cellScopes(egress.keys())
      .filter((g) => g.scope !== "site")
      .map((g) => ({ scope: g.scope, scopeKey: g.key }));
    const behind = [...new Set([...egress.keys()].map((cell) => parseCellKey(cell).site).filter((s): s is string => s !== null))];
    const siteIds = behind.map((slug) => names.siteIdOf(slug)).filter((id): id is number => id !== undefined);
    const cells = siteIds.length ? new Map([...egress, ...(await loadDigest(db, { siteIds, publicIps: [], devices: [] }, fromDay, names))]) : egress;
    const coverage: Coverage = { kinds: WINDOW_KINDS, scopes };
    const drafts = await analyseWindow(db, cells, now, names, options);
    add(await persistFindings(db, coverage, drafts, now));
    total.scopes = scopes.length;
  }
  return total;
}

/**
 * The fleet-wide kinds on the recent window (every detector runs, on the digest of no cell),
 * then the quiet rule for window findings whose scope did not change: no new evidence for a day
 * means the cause went away, as a run over them would conclude.
 */
export async function runFleetCycle(db: Db, now = Date.now(), options: RunOptions = {}): Promise<RunOutcome> {
  await foldJournal(db, now);
  const names = await loadNames(db);
  const coverage: Coverage = { kinds: FLEET_KINDS };
  const target: Target = { selection: { siteIds: [], publicIps: [], devices: [] }, scope: {}, coverage };
  const drafts = await analyse(db, target, now, names, { ...options, recentMs: options.recentMs ?? RECENT_MS });
  const outcome = await persistFindings(db, coverage, drafts, now);
  const quiet = await db.prisma.finding.updateMany({
    where: { kind: { in: [...WINDOW_KINDS] }, status: { in: ["open", "acknowledged"] }, lastSeen: { lt: new Date(now - DEFAULT_QUIET_MS) } },
    data: { status: "resolved", resolvedAt: new Date(now), updatedAt: new Date(now) },
  });
  return { ...outcome, resolved: outcome.resolved + quiet.count };
}

/** The window kinds only, on these cells (the probe's measurements count; no recent sessions). */
async function analyseWindow(db: Db, cells: WindowInput["cells"], now: number, names: NameIndex, options: RunOptions): Promise<FindingDraft[]> {
  const analysis = options.analysis ?? analysisOptionsFromEnv();
  const from = now - (options.windowMs ?? ANALYSIS_WINDOW_MS);
  const [events, deviceCount] = await Promise.all([evidenceEvents(db, {}, from, names, () => null, ["probe"]), devicesSeenSince(db, from)]);
  const window: WindowInput = { cells, events, deviceCount };
  const pass = analyzeWindow(window, analysis);
  const needed = await neededSessions(db, pass.needs, from, names);
  return finishAnalysis(pass, window, { needed, recent: [], lastStarts: new Map(), heartbeats: [] }, now, analysis).filter((d) => WINDOW_KINDS.includes(d.kind));
}

/** Loads what the target's detectors need and runs them. */
async function analyse(db: Db, target: Target, now: number, names: NameIndex, options: RunOptions & { recentMs: number }): Promise<FindingDraft[]> {
  const analysis = options.analysis ?? analysisOptionsFromEnv();
  const windowMs = options.windowMs ?? ANALYSIS_WINDOW_MS;
  const from = now - windowMs;
  const recentFrom = now - options.recentMs;
  const [cells, devices, deviceCount] = await Promise.all([
    loadDigest(db, target.selection, windowFirstDay(now, windowMs), names),
    heartbeatSummaries(db, target.scope, names),
    devicesSeenSince(db, from),
  ]);
  // A full run reads the window's events; a cycle the recent ones (a finding needs evidence within the quiet period to stay open).
  const events = await evidenceEvents(db, target.scope, Math.max(from, recentFrom), names, (id) => devices.publicIp.get(id) ?? null);
  const window: WindowInput = { cells, events, deviceCount };
  const pass = analyzeWindow(window, analysis);
  const [needed, recent, lastStarts] = await Promise.all([
    neededSessions(db, pass.needs, from, names),
    recentSessions(db, target.scope, recentFrom, names),
    lastStartsFor(db, events, from, names),
  ]);
  return finishAnalysis(pass, window, { needed, recent, lastStarts, heartbeats: devices.heartbeats }, now, analysis);
}
