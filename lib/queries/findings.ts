// "What is wrong, where, and what should change?" (GET /api/v1/findings)
// Newest first by creation; the cursor is the id of the last item served.
import type { Db } from "@/lib/db/client";
import { kindWithEvidence } from "@/lib/contract/evidence";
import type { FindingItem, Page } from "@/lib/contract/read";
import { decodeCursor, encodeCursor, InvalidCursorError } from "./cursor";

export async function listFindings(
  db: Db,
  query: {
    site?: string;
    kind?: string;
    status: string;
    severity?: string;
    device?: string;
    from?: string;
    to?: string;
    cursor?: string;
    limit: number;
    id?: number;
  },
): Promise<Page<FindingItem>> {
  const after = query.cursor ? decodeCursor<[number]>(query.cursor, ["number"]) : null;
  if (query.cursor && !after) throw new InvalidCursorError();
  const [siteId, deviceId] = await Promise.all([
    query.site ? db.prisma.site.findUnique({ where: { slug: query.site }, select: { id: true } }).then((s) => s?.id ?? -1) : undefined,
    query.device
      ? db.prisma.device.findUnique({ where: { externalId: query.device }, select: { id: true } }).then((d) => d?.id ?? -1)
      : undefined,
  ]);
  const rows = await db.prisma.finding.findMany({
    where: {
      ...(siteId !== undefined ? { siteId } : {}),
      ...(deviceId !== undefined ? { deviceId } : {}),
      ...(query.kind ? { kind: query.kind } : {}),
      ...(query.severity ? { severity: query.severity } : {}),
      ...(query.status === "active" ? { status: { in: ["open", "acknowledged"] } } : query.status !== "all" ? { status: query.status } : {}),
      ...(query.from ? { lastSeen: { gte: new Date(query.from) } } : {}),
      ...(query.to ? { firstSeen: { lt: new Date(query.to) } } : {}),
      ...(after ? { id: { lt: after[0] } } : {}),
      ...(query.id !== undefined ? { id: query.id } : {}),
    },
    include: { site: { select: { slug: true } } },
    orderBy: { id: "desc" },
    take: query.limit + 1,
  });
  const pageRows = rows.slice(0, query.limit);
  const deviceIds = [...new Set(pageRows.map((r) => r.deviceId).filter((d): d is number => d !== null))];
  const names = new Map(
    (await db.prisma.device.findMany({ where: { id: { in: deviceIds } }, select: { id: true, externalId: true } })).map((d) => [d.id, d.externalId]),
  );
  const items: FindingItem[] = pageRows.map((f) => ({
    ...kindWithEvidence(f.kind, f.evidence),
    id: f.id,
    status: f.status as FindingItem["status"],
    severity: f.severity as FindingItem["severity"],
    site: f.site?.slug ?? null,
    device: f.deviceId !== null ? (names.get(f.deviceId) ?? null) : null,
    scope: f.scope as FindingItem["scope"],
    scopeKey: f.scopeKey,
    title: f.title,
    summary: f.summary,
    recommendation: f.recommendation,
    firstSeen: f.firstSeen.toISOString(),
    lastSeen: f.lastSeen.toISOString(),
    acknowledgedAt: f.acknowledgedAt?.toISOString() ?? null,
    resolvedAt: f.resolvedAt?.toISOString() ?? null,
  }));
  return { items, nextCursor: rows.length > query.limit ? encodeCursor([pageRows[pageRows.length - 1].id]) : null };
}
