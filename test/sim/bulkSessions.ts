/**
 * Many sessions quickly, for benchmarks: sites of 20 devices over a week, half of them
 * behind a middlebox that resets idle connections at a known timeout (70 % of their drops),
 * the rest of the drops random. No device timelines: only the shape the detectors read.
 */
import type { EndReason, SessionRecord } from "../../lib/analysis/types";
import { Rng } from "./prng";

const TIMEOUTS = [60, 240, 350, 600, 900, 1200, 1800, 3600];
const WEEK_MS = 7 * 86_400_000;
const RANDOM_REASONS: readonly EndReason[] = ["reset", "timeout", "error", "unknown", "client_closed"];

export function bulkSessions(count: number, seed: number, now: number, sessionsPerSite = 1000): SessionRecord[] {
  const rng = new Rng(seed);
  const out: SessionRecord[] = new Array(count);
  let site = "";
  let timeoutS: number | null = null;
  let publicIp = "";
  for (let i = 0; i < count; i++) {
    if (i % sessionsPerSite === 0) {
      site = `bulk-${i / sessionsPerSite}`;
      timeoutS = rng.chance(0.5) ? rng.pick(TIMEOUTS) : null;
      publicIp = `${rng.int(11, 199)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
    }
    const start = now - rng.next() * WEEK_MS;
    const cut = timeoutS !== null && rng.chance(0.7);
    const idleS = cut ? (timeoutS as number) * (1 + rng.uniform(0, 0.004)) + rng.uniform(0, 1.5) : rng.uniform(1, 5400);
    const durationS = idleS + rng.exp(1800);
    const endReason: EndReason = cut ? "reset" : rng.pick(RANDOM_REASONS);
    out[i] = {
      device: `${site}-d${i % 20}`,
      site,
      publicIp,
      session: `${site}-s${i}`,
      start,
      end: start + durationS * 1000,
      durationS,
      endReason,
      idleS,
      maxIdleS: cut ? rng.uniform(0.2, 0.99) * (timeoutS as number) : null,
      errno: endReason === "reset" ? "ECONNRESET" : null,
      endpoint: "acme.cumulocity.example:443",
    };
  }
  return out;
}
