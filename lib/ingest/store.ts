// Storing a validated batch: sites and devices resolved, events inserted idempotently on
// (device, id), and the sessions of every touched device re-derived (lib/sessions) — all in
// one transaction, so a 200 answer means every accepted event and its sessions are durable.
import type { IngestResult } from "@/lib/contract/events";
import { deriveSessions } from "@/lib/sessions/derive";
import type { DeviceUpdate, EventRow, IngestStorage } from "./storage";
import type { ItemRejection, ValidEvent } from "./validate";

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
    await deriveSessions(tx.sessions, stored, now);

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
