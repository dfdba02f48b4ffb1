// "Which devices are there, and are they connected?" (GET /api/v1/devices)
import type { Db } from "@/lib/db/client";
import type { DeviceItem, Page } from "@/lib/contract/read";
import { decodeCursor, encodeCursor, InvalidCursorError } from "./cursor";
import { isOnline } from "./online";

export async function listDevices(
  db: Db,
  query: { site?: string; q?: string; cursor?: string; limit: number },
  now = Date.now(),
): Promise<Page<DeviceItem>> {
  const after = query.cursor ? decodeCursor<[string]>(query.cursor, ["string"]) : null;
  if (query.cursor && !after) throw new InvalidCursorError();
  const devices = await db.prisma.device.findMany({
    where: {
      ...(query.site ? { site: { slug: query.site } } : {}),
      ...(query.q || after ? { externalId: { ...(query.q ? { contains: query.q } : {}), ...(after ? { gt: after[0] } : {}) } } : {}),
    },
    include: { site: { select: { slug: true } } },
    orderBy: { externalId: "asc" },
    take: query.limit + 1,
  });
  const pageDevices = devices.slice(0, query.limit);
  const ids = pageDevices.map((d) => d.id);
  const [openSessions, findings] = await Promise.all([
    db.prisma.session.groupBy({ by: ["deviceId"], where: { deviceId: { in: ids }, end: null } }),
    db.prisma.finding.groupBy({ by: ["deviceId"], where: { deviceId: { in: ids }, status: "open" }, _count: { _all: true } }),
  ]);
  const open = new Set(openSessions.map((s) => s.deviceId));
  const items = pageDevices.map((d) => ({
    id: d.externalId,
    site: d.site?.slug ?? null,
    lastSeen: d.lastSeen.toISOString(),
    online: isOnline(d, open.has(d.id), now),
    sessionOpen: open.has(d.id),
    openFindings: findings.find((f) => f.deviceId === d.id)?._count._all ?? 0,
    publicIp: d.publicIp,
    heartbeatIntervalS: d.heartbeatIntervalS,
    skewed: d.skewed,
  }));
  return { items, nextCursor: devices.length > query.limit ? encodeCursor([pageDevices[pageDevices.length - 1].externalId]) : null };
}
