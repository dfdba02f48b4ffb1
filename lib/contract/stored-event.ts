// An event as stored: the wire event's common fields go to columns (device, eventId, site,
// type, at, session), the type-specific rest to the `data` column as JSON text. Ingest
// writes that text with `eventDataText`; every reader gets it back, typed, from `eventData`.
import type { WireEvent } from "./events";
import type { EventType } from "./vocabulary";

type Columns = "id" | "device" | "site" | "at" | "type" | "session";
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** What the `data` column holds for events of type T. */
export type EventData<T extends EventType = EventType> = DistributiveOmit<Extract<WireEvent, { type: T }>, Columns>;

/** The `data` text of a validated wire event. */
export function eventDataText(wire: WireEvent): string {
  const { id: _id, device: _device, site: _site, at: _at, type: _type, ...rest } = wire;
  if ("session" in rest) delete (rest as { session?: string }).session;
  return JSON.stringify(rest);
}

/**
 * The type-specific fields of a stored event. The text was written by `eventDataText` from an
 * event that passed the wire schema, so it is not validated again (analysis reads millions).
 */
export function eventData<T extends EventType>(_type: T, text: string): EventData<T> {
  return JSON.parse(text) as EventData<T>;
}
