// Re-deriving the sessions a batch of newly stored events can change, inside the writer's
// transaction: the result is what materializeSessions gives over all of the device's events.
import { lifecycleFromRow, type LifecycleRow } from "./lifecycle-events";
import { compareEvents, isStale, materializeSessions, walkHeartbeats, type LifecycleEvent } from "./materialize";
import type { SessionTx, StoredSession } from "./store";

export type StoredEventRow = LifecycleRow & { deviceId: number };

/**
 * Heartbeats at or after the last sign of life of a device's latest session, when that session
 * is open or ended as inferred, only continue the heartbeat walk of materializeSessions from
 * where it stopped (its state is stored: lastLife and the interval in force there); that is
 * the whole of a steady stream, live or replayed from a device's spool. Anything else
 * re-materialises the window from the latest session that starts at or before the earliest new
 * event (sessions before it cannot depend on newer events), or from where the retention
 * purge left the raw events complete (rawBefore), whichever is later.
 */
export async function deriveSessions(tx: SessionTx, stored: readonly StoredEventRow[], now: number, rawBefore = 0): Promise<void> {
  const byDevice = new Map<number, LifecycleEvent[]>();
  for (const r of stored) {
    if (r.type !== "connect" && r.type !== "disconnect" && r.type !== "heartbeat") continue;
    const list = byDevice.get(r.deviceId);
    if (list) list.push(lifecycleFromRow(r));
    else byDevice.set(r.deviceId, [lifecycleFromRow(r)]);
  }
  for (const [deviceId, fresh] of byDevice) {
    const latest = await tx.latestSession(deviceId);
    if (fresh.every((e) => e.type === "heartbeat")) {
      if (latest === null) continue; // heartbeats alone make no session
      if (continuesWalk(latest, fresh)) {
        await continueSession(tx, deviceId, latest, fresh, now);
        continue;
      }
    }
    let lo = Infinity;
    for (const e of fresh) lo = Math.min(lo, e.type === "disconnect" ? Math.min(e.at, e.at - (e.durationS ?? 0) * 1000) : e.at);
    const named = [...new Set(fresh.filter((e) => e.type !== "heartbeat" && e.session !== null).map((e) => e.session!))];
    if (named.length) lo = Math.min(lo, ...(await tx.sessionStarts(deviceId, named)));
    // Not into purged history: the retention purge keeps the raw events of the latest session
    // that starts at or before rawBefore, and everything after (lib/retention/purge.ts).
    lo = Math.max(lo, rawBefore);
    const from = await tx.sessionStartAtOrBefore(deviceId, lo);
    const window = await tx.lifecycleEvents(deviceId, from);
    const rows = materializeSessions(window, now).filter((s) => from === null || s.start >= from);
    await tx.replaceSessions(deviceId, from, rows);
  }
}

/**
 * Whether new heartbeats only continue the latest session's heartbeat walk: the session has
 * no disconnect (it is open, or ended as inferred at lastLife) and nothing new precedes lastLife.
 */
function continuesWalk(latest: StoredSession, heartbeats: LifecycleEvent[]): boolean {
  return (latest.endReason === null || latest.endReason === "inferred") && heartbeats.every((h) => h.at >= latest.lastLife);
}

/**
 * Walks on from the stored state with materializeSessions' own step (walkHeartbeats). When the
 * new heartbeats are all the stored ones after lastLife, they are the whole continuation;
 * otherwise (an inferred end can hide heartbeats beyond its gap, and ties at lastLife must be
 * re-ordered) the stored ones are read.
 */
async function continueSession(tx: SessionTx, deviceId: number, latest: StoredSession, fresh: LifecycleEvent[], now: number): Promise<void> {
  const onlyFresh = latest.laterHeartbeats === fresh.length && fresh.every((h) => h.at > latest.lastLife);
  const beats = onlyFresh ? fresh : (await tx.lifecycleEvents(deviceId, latest.lastLife)).filter((e) => e.type === "heartbeat");
  const { life, interval } = walkHeartbeats(beats.sort(compareEvents), { life: latest.lastLife, interval: latest.intervalS });
  const end = isStale({ end: null, lastLife: life, intervalS: interval }, now) ? life : null;
  if (life === latest.lastLife && interval === latest.intervalS && end === latest.end) return;
  await tx.updateSessionLife(deviceId, latest.session, {
    lastLife: life,
    intervalS: interval,
    end,
    durationS: end === null ? null : (end - latest.start) / 1000,
    endReason: end === null ? null : "inferred",
  });
}
