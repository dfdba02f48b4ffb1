// Entry point of ingest for the API route: validate a parsed body, store it, answer.
import type { Db } from "@/lib/db/client";
import { MAX_BATCH_EVENTS } from "@/lib/contract/events";
import { retentionPolicy } from "@/lib/db/retention";
import { postgresIngestStorage } from "./postgres";
import { sqliteIngestStorage } from "./sqlite";
import { storeBatch, type IngestScope } from "./store";
import type { IngestStorage } from "./storage";
import { validateEvents } from "./validate";
import type { IngestResult } from "@/lib/contract/events";

const storages = new WeakMap<Db, IngestStorage>();

export function ingestStorage(db: Db): IngestStorage {
  let storage = storages.get(db);
  if (!storage) {
    storage = db.provider === "sqlite" ? sqliteIngestStorage(db.sqlite) : postgresIngestStorage(db.pool);
    storages.set(db, storage);
  }
  return storage;
}

/** Why a body is not a batch at all (400 invalid_body), or null. */
export function batchShapeProblem(body: unknown): string | null {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return 'The body must be an object: {"events": [...]}.';
  const events = (body as { events?: unknown }).events;
  if (!Array.isArray(events)) return 'The body must have an "events" array.';
  if (events.length === 0) return "The batch holds no events; send 1 to 1000.";
  if (events.length > MAX_BATCH_EVENTS) return `The batch holds ${events.length} events; send at most ${MAX_BATCH_EVENTS}.`;
  return null;
}

export async function ingest(db: Db, scope: IngestScope, events: unknown[], now = Date.now()): Promise<IngestResult> {
  const { valid, rejected } = validateEvents(events);
  return storeBatch(ingestStorage(db), scope, valid, rejected, now, retentionPolicy());
}

