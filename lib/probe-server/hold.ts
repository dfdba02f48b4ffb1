// Server side of the probe's idle-timeout measurement (GET /api/v1/probe/hold).
export const MAX_HOLD_S = 7200;

export function holdSeconds(raw: string | null): number | null {
  if (raw === null || !/^\d+(\.\d+)?$/.test(raw)) return null;
  const n = Number(raw);
  return n >= 1 && n <= MAX_HOLD_S ? n : null;
}

/** Resolves true after ms, or false as soon as the client went away. */
export function waitUnlessAborted(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
