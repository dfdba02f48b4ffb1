// A time axis in seconds on a log scale, drawn as a linear axis of log10(seconds): idle
// timeouts of 60 s and of 1 h are both visible, and equal-ratio bins get equal widths.
import { KNOWN_IDLE_TIMEOUTS } from "@/lib/analysis/knownTimeouts";
import { axisSeconds } from "@/lib/client/format";

export const toLog = (s: number) => Math.log10(Math.max(s, 0.1));
export const fromLog = (x: number) => 10 ** x;

/** Tick sets from sparse to dense; the sparsest with at least four ticks in the domain wins. */
const TICK_SETS_S = [
  [1, 10, 60, 300, 900, 3600, 4 * 3600, 86_400, 7 * 86_400],
  [1, 5, 10, 30, 60, 120, 300, 600, 900, 1800, 3600, 2 * 3600, 6 * 3600, 86_400],
  [1, 2, 5, 10, 20, 30, 60, 90, 120, 180, 300, 600, 900, 1200, 1800, 2400, 3600, 5400, 7200, 4 * 3600, 12 * 3600, 86_400],
];

export function logTicks(domain: [number, number]): number[] {
  const inside = (set: number[]) => set.map(toLog).filter((x) => x >= domain[0] - 1e-9 && x <= domain[1] + 1e-9);
  return TICK_SETS_S.map(inside).find((ticks) => ticks.length >= 4) ?? inside(TICK_SETS_S.at(-1)!);
}

export const formatLogTick = (x: number) => axisSeconds(fromLog(x));

/** Short names of well-known idle timeouts, for labels on a chart (DOMAIN.md). */
const SHORT_NAMES: Record<number, string> = {
  60: "60 s load balancer",
  120: "2-min timeout",
  180: "3-min timeout",
  240: "4-min Azure LB/NAT",
  300: "5-min timeout",
  350: "350 s AWS NAT",
  600: "10-min timeout",
  900: "15-min firewall",
  1200: "20-min Cloud NAT",
  1800: "30-min firewall",
  3600: "1-h firewall",
  7200: "2-h timeout",
  7440: "RFC 5382 NAT",
  21600: "6-h carrier NAT",
  86400: "24-h pfSense",
};

export interface ReferenceTimeout {
  seconds: number;
  short: string;
  name: string;
}

export const REFERENCE_TIMEOUTS: readonly ReferenceTimeout[] = KNOWN_IDLE_TIMEOUTS.map((k) => ({
  seconds: k.seconds,
  short: SHORT_NAMES[k.seconds] ?? axisSeconds(k.seconds),
  name: k.name,
}));

/** A measured value as the findings state it: whole seconds, or one decimal when it has one. */
export const secondsText = (s: number) => (Number.isInteger(s) ? String(s) : s.toFixed(1));

/** "900 s — 15-min firewall?" for a detected cluster; an unusual value gets no invented name. */
export function clusterLabel(timeoutS: number, knownAs: string | null): string {
  const known = knownAs ? REFERENCE_TIMEOUTS.find((r) => r.name === knownAs) : undefined;
  return `${secondsText(timeoutS)} s — ${known ? `${known.short}?` : knownAs ? `${knownAs}?` : "unusual value"}`;
}

export function nearestReference(seconds: number): ReferenceTimeout | null {
  let best: ReferenceTimeout | null = null;
  for (const r of REFERENCE_TIMEOUTS) {
    if (Math.abs(seconds - r.seconds) > Math.max(10, 0.03 * r.seconds)) continue;
    if (!best || Math.abs(seconds - r.seconds) < Math.abs(seconds - best.seconds)) best = r;
  }
  return best;
}
