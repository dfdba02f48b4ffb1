// deadlock_detected, serialization_failure: PostgreSQL rolled the transaction back, so running
// it again is safe. Devices are locked in order, but the stale-session sweep and the rollup
// maintenance take locks a batch cannot order; every writer recomputes what it writes, so a
// retry is exact.
import type pg from "pg";

const RETRYABLE = new Set(["40P01", "40001"]);
const ATTEMPTS = 4;

export async function retriedOnConflict<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt >= ATTEMPTS || typeof code !== "string" || !RETRYABLE.has(code)) throw error;
      await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 20));
    }
  }
}

/** Runs work in one transaction on one pooled connection, run again when PostgreSQL rolled it back for a conflict. */
export function pgTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return retriedOnConflict(async () => {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  });
}
