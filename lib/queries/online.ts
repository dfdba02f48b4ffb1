// When is a device online? It has an open session, or it was heard from within twice its
// declared heartbeat interval (or within ONLINE_DEFAULT_S when it never declared one).
// "Heard from" is the server's receive time: it does not depend on the device's clock.
export const ONLINE_DEFAULT_S = 300;

/** The columns isOnline needs, for Prisma selects. */
export const HEARD_FROM_SELECT = { lastSeen: true, heartbeatIntervalS: true } as const;

export function isOnline(device: { lastSeen: Date; heartbeatIntervalS: number | null }, sessionOpen: boolean, now: number): boolean {
  if (sessionOpen) return true;
  const graceS = device.heartbeatIntervalS ? 2 * device.heartbeatIntervalS : ONLINE_DEFAULT_S;
  return now - device.lastSeen.getTime() <= graceS * 1000;
}
