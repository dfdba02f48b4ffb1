// Persisting one analysis run: the lifecycle plan (lib/findings/lifecycle.ts) applied to the
// findings of the scopes the run covered, in one transaction.
import type { Db } from "@/lib/db/client";
import type { FindingDraft } from "@/lib/analysis/types";
import { kindWithEvidence } from "@/lib/contract/evidence";
import type { FindingKind, FindingStatus } from "@/lib/contract/vocabulary";
import { planFindings, type StoredFinding } from "./lifecycle";

/**
 * Which stored findings a run speaks for: one site's (its site and device scopes), all, or
 * some kinds — fleet-wide or for a list of scopes (the scopes whose digest changed).
 */
export type Coverage =
  | { siteId: number }
  | "fleet"
  | { kinds: readonly FindingKind[]; scopes?: ReadonlyArray<{ scope: string; scopeKey: string }> };

export interface RunOutcome {
  created: number;
  updated: number;
  resolved: number;
  retracted: number;
}

function coverageWhere(coverage: Coverage) {
  if (coverage === "fleet") return {};
  if ("siteId" in coverage) return { siteId: coverage.siteId, scope: { in: ["site", "device"] } };
  return { kind: { in: [...coverage.kinds] }, ...(coverage.scopes ? { OR: coverage.scopes.map((s) => ({ scope: s.scope, scopeKey: s.scopeKey })) } : {}) };
}

function covers(coverage: Coverage, d: FindingDraft): boolean {
  if (coverage === "fleet") return true;
  if ("siteId" in coverage) return (d.scope === "site" || d.scope === "device") && d.site !== null;
  return coverage.kinds.includes(d.kind) && (!coverage.scopes || coverage.scopes.some((s) => s.scope === d.scope && s.scopeKey === d.scopeKey));
}

function toStored(f: {
  id: number;
  kind: string;
  scope: string;
  scopeKey: string;
  key: string;
  status: string;
  evidence: string;
  lastSeen: Date;
  resolvedAt: Date | null;
  acknowledgedAt: Date | null;
}): StoredFinding {
  return {
    ...kindWithEvidence(f.kind, f.evidence),
    id: f.id,
    scope: f.scope,
    scopeKey: f.scopeKey,
    key: f.key,
    status: f.status as FindingStatus,
    lastSeen: f.lastSeen.getTime(),
    resolvedAt: f.resolvedAt?.getTime() ?? null,
    acknowledgedAt: f.acknowledgedAt?.getTime() ?? null,
  };
}

export async function persistFindings(db: Db, coverage: Coverage, drafts: FindingDraft[], now: number): Promise<RunOutcome> {
  const covered = drafts.filter((d) => covers(coverage, d));
  const where = coverageWhere(coverage);
  if (typeof coverage === "object" && "scopes" in coverage && coverage.scopes?.length === 0) return { created: 0, updated: 0, resolved: 0, retracted: 0 };
  const [active, resolved] = await Promise.all([
    db.prisma.finding.findMany({ where: { ...where, status: { in: ["open", "acknowledged"] } } }),
    // Only the latest resolution per identity matters; a month of history is plenty to find it.
    db.prisma.finding.findMany({ where: { ...where, status: "resolved", resolvedAt: { gte: new Date(now - 30 * 86_400_000) } } }),
  ]);
  const plan = planFindings(active.map(toStored), resolved.map(toStored), covered, now);

  const slugs = [...new Set(plan.create.map((c) => c.draft.site).filter((s): s is string => s !== null))];
  const devices = [...new Set(plan.create.map((c) => c.draft.device).filter((d): d is string => d !== null))];
  const [sites, deviceRows] = await Promise.all([
    db.prisma.site.findMany({ where: { slug: { in: slugs } }, select: { id: true, slug: true } }),
    db.prisma.device.findMany({ where: { externalId: { in: devices } }, select: { id: true, externalId: true } }),
  ]);
  const siteId = new Map(sites.map((s) => [s.slug, s.id]));
  const deviceId = new Map(deviceRows.map((d) => [d.externalId, d.id]));
  const nowDate = new Date(now);
  const text = (d: FindingDraft) => ({
    severity: d.severity,
    title: d.title,
    summary: d.summary,
    recommendation: d.recommendation,
    evidence: JSON.stringify(d.evidence),
    lastSeen: new Date(d.lastSeen),
    updatedAt: nowDate,
  });

  await db.prisma.$transaction([
    ...plan.create.map(({ draft, key, status }) =>
      db.prisma.finding.create({
        data: {
          kind: draft.kind,
          scope: draft.scope,
          scopeKey: draft.scopeKey,
          key,
          siteId: draft.site !== null ? (siteId.get(draft.site) ?? null) : null,
          deviceId: draft.device !== null ? (deviceId.get(draft.device) ?? null) : null,
          status,
          ...(status === "resolved" ? { resolvedAt: nowDate } : {}),
          firstSeen: new Date(draft.firstSeen),
          ...text(draft),
        },
      }),
    ),
    ...plan.update.map(({ id, draft }) => db.prisma.finding.update({ where: { id }, data: text(draft) })),
    ...(plan.resolve.length
      ? [db.prisma.finding.updateMany({ where: { id: { in: plan.resolve } }, data: { status: "resolved", resolvedAt: nowDate, updatedAt: nowDate } })]
      : []),
    ...(plan.retract.length ? [db.prisma.finding.deleteMany({ where: { id: { in: plan.retract } } })] : []),
  ]);
  return { created: plan.create.length, updated: plan.update.length, resolved: plan.resolve.length, retracted: plan.retract.length };
}

export type FindingAction = "acknowledge" | "resolve";

/**
 * An operator's decision. Acknowledging an open finding keeps it visible but marks it seen;
 * resolving closes it (it reopens as a new finding only on newer evidence).
 */
export async function applyFindingAction(
  db: Db,
  id: number,
  action: FindingAction,
  now = Date.now(),
): Promise<"ok" | "not_found" | "conflict"> {
  const finding = await db.prisma.finding.findUnique({ where: { id }, select: { status: true } });
  if (!finding) return "not_found";
  const at = new Date(now);
  if (action === "acknowledge") {
    if (finding.status !== "open") return finding.status === "acknowledged" ? "ok" : "conflict";
    await db.prisma.finding.update({ where: { id }, data: { status: "acknowledged", acknowledgedAt: at, updatedAt: at } });
    return "ok";
  }
  if (finding.status === "resolved") return "ok";
  await db.prisma.finding.update({ where: { id }, data: { status: "resolved", resolvedAt: at, updatedAt: at } });
  return "ok";
}
