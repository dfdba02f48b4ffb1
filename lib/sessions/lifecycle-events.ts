// From a stored event row to what session derivation reads (lib/sessions/materialize.ts).
import { eventData, type EventData } from "@/lib/contract/stored-event";
import type { LifecycleType } from "@/lib/contract/vocabulary";
import type { LifecycleEvent } from "./materialize";

export interface LifecycleRow {
  type: string;
  eventId: string;
  /** device time, ms */
  at: number;
  session: string | null;
  siteId: number | null;
  data: string;
}

export function lifecycleFromRow(row: LifecycleRow): LifecycleEvent {
  return lifecycleFromFields(row, eventData(row.type as LifecycleType, row.data));
}

/** The same from the event's type-specific fields as an object (what `data` holds). */
export function lifecycleFromFields(row: Omit<LifecycleRow, "data">, d: EventData<LifecycleType>): LifecycleEvent {
  const disconnect = "reason" in d ? d : null;
  return {
    type: row.type as LifecycleType,
    eventId: row.eventId,
    at: row.at,
    session: row.session,
    siteId: row.siteId,
    endpoint: "endpoint" in d ? (d.endpoint ?? null) : null,
    transport: d.transport ?? null,
    publicIp: d.publicIp ?? null,
    reason: disconnect?.reason,
    errno: disconnect?.errno ?? null,
    idleS: disconnect?.idleS ?? null,
    maxIdleS: disconnect?.maxIdleS ?? null,
    durationS: disconnect?.durationS ?? null,
    intervalS: "intervalS" in d ? (d.intervalS ?? null) : null,
  };
}
