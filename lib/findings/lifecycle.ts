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
//
// Two drafts of one identity in the same run (e.g. a reset cluster at 900 s and the
// survived-gap cliff at 840 s of the same firewall) make one finding: the one explaining
// more drops.
//
// "Recent" means within the quiet period (24 h by default): drops that stopped a day ago
// mean the cause went away.
import type { FindingDraft } from "@/lib/analysis/types";
import type { KindEvidence } from "@/lib/contract/evidence";
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
};

export interface LifecyclePlan {
  create: Array<{ draft: FindingDraft; key: string; status: "open" | "resolved" }>;
  update: Array<{ id: number; draft: FindingDraft }>;
  resolve: number[];
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
  const plan: LifecyclePlan = { create: [], update: [], resolve: [] };
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
  return plan;
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
