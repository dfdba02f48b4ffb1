// When is a device online? It has an open session, or it was heard from within twice its
// declared heartbeat interval (or within ONLINE_DEFAULT_S when it never declared one).
// "Heard from" is the server's receive time: it does not depend on the device's clock.
import type { Db } from "@/lib/db/client";
import { msOf, placeholders, sqlArrays } from "./sql";

export const ONLINE_DEFAULT_S = 300;

export function isOnline(device: { lastSeen: Date; heartbeatIntervalS: number | null }, sessionOpen: boolean, now: number): boolean {
  if (sessionOpen) return true;
  const graceS = device.heartbeatIntervalS ? 2 * device.heartbeatIntervalS : ONLINE_DEFAULT_S;
  return now - device.lastSeen.getTime() <= graceS * 1000;
}

/** Every device (of some sites), with whether it is online: fleet-sized, so read in plain SQL. */
export async function devicePresence(db: Db, now: number, siteIds?: readonly number[]): Promise<Array<{ id: number; siteId: number | null; lastSeen: Date; online: boolean }>> {
  const bySite = siteIds ? ` "siteId" IN (${siteIds.length ? placeholders(siteIds.length) : "NULL"})` : "";
  const [devices, open] = await Promise.all([
    sqlArrays<[number, number | null, number, number | null]>(
      db,
      `SELECT "id", "siteId", ${msOf(db, `"lastSeen"`)}, "heartbeatIntervalS" FROM "Device"${bySite ? ` WHERE${bySite}` : ""}`,
      siteIds ?? [],
    ),
    // Through the covering index Session(end, deviceId).
    sqlArrays<[number]>(db, `SELECT DISTINCT "deviceId" FROM "Session" WHERE "end" IS NULL${bySite ? ` AND${bySite}` : ""}`, siteIds ?? []),
  ]);
  const openIds = new Set(open.map(([id]) => id));
  return devices.map(([id, siteId, seen, heartbeatIntervalS]) => {
    const lastSeen = new Date(Number(seen));
    return { id, siteId, lastSeen, online: isOnline({ lastSeen, heartbeatIntervalS }, openIds.has(id), now) };
  });
}
