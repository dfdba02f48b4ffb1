// Per-item validation of an ingest batch: every event is checked on its own, so one bad
// item never costs the valid ones (PROTOCOL.md: "A batch is never all-or-nothing").
import type { z } from "zod";
import { MAX_ATTRS_BYTES, eventSchemas, type WireEvent } from "@/lib/contract/events";
import { eventDataText } from "@/lib/contract/stored-event";
import { EVENT_TYPES, type EventType } from "@/lib/contract/vocabulary";

export interface ItemRejection {
  index: number;
  id: string | null;
  error: { code: string; message: string };
}

/** An event that passed validation, normalised for storage. */
export interface ValidEvent {
  index: number;
  id: string;
  device: string;
  site: string | null;
  type: EventType;
  /** device time, ms since the epoch */
  at: number;
  session: string | null;
  /** everything but the columns above, as JSON text (kept and shown, attrs never interpreted) */
  data: string;
  wire: WireEvent;
}

const MAX_ATTRS_DEPTH = 8;
const ECHO_ID_CHARS = 128;

export function validateEvents(items: readonly unknown[]): { valid: ValidEvent[]; rejected: ItemRejection[] } {
  const valid: ValidEvent[] = [];
  const rejected: ItemRejection[] = [];
  items.forEach((item, index) => {
    const outcome = validateEvent(item, index);
    if ("error" in outcome) rejected.push(outcome);
    else valid.push(outcome);
  });
  return { valid, rejected };
}

export function validateEvent(item: unknown, index: number): ValidEvent | ItemRejection {
  const reject = (code: string, message: string): ItemRejection => ({ index, id: echoId(item), error: { code, message } });
  if (typeof item !== "object" || item === null || Array.isArray(item)) return reject("invalid_event", "An event must be a JSON object.");
  const type = (item as { type?: unknown }).type;
  if (type === undefined) return reject("invalid_field", "type: is required");
  if (typeof type !== "string" || !(EVENT_TYPES as readonly string[]).includes(type)) {
    return reject("unknown_type", `type: must be one of ${EVENT_TYPES.join(", ")}`);
  }
  const attrs = (item as { attrs?: unknown }).attrs;
  if (attrs !== undefined) {
    const problem = attrsProblem(attrs);
    if (problem) return reject("invalid_field", `attrs: ${problem}`);
  }
  const parsed = (eventSchemas[type as EventType] as z.ZodType<WireEvent>).safeParse(item);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length ? issue.path.join(".") : "event";
    const missing = valueAt(item, issue.path) === undefined;
    return reject(missing ? "missing_field" : "invalid_field", `${where}: ${missing ? "is required" : issue.message}`);
  }
  const wire = parsed.data;
  return {
    index,
    id: wire.id,
    device: wire.device,
    site: wire.site ?? null,
    type: wire.type,
    at: Date.parse(wire.at),
    session: "session" in wire ? wire.session : null,
    data: eventDataText(wire),
    wire,
  };
}

function valueAt(item: unknown, path: PropertyKey[]): unknown {
  let value = item;
  for (const key of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function echoId(item: unknown): string | null {
  const id = typeof item === "object" && item !== null ? (item as { id?: unknown }).id : undefined;
  if (typeof id !== "string") return null;
  return id.length > ECHO_ID_CHARS ? `${id.slice(0, ECHO_ID_CHARS)}…` : id;
}

/**
 * Checks attrs without recursion (a hostile body can nest arrays thousands deep, which
 * would overflow the stack of JSON.stringify): a plain object, at most MAX_ATTRS_DEPTH
 * levels, at most MAX_ATTRS_BYTES when serialised.
 */
export function attrsProblem(attrs: unknown): string | null {
  if (typeof attrs !== "object" || attrs === null || Array.isArray(attrs)) return "must be a JSON object";
  const stack: Array<{ value: unknown; depth: number }> = [{ value: attrs, depth: 1 }];
  let budget = MAX_ATTRS_BYTES;
  while (stack.length) {
    const { value, depth } = stack.pop()!;
    if (depth > MAX_ATTRS_DEPTH) return `must not nest deeper than ${MAX_ATTRS_DEPTH} levels`;
    if (typeof value === "object" && value !== null) {
      const entries = Array.isArray(value) ? value.map((v) => ["", v] as const) : Object.entries(value);
      budget -= 2 + entries.length;
      for (const [key, child] of entries) {
        budget -= key.length + 3;
        stack.push({ value: child, depth: depth + 1 });
      }
    } else {
      budget -= typeof value === "string" ? Buffer.byteLength(value) + 2 : String(value).length;
    }
    if (budget < 0) return `must be at most ${MAX_ATTRS_BYTES} bytes`;
  }
  return JSON.stringify(attrs).length > MAX_ATTRS_BYTES ? `must be at most ${MAX_ATTRS_BYTES} bytes` : null;
}
