// deadlock_detected, serialization_failure: PostgreSQL rolled the transaction back, so running
// it again is safe. Devices are locked in order, but the stale-session sweep and the rollup
// maintenance take locks a batch cannot order; every writer recomputes what it writes, so a
// retry is exact.
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
