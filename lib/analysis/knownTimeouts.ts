/**
 * Well-known middlebox idle timeouts (DOMAIN.md) and the advice that follows from a measured
 * one. A measured value is named only when it is close to a default; an unusual value is
 * reported as measured and called unusual, never given an invented name.
 */
import { humanDuration } from "./findingText";
import type { Severity } from "./types";

export interface KnownTimeout {
  seconds: number;
  name: string;
}

export const KNOWN_IDLE_TIMEOUTS: readonly KnownTimeout[] = [
  { seconds: 60, name: "60-second load-balancer idle timeout (AWS ALB default)" },
  { seconds: 120, name: "2-minute idle timeout" },
  { seconds: 180, name: "3-minute idle timeout" },
  { seconds: 240, name: "4-minute Azure Load Balancer / NAT Gateway default" },
  { seconds: 300, name: "5-minute idle timeout" },
  { seconds: 350, name: "350-second AWS NAT Gateway / NLB timeout" },
  { seconds: 600, name: "10-minute idle timeout" },
  { seconds: 900, name: "15-minute firewall idle timeout" },
  { seconds: 1200, name: "20-minute GCP Cloud NAT default" },
  { seconds: 1800, name: "30-minute idle timeout (Juniper SRX default)" },
  { seconds: 3600, name: "1-hour firewall default (Cisco ASA, Palo Alto, FortiGate, Check Point)" },
  { seconds: 7200, name: "2-hour idle timeout" },
  { seconds: 7440, name: "RFC 5382 minimum of 2 h 4 min (OpenWrt default)" },
  { seconds: 21600, name: "6-hour carrier NAT timeout (Twilio Super SIM)" },
  { seconds: 86400, name: "24-hour pfSense default" },
];

/** Cumulocity needs middlebox idle timeouts above 10 minutes (DOMAIN.md). */
export const PLATFORM_MINIMUM_IDLE_S = 600;

/** Application heartbeat at most this fraction of the timeout: one lost beat must not expire it. */
export const HEARTBEAT_FRACTION = 0.45;

export interface SnappedTimeout {
  knownAs: string | null;
  knownTimeoutS: number | null;
}

/**
 * A measured value read from quantized bins (lib/analysis/digest.ts keeps idle times in 0.2 %
 * bins) cannot tell a default from its neighbours within that resolution: 900.7 s read from
 * the bin holding 900 s is 900 s. A default within `resolution` (relative) is taken as the
 * value; anything else is kept as measured.
 */
export function atResolution(measuredS: number, resolution: number): number {
  for (const known of KNOWN_IDLE_TIMEOUTS) {
    if (Math.abs(measuredS - known.seconds) <= resolution * known.seconds) return known.seconds;
  }
  return measuredS;
}

/** Nearest well-known default within max(10 s, 3 %), else none. */
export function snapIdleTimeout(measuredS: number): SnappedTimeout {
  let best: KnownTimeout | null = null;
  for (const known of KNOWN_IDLE_TIMEOUTS) {
    const tolerance = Math.max(10, 0.03 * known.seconds);
    if (Math.abs(measuredS - known.seconds) > tolerance) continue;
    if (!best || Math.abs(measuredS - known.seconds) < Math.abs(measuredS - best.seconds)) {
      best = known;
    }
  }
  return best
    ? { knownAs: best.name, knownTimeoutS: best.seconds }
    : { knownAs: null, knownTimeoutS: null };
}

/** "a 15-minute firewall idle timeout" or "an unusual idle timeout of 1000 s (16.7 min)". */
export function describeTimeout(timeoutS: number, snapped: SnappedTimeout): string {
  if (snapped.knownAs) return `the ${snapped.knownAs}`;
  return `an unusual idle timeout of ${Math.round(timeoutS)} s (${humanDuration(timeoutS)}; no well-known default is near it)`;
}

export function keepAliveBelow(timeoutS: number): number {
  return Math.max(1, Math.floor(HEARTBEAT_FRACTION * timeoutS));
}

/** Below the platform's 10-minute minimum the path itself is out of spec: critical. */
export function idleTimeoutSeverity(timeoutS: number): Severity {
  return timeoutS < PLATFORM_MINIMUM_IDLE_S ? "critical" : "warning";
}

export function idleTimeoutRecommendation(timeoutS: number): string {
  const keepAlive = keepAliveBelow(timeoutS);
  const deviceSide =
    `Keep every connection busier than the ${Math.round(timeoutS)} s timeout: an application-level ` +
    `heartbeat or long-poll timeout (Bayeux advice.timeout) of at most ${keepAlive} s ` +
    `(0.45 × ${Math.round(timeoutS)} s); TCP keepalives do not refresh L7 load balancers or intercepting proxies.`;
  if (timeoutS < PLATFORM_MINIMUM_IDLE_S) {
    return `${deviceSide} Or ask IT to raise the idle timeout above 10 minutes: Cumulocity needs more than 10 minutes.`;
  }
  return (
    `${deviceSide} Or ask IT to raise the idle timeout above the longest long-poll the devices hold ` +
    `(Cumulocity holds /meta/connect up to 90 minutes by default).`
  );
}
