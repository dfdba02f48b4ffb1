// "What exactly did this device report?" — its raw events, newest first, optionally of some
// types only; keyset-paginated on (at, id) so new events never shift a page.
import { eventData } from "@/lib/contract/stored-event";
import type { EventType } from "@/lib/contract/vocabulary";
import type { DeviceEvent, DeviceEventsPage } from "@/lib/contract/dashboard";
import type { Db } from "@/lib/db/client";
import { reachesPast, retentionState } from "@/lib/db/retention";
import { decodeCursor, encodeCursor, InvalidCursorError } from "./cursor";
import { deviceByExternalId } from "./device-detail";

export async function deviceEvents(
  db: Db,
  externalId: string,
  query: { site?: string; type?: string; from?: string; to?: string; cursor?: string; limit: number },
): Promise<DeviceEventsPage | null> {
  const after = query.cursor ? decodeCursor<[number, number]>(query.cursor, ["number", "number"]) : null;
  if (query.cursor && !after) throw new InvalidCursorError();
  const device = await deviceByExternalId(db, externalId, query.site);
  if (!device) return null;
  const [{ rawBefore }, rows] = await Promise.all([retentionState(db), db.prisma.event.findMany({
    where: {
      deviceId: device.id,
      ...device.ownHistory,
      ...(query.type ? { type: { in: query.type.split(",") } } : {}),
      ...(query.from || query.to ? { at: { ...(query.from ? { gte: new Date(query.from) } : {}), ...(query.to ? { lt: new Date(query.to) } : {}) } } : {}),
      ...(after ? { OR: [{ at: { lt: new Date(after[0]) } }, { at: new Date(after[0]), id: { lt: after[1] } }] } : {}),
    },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: query.limit + 1,
    select: { id: true, eventId: true, type: true, at: true, receivedAt: true, session: true, skewed: true, data: true },
  })]);
  const pageRows = rows.slice(0, query.limit);
  const last = pageRows[pageRows.length - 1];
  return {
    items: pageRows.map((e) => ({
      id: e.eventId,
      type: e.type as DeviceEvent["type"],
      at: e.at.toISOString(),
      receivedAt: e.receivedAt.toISOString(),
      session: e.session,
      skewed: e.skewed,
      data: eventData(e.type as EventType, e.data),
    })),
    nextCursor: rows.length > query.limit ? encodeCursor([last.at.getTime(), last.id]) : null,
    compactedBefore: reachesPast(rawBefore, query.from) ? new Date(rawBefore).toISOString() : null,
  };
}
