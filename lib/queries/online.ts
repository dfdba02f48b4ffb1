// When is a device online? It has an open session, or its last sign of life is within the
// grace of lib/contract/liveness.ts — the same rule and the same clock as the offline finding.
import { isOnline as online, lastSignOfLife } from "@/lib/contract/liveness";
import type { Db } from "@/lib/db/client";
import { msOf, placeholders, sqlArrays } from "@/lib/db/sql";

interface Heard {
  lastAt: Date;
  lastSeen: Date;
  skewed: boolean;
  heartbeatIntervalS: number | null;
}

export function isOnline(device: Heard, sessionOpen: boolean, now: number): boolean {
  const life = lastSignOfLife({ lastAt: device.lastAt.getTime(), lastSeen: device.lastSeen.getTime(), skewed: device.skewed });
  return online(life, device.heartbeatIntervalS, sessionOpen, now);
}

/** Every device (of some sites), with whether it is online: fleet-sized, so read in plain SQL. */
export async function devicePresence(db: Db, now: number, siteIds?: readonly number[]): Promise<Array<{ id: number; siteId: number | null; lastSeen: Date; online: boolean }>> {
  const bySite = siteIds ? ` "siteId" IN (${siteIds.length ? placeholders(siteIds.length) : "NULL"})` : "";
  const [devices, open] = await Promise.all([
    sqlArrays<[number, number | null, number, number, number | boolean, number | null]>(
      db,
      `SELECT "id", "siteId", ${msOf(db, `"lastSeen"`)}, ${msOf(db, `"lastAt"`)}, "skewed", "heartbeatIntervalS" FROM "Device"${bySite ? ` WHERE${bySite}` : ""}`,
      siteIds ?? [],
    ),
    // Through the covering index Session(end, deviceId).
    sqlArrays<[number]>(db, `SELECT DISTINCT "deviceId" FROM "Session" WHERE "end" IS NULL${bySite ? ` AND${bySite}` : ""}`, siteIds ?? []),
  ]);
  const openIds = new Set(open.map(([id]) => id));
  return devices.map(([id, siteId, seen, at, skewed, heartbeatIntervalS]) => {
    const life = lastSignOfLife({ lastAt: Number(at), lastSeen: Number(seen), skewed: Boolean(skewed) });
    return { id, siteId, lastSeen: new Date(Number(seen)), online: online(life, heartbeatIntervalS, openIds.has(id), now) };
  });
}
