// Sessions outside a batch: the periodic sweep that closes sessions whose heartbeats stopped.
import type { Db } from "@/lib/db/client";
import { pgCloseStaleSessions } from "./postgres";
import { sqliteCloseStaleSessions } from "./sqlite";

/**
 * Closes, as `inferred` at their last sign of life, open sessions whose heartbeats stopped
 * for longer than the rule of lib/contract/liveness.ts allows by `now` (what materializeSessions
 * would conclude). Returns how many it closed.
 */
export function closeStaleSessions(db: Db, now: number): Promise<number> {
  return db.provider === "sqlite" ? sqliteCloseStaleSessions(db.sqlite, now) : pgCloseStaleSessions(db.pool, now);
}
