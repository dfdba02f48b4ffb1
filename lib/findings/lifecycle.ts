// The finding lifecycle: what one analysis run does to the stored findings of the scopes
// it covered. Pure; persistence is lib/findings/store.ts.
//
// | stored finding (same identity)      | this run                                             | next                         |
// |-------------------------------------|------------------------------------------------------|------------------------------|
// | none                                | a draft whose evidence is recent                     | open (created)               |
// | none                                | a draft whose evidence is all old (backfilled data)  | resolved (created for the record) |
// | none, last one resolved at R        | a draft whose newest evidence is after R and recent  | open (a new finding; history kept) |
// | none, last one resolved at R        | a draft whose evidence all predates R                | nothing (stays resolved)     |
// | open or acknowledged                | a draft whose evidence is recent                     | same status; evidence, numbers and severity updated |
// | open or acknowledged                | no draft, or its newest evidence is older than quiet | resolved (automatically)     |
// | outage, never acknowledged (any status) | a scheduled_drop draft of its scope recurring at its time of day, on its day | retracted (deleted) |
// | outage, acknowledged                | the same                                             | resolved                     |
//
// The last two rows keep one story one finding: a nightly cut looks like an outage on the
// first nights, before it has recurred often enough to be a schedule; once it is one, those
// outages were the schedule all along. One that someone acted on stays, resolved, for the record.
//
// Two drafts of one identity in the same run (e.g. a reset cluster at 900 s and the
// survived-gap cliff at 840 s of the same firewall) make one finding: the one explaining
// more drops.
//
// "Recent" means within the quiet period (24 h by default): drops that stopped a day ago
// mean the cause went away.
import type { FindingDraft } from "@/lib/analysis/types";
import type { KindEvidence, OutageEvidence, ScheduledDropEvidence } from "@/lib/contract/evidence";
import type { FindingStatus } from "@/lib/contract/vocabulary";
import { findingKey, sameIdentity } from "./identity";

export const DEFAULT_QUIET_MS = 24 * 3600 * 1000;

export type StoredFinding = KindEvidence & {
  id: number;
  scope: string;
  scopeKey: string;
  key: string;
  status: FindingStatus;
  lastSeen: number;
  resolvedAt: number | null;
  acknowledgedAt: number | null;
};

export interface LifecyclePlan {
  create: Array<{ draft: FindingDraft; key: string; status: "open" | "resolved" }>;
  update: Array<{ id: number; draft: FindingDraft }>;
  resolve: number[];
  /** findings that a later, better explanation shows were never findings of their own (deleted) */
  retract: number[];
}

/**
 * @param active   open and acknowledged findings of the covered scopes
 * @param resolved the latest resolved finding per identity of the covered scopes
 */
export function planFindings(
  active: readonly StoredFinding[],
  resolved: readonly StoredFinding[],
  drafts: readonly FindingDraft[],
  now: number,
  quietMs: number = DEFAULT_QUIET_MS,
): LifecyclePlan {
  const plan: LifecyclePlan = { create: [], update: [], resolve: [], retract: [] };
  const matched = new Set<number>();
  for (const draft of distinctDrafts(drafts)) {
    const recent = now - draft.lastSeen <= quietMs;
    const current = active.find((f) => !matched.has(f.id) && sameIdentity(f, draft));
    if (current) {
      matched.add(current.id);
      if (recent) plan.update.push({ id: current.id, draft });
      continue;
    }
    const previous = resolved.filter((f) => sameIdentity(f, draft)).sort((a, b) => (b.resolvedAt ?? 0) - (a.resolvedAt ?? 0))[0];
    if (previous && draft.lastSeen <= (previous.resolvedAt ?? 0)) continue;
    plan.create.push({ draft, key: findingKey(draft), status: recent ? "open" : "resolved" });
  }
  for (const f of active) if (!plan.update.some((u) => u.id === f.id)) plan.resolve.push(f.id);
  for (const f of [...active, ...resolved]) {
    if (f.kind !== "outage" || !drafts.some((d) => d.kind === "scheduled_drop" && d.scope === f.scope && d.scopeKey === f.scopeKey && scheduleExplains(d.evidence, f.evidence))) continue;
    plan.update = plan.update.filter((u) => u.id !== f.id);
    if (f.acknowledgedAt === null) {
      plan.retract.push(f.id);
      plan.resolve = plan.resolve.filter((id) => id !== f.id);
    } else if (f.status !== "resolved" && !plan.resolve.includes(f.id)) plan.resolve.push(f.id);
  }
  return plan;
}

/** An outage is a schedule's occurrence when it began at the schedule's time of day (±15 min) on one of its days. */
export function scheduleExplains(schedule: ScheduledDropEvidence, outage: OutageEvidence): boolean {
  const start = Date.parse(outage.start);
  const day = new Date(start).toISOString().slice(0, 10);
  const minute = (start % 86_400_000) / 60_000;
  const [h, m] = schedule.timeOfDay.split(":").map(Number);
  const d = Math.abs(minute - (h * 60 + m));
  return Math.min(d, 1440 - d) <= 15 && schedule.days.includes(day);
}

const drops = (d: FindingDraft) => ("drops" in d.evidence ? d.evidence.drops : 0);
// On a tie, a measurement beats a cluster of endings, which beats a cliff (a lower bound).
const MODE_RANK: Record<string, number> = { probe: 0, reset: 1, silent: 2 };
const modeRank = (d: FindingDraft) => (d.kind === "idle_timeout" ? MODE_RANK[d.evidence.mode] : 3);

/** One draft per identity: the one explaining the most drops, then the most direct evidence, then the most recent. */
export function distinctDrafts(drafts: readonly FindingDraft[]): FindingDraft[] {
  const kept: FindingDraft[] = [];
  for (const d of [...drafts].sort((a, b) => drops(b) - drops(a) || modeRank(a) - modeRank(b) || b.lastSeen - a.lastSeen)) {
    if (!kept.some((k) => sameIdentity({ ...k, key: findingKey(k) }, d))) kept.push(d);
  }
  return kept;
}
