// Storing a validated batch: sites and devices resolved, events inserted idempotently on
// (device, id), and the sessions of every touched device re-derived (lib/sessions) — all in
// one transaction, so a 200 answer means every accepted event and its sessions are durable.
import type { IngestResult } from "@/lib/contract/events";
import { rawWindowStart, type RetentionPolicy } from "@/lib/db/retention";
import { deriveSessions } from "@/lib/sessions/derive";
import type { DeviceRef, DeviceUpdate, EventRow, IngestStorage, SiteMove } from "./storage";
import type { ItemRejection, ValidEvent } from "./validate";

/** Events this far ahead of the server clock are accepted but marked skewed (PROTOCOL.md). */
export const SKEW_TOLERANCE_MS = 5 * 60 * 1000;

/** What the authenticated key allows: the whole fleet, or exactly one site; and who it is, for the record of device moves. */
export interface IngestScope {
  site: { id: number; slug: string } | null;
  /** the key's prefix (recorded when a fleet-wide key moves a device to another site) */
  keyPrefix?: string | null;
}

/**
 * Tenant rules (PROTOCOL.md "Authentication"): a site-scoped key forces its site on every event,
 * refuses an event naming another site (`site_forbidden`) and one for a device registered at
 * another site (`device_forbidden`: nothing stored, the device untouched). A fleet-wide key may
 * name any site; when the batch's latest event for a device (by device time, and no older than
 * what the device already reported) names another site than the device's, the device moves and
 * the move is recorded (DeviceSiteChange) with the key's prefix.
 */
export async function storeBatch(
  storage: IngestStorage,
  scope: IngestScope,
  events: ValidEvent[],
  rejected: ItemRejection[],
  now: number = Date.now(),
  retention: RetentionPolicy = { rawDays: null, sessionDays: null },
): Promise<IngestResult> {
  const result = await storage.transaction(async (tx) => {
    const refused: ItemRejection[] = [];
    const refuse = (e: ValidEvent, code: string, message: string) =>
      refused.push({ index: e.index, id: e.id, error: { code, message } });
    const keySite = scope.site;
    const rawBefore = await tx.rawBefore();
    const oldest = rawWindowStart(retention, rawBefore, now);
    // Devices registered at another site than a site-scoped key's own are not this key's to touch.
    const ownDevices = (list: ValidEvent[], registered: Map<string, DeviceRef>) =>
      keySite === null
        ? list
        : list.filter((e) => {
            const siteId = registered.get(e.device)?.siteId ?? null;
            if (siteId === null || siteId === keySite.id) return true;
            refuse(e, "device_forbidden", `device: is registered at another site; this key may only send events for devices of site "${keySite.slug}"`);
            return false;
          });

    // Older than the raw-event window: its neighbours are (or will soon be) compacted, so its id
    // can no longer be checked for duplicates (PROTOCOL.md additions, docs/retention.md).
    let candidates = events.filter((e) => {
      if (e.at >= oldest) return true;
      refuse(e, "too_old", `at: is older than the raw-event window (events since ${new Date(oldest).toISOString()} are accepted); its id can no longer be checked for duplicates`);
      return false;
    });
    if (keySite) {
      candidates = candidates.filter((e) => {
        if (e.site === null || e.site === keySite.slug) return true;
        refuse(e, "site_forbidden", `site: this key may only send events for site "${keySite.slug}"`);
        return false;
      });
    }

    const known = await tx.devices(unique(candidates.map((e) => e.device)));
    candidates = ownDevices(candidates, known);
    const slugs = unique(candidates.map((e) => (keySite ? keySite.slug : e.site)).filter((s): s is string => s !== null));
    const siteIds = slugs.length ? await tx.siteIds(slugs) : new Map<string, number>();

    // An event's site: the key's, else its own, else one named by another event of the batch, else the device's.
    const namedInBatch = new Map<string, number>();
    for (const e of [...candidates].sort((a, b) => a.at - b.at || a.index - b.index)) {
      const slug = keySite ? keySite.slug : e.site;
      if (slug !== null) namedInBatch.set(e.device, siteIds.get(slug)!);
    }
    let accepted: Array<{ e: ValidEvent; siteId: number }> = [];
    for (const e of candidates) {
      const slug = keySite ? keySite.slug : e.site;
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
    if (fresh.length && keySite) {
      // Another batch may have registered one of the "new" devices at its own site meanwhile.
      const kept = new Set(ownDevices(accepted.map((a) => a.e), devices));
      accepted = accepted.filter((a) => kept.has(a.e));
    }

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
    const updates = deviceUpdates(rows, accepted, inserted, devices, now);
    await tx.updateDevices(updates);
    const moves = siteMoves(updates, devices, fresh, scope, now);
    if (moves.length) await tx.recordSiteMoves(moves);
    // Read again now that the devices are locked: a purge that advanced it meanwhile has finished
    // with these devices (it locks each one), so derivation stays out of what it removed.
    await deriveSessions(tx.sessions, stored, now, await tx.rawBefore());

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

/**
 * Per device: the latest event (by device time) decides its egress address, and its site when
 * that event is no older than what the device reported before (a replayed old batch does not
 * move a device back).
 */
function deviceUpdates(rows: EventRow[], accepted: Array<{ e: ValidEvent }>, inserted: boolean[], devices: Map<string, DeviceRef>, now: number): DeviceUpdate[] {
  const lastAtOf = new Map([...devices.values()].map((d) => [d.id, d.lastAt]));
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
  return [...updates.values()].map(({ siteAt, ...u }) => (siteAt >= (lastAtOf.get(u.id) ?? -Infinity) ? u : { ...u, siteId: null }));
}

/** The site changes the updates make to devices that already had a site. */
function siteMoves(updates: DeviceUpdate[], devices: Map<string, DeviceRef>, fresh: string[], scope: IngestScope, now: number): SiteMove[] {
  const created = new Set(fresh);
  const byId = new Map([...devices].filter(([externalId]) => !created.has(externalId)).map(([, d]) => [d.id, d]));
  return updates.flatMap((u) => {
    const before = byId.get(u.id);
    if (!before || before.siteId === null || u.siteId === null || u.siteId === before.siteId) return [];
    return [{ deviceId: u.id, fromSiteId: before.siteId, toSiteId: u.siteId, at: now, keyPrefix: scope.keyPrefix ?? null }];
  });
}
