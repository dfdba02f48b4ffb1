// When is a device online? It has an open session, or it was last heard from within twice
// its declared heartbeat interval (or within ONLINE_DEFAULT_S when it never declared one).
// "Last heard" is the device's own time of its latest event — what the offline detector
// judges by too — unless its clock is known to run ahead (skewed): then the server's
// receive time. (Receive time alone would call a backfilled history "just heard".)
export const ONLINE_DEFAULT_S = 300;

export interface HeardFrom {
  lastSeen: Date;
  lastAt: Date;
  skewed: boolean;
  heartbeatIntervalS: number | null;
}

/** The columns isOnline needs, for Prisma selects. */
export const HEARD_FROM_SELECT = { lastSeen: true, lastAt: true, skewed: true, heartbeatIntervalS: true } as const;

export function lastHeard(device: Pick<HeardFrom, "lastSeen" | "lastAt" | "skewed">): Date {
  return device.skewed ? device.lastSeen : device.lastAt;
}

export function isOnline(device: HeardFrom, sessionOpen: boolean, now: number): boolean {
  if (sessionOpen) return true;
  const graceS = device.heartbeatIntervalS ? 2 * device.heartbeatIntervalS : ONLINE_DEFAULT_S;
  return now - lastHeard(device).getTime() <= graceS * 1000;
}
