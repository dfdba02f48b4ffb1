/**
 * Idle timeouts measured directly by the Linkscope probe (`probe` events of kind
 * `idle_timeout`): it held idle connections of increasing length and reports which
 * survived and which died. The timeout lies between the longest survived and the shortest
 * fatal hold; the probe's own estimate is used when it lies in that bracket.
 */
import { ownScope } from "./scopes";
import { median } from "./statistics";
import type { EventRecord, IdleTimeoutProbeEvent } from "./types";

export interface ProbeMeasurement {
  scope: "site" | "publicIp" | "device";
  key: string;
  site: string | null;
  timeoutS: number;
  /** longest hold that survived below the fatal ones, across runs (null if none) */
  survivedMaxS: number | null;
  /** shortest hold that died */
  diedMinS: number;
  runs: number;
  devices: Set<string>;
  firstSeen: number;
  lastSeen: number;
}

/** One run's estimate, or null when nothing died (the path held every probe). */
export function probeRunEstimate(result: IdleTimeoutProbeEvent["result"]): {
  estimateS: number;
  survivedMaxS: number | null;
  diedMinS: number;
} | null {
  const died = result.diedS.filter((v) => Number.isFinite(v) && v > 0);
  if (died.length === 0) return null;
  const diedMinS = Math.min(...died);
  const survived = result.survivedS.filter((v) => Number.isFinite(v) && v < diedMinS);
  const survivedMaxS = survived.length > 0 ? Math.max(...survived) : null;
  const own = result.estimateS;
  const inBracket = own !== null && Number.isFinite(own) && own <= diedMinS && own >= (survivedMaxS ?? 0);
  const estimateS = inBracket ? own : survivedMaxS !== null ? (survivedMaxS + diedMinS) / 2 : diedMinS;
  return { estimateS, survivedMaxS, diedMinS };
}

/** Probe measurements per scope (site, else public IP, else device). */
export function probeIdleTimeouts(events: readonly EventRecord[]): ProbeMeasurement[] {
  const byScope = new Map<string, { m: ProbeMeasurement; estimates: number[] }>();
  for (const e of events) {
    if (e.type !== "probe" || e.kind !== "idle_timeout") continue;
    const run = probeRunEstimate(e.result);
    if (!run) continue;
    const { scope, key } = ownScope(e);
    const id = `${scope}\u0000${key}`;
    let entry = byScope.get(id);
    if (!entry) {
      entry = {
        m: {
          scope,
          key,
          site: e.site,
          timeoutS: 0,
          survivedMaxS: null,
          diedMinS: Number.POSITIVE_INFINITY,
          runs: 0,
          devices: new Set(),
          firstSeen: e.at,
          lastSeen: e.at,
        },
        estimates: [],
      };
      byScope.set(id, entry);
    }
    const m = entry.m;
    entry.estimates.push(run.estimateS);
    m.runs++;
    m.devices.add(e.device);
    m.diedMinS = Math.min(m.diedMinS, run.diedMinS);
    if (run.survivedMaxS !== null) m.survivedMaxS = Math.max(m.survivedMaxS ?? 0, run.survivedMaxS);
    m.firstSeen = Math.min(m.firstSeen, e.at);
    m.lastSeen = Math.max(m.lastSeen, e.at);
  }
  return [...byScope.values()].map(({ m, estimates }) => ({ ...m, timeoutS: median(estimates) }));
}
