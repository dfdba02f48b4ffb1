// "What connections did these devices hold, and how did they end?" (GET /api/v1/sessions)
// Newest first by start; the cursor is (start, id) of the last item served.
import type { Db } from "@/lib/db/client";
import type { Page, SessionItem } from "@/lib/contract/read";
import { decodeCursor, encodeCursor, InvalidCursorError } from "./cursor";

export async function listSessions(
  db: Db,
  query: { site?: string; device?: string; from?: string; to?: string; cursor?: string; limit: number },
): Promise<Page<SessionItem>> {
  const after = query.cursor ? decodeCursor<[number, number]>(query.cursor, ["number", "number"]) : null;
  if (query.cursor && !after) throw new InvalidCursorError();
  // A session belongs to the site its connection was made from, even if the device moved later.
  const siteId = query.site ? ((await db.prisma.site.findUnique({ where: { slug: query.site }, select: { id: true } }))?.id ?? -1) : undefined;
  const rows = await db.prisma.session.findMany({
    where: {
      ...(siteId !== undefined ? { siteId } : {}),
      ...(query.device ? { device: { externalId: query.device } } : {}),
      ...(query.from || query.to
        ? { start: { ...(query.from ? { gte: new Date(query.from) } : {}), ...(query.to ? { lt: new Date(query.to) } : {}) } }
        : {}),
      ...(after ? { OR: [{ start: { lt: new Date(after[0]) } }, { start: new Date(after[0]), id: { lt: after[1] } }] } : {}),
    },
    include: { device: { select: { externalId: true } } },
    orderBy: [{ start: "desc" }, { id: "desc" }],
    take: query.limit + 1,
  });
  const pageRows = rows.slice(0, query.limit);
  const siteIds = [...new Set(pageRows.map((r) => r.siteId).filter((id): id is number => id !== null))];
  const slugs = new Map(
    (await db.prisma.site.findMany({ where: { id: { in: siteIds } }, select: { id: true, slug: true } })).map((s) => [s.id, s.slug]),
  );
  const items = pageRows.map((r) => ({
    device: r.device.externalId,
    site: r.siteId !== null ? (slugs.get(r.siteId) ?? null) : null,
    session: r.session,
    start: r.start.toISOString(),
    end: r.end?.toISOString() ?? null,
    durationS: r.durationS,
    endReason: r.endReason as SessionItem["endReason"],
    idleS: r.idleS,
    maxIdleS: r.maxIdleS,
    errno: r.errno,
    endpoint: r.endpoint,
    transport: r.transport,
    publicIp: r.publicIp,
  }));
  const last = pageRows[pageRows.length - 1];
  return { items, nextCursor: rows.length > query.limit ? encodeCursor([last.start.getTime(), last.id]) : null };
}
