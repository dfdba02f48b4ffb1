// Storing a validated batch: sites and devices resolved, events inserted idempotently on
// (device, id), and the sessions of every touched device re-derived — all in one
// transaction, so a 200 answer means every accepted event and its sessions are durable.
import { compareEvents, isStale, materializeSessions, type LifecycleEvent } from "@/lib/sessions/materialize";
import type { ItemRejection, ValidEvent } from "./validate";
import { lifecycleFromRow, type DeviceUpdate, type EventRow, type IngestStorage, type IngestTx, type StoredSession } from "./storage";
import type { IngestResult } from "@/lib/contract/events";

/** Events this far ahead of the server clock are accepted but marked skewed (PROTOCOL.md). */
export const SKEW_TOLERANCE_MS = 5 * 60 * 1000;

/** What the authenticated key allows: the whole fleet, or exactly one site. */
export interface IngestScope {
  site: { id: number; slug: string } | null;
}

export async function storeBatch(
  storage: IngestStorage,
  scope: IngestScope,
  events: ValidEvent[],
  rejected: ItemRejection[],
  now: number = Date.now(),
): Promise<IngestResult> {
  const result = await storage.transaction(async (tx) => {
    const refused: ItemRejection[] = [];
    const refuse = (e: ValidEvent, code: string, message: string) =>
      refused.push({ index: e.index, id: e.id, error: { code, message } });

    let candidates = events;
    if (scope.site) {
      const own = scope.site.slug;
      candidates = events.filter((e) => {
        if (e.site === null || e.site === own) return true;
        refuse(e, "site_forbidden", `site: this key may only send events for site "${own}"`);
        return false;
      });
    }

    const known = await tx.devices(unique(candidates.map((e) => e.device)));
    const slugs = unique(candidates.map((e) => (scope.site ? scope.site.slug : e.site)).filter((s): s is string => s !== null));
    const siteIds = slugs.length ? await tx.siteIds(slugs) : new Map<string, number>();

    // A device's site: the key's, else the event's, else one named by another event of the batch, else the stored one.
    const namedInBatch = new Map<string, number>();
    for (const e of [...candidates].sort((a, b) => a.at - b.at || a.index - b.index)) {
      const slug = scope.site ? scope.site.slug : e.site;
      if (slug !== null) namedInBatch.set(e.device, siteIds.get(slug)!);
    }
    const accepted: Array<{ e: ValidEvent; siteId: number }> = [];
    for (const e of candidates) {
      const slug = scope.site ? scope.site.slug : e.site;
      const siteId = slug !== null ? siteIds.get(slug)! : (namedInBatch.get(e.device) ?? known.get(e.device)?.siteId ?? null);
      if (siteId === null) refuse(e, "site_required", "site: is required for a device that has no site yet");
      else accepted.push({ e, siteId });
    }

    const fresh = unique(accepted.map((a) => a.e.device)).filter((d) => !known.has(d));
    if (fresh.length) {
      await tx.createDevices(
        fresh.map((externalId) => ({ externalId, siteId: namedInBatch.get(externalId)!, firstSeen: now, lastAt: firstAt(accepted, externalId) })),
      );
    }
    const devices = fresh.length ? await tx.devices(unique(accepted.map((a) => a.e.device))) : known;

    const rows: EventRow[] = accepted.map(({ e, siteId }) => ({
      deviceId: devices.get(e.device)!.id,
      eventId: e.id,
      siteId,
      type: e.type,
      at: e.at,
      receivedAt: now,
      skewed: e.at - now > SKEW_TOLERANCE_MS,
      session: e.session,
      data: e.data,
    }));
    const inserted = rows.length ? await tx.insertEvents(rows) : [];

    const stored = rows.filter((_, i) => inserted[i]);
    await tx.updateDevices(deviceUpdates(rows, accepted, inserted, now));
    await deriveSessions(tx, stored, now);

    return { accepted: stored.length, duplicates: rows.length - stored.length, refused };
  });
  const all = [...rejected, ...result.refused].sort((a, b) => a.index - b.index);
  return { accepted: result.accepted, duplicates: result.duplicates, rejected: all };
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

function firstAt(accepted: Array<{ e: ValidEvent }>, device: string): number {
  let at = Number.POSITIVE_INFINITY;
  for (const { e } of accepted) if (e.device === device && e.at < at) at = e.at;
  return at;
}

function deviceUpdates(rows: EventRow[], accepted: Array<{ e: ValidEvent }>, inserted: boolean[], now: number): DeviceUpdate[] {
  const updates = new Map<number, DeviceUpdate & { siteAt: number }>();
  rows.forEach((r, i) => {
    if (!inserted[i]) return;
    const wire = accepted[i].e.wire;
    const u = updates.get(r.deviceId) ?? {
      id: r.deviceId,
      siteId: null,
      siteAt: Number.NEGATIVE_INFINITY,
      lastSeen: now,
      lastAt: Number.NEGATIVE_INFINITY,
      publicIp: null,
      heartbeatIntervalS: null,
      skewed: false,
    };
    // The latest event by device time decides the device's site and egress address.
    if (r.at >= u.siteAt) {
      u.siteAt = r.at;
      u.siteId = r.siteId;
      u.publicIp = wire.publicIp ?? u.publicIp;
    }
    if (wire.type === "heartbeat" && wire.intervalS !== undefined && r.at >= u.lastAt) u.heartbeatIntervalS = wire.intervalS;
    u.lastAt = Math.max(u.lastAt, r.at);
    u.skewed ||= r.skewed;
    updates.set(r.deviceId, u);
  });
  return [...updates.values()].map(({ siteAt: _siteAt, ...u }) => u);
}

/**
 * Re-derives the sessions a batch can change. Heartbeats at or after the last sign of life
 * of a device's latest session, when that session is open or ended as inferred, only
 * continue the heartbeat walk of materializeSessions from where it stopped (its state is
 * stored: lastLife and the interval in force there); that is the whole of a steady stream,
 * live or replayed from a device's spool. Anything else re-materialises the window from the
 * latest session that starts at or before the earliest new event (sessions before it cannot
 * depend on newer events).
 */
async function deriveSessions(tx: IngestTx, stored: EventRow[], now: number): Promise<void> {
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
    const named = unique(fresh.filter((e) => e.type !== "heartbeat" && e.session !== null).map((e) => e.session!));
    if (named.length) lo = Math.min(lo, ...(await tx.sessionStarts(deviceId, named)));
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
 * Walks on from the stored state exactly as materializeSessions' endSession does. When the
 * new heartbeats are all the stored ones after lastLife, they are the whole continuation;
 * otherwise (an inferred end can hide heartbeats beyond its gap, and ties at lastLife must be
 * re-ordered) the stored ones are read.
 */
async function continueSession(tx: IngestTx, deviceId: number, latest: StoredSession, fresh: LifecycleEvent[], now: number): Promise<void> {
  const onlyFresh = latest.laterHeartbeats === fresh.length && fresh.every((h) => h.at > latest.lastLife);
  const beats = onlyFresh ? fresh : (await tx.lifecycleEvents(deviceId, latest.lastLife)).filter((e) => e.type === "heartbeat");
  let life = latest.lastLife;
  let interval = latest.intervalS;
  for (const h of beats.sort(compareEvents)) {
    if (interval !== null && h.at - life > 2 * interval * 1000) break;
    life = h.at;
    interval = h.intervalS ?? interval;
  }
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
