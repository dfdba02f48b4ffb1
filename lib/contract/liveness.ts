// When a device has gone quiet (PROTOCOL.md): a session whose heartbeats stop for more than
// SILENCE_FACTOR times their declared `intervalS` ends as `inferred` at its last sign of
// life, and a device silent that long is offline. Session derivation, the stale-session
// sweeps (SQL, with the factor passed in), "online" on the dashboard, the offline detector
// and the device timeline all ask these functions; nothing else writes the rule.
//
// One clock: a device's last sign of life is its latest event by its own clock (`lastAt`),
// except for a device whose clock ran ahead (`skewed`), which is judged by the server's
// receive time (`lastSeen`). "Now" is the server's clock.

export const SILENCE_FACTOR = 2;

/**
 * Devices that never declared an interval have no inferred ends and no offline finding; the
 * dashboard still calls them online only if heard from within this many seconds.
 */
export const UNDECLARED_ONLINE_S = 300;

/** How long a device with this declared interval may stay quiet, in ms. */
export function silentAfterMs(intervalS: number): number {
  return SILENCE_FACTOR * intervalS * 1000;
}

/** Whether a gap from `from` to `to` (ms) breaks a heartbeat walk at this interval. */
export function breaksSilence(from: number, to: number, intervalS: number | null): boolean {
  return intervalS !== null && to - from > silentAfterMs(intervalS);
}

/** The moment a device's silence is judged from (see "One clock" above). */
export function lastSignOfLife(device: { lastAt: number; lastSeen: number; skewed: boolean }): number {
  return device.skewed ? device.lastSeen : device.lastAt;
}

/** Online: a session is open, or the device was heard from within its grace (undeclared: UNDECLARED_ONLINE_S). */
export function isOnline(lastLife: number, intervalS: number | null, sessionOpen: boolean, now: number): boolean {
  if (sessionOpen) return true;
  const graceMs = intervalS ? silentAfterMs(intervalS) : UNDECLARED_ONLINE_S * 1000;
  return now - lastLife <= graceMs;
}
