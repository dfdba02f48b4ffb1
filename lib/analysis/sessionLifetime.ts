/**
 * session_lifetime: connections that end at one age whatever their idle gaps — a token or
 * certificate that expires, a proxy's maximum connection age, a server-side cap. Found as
 * a narrow peak of session durations (the same window scan as idle timeouts), then told
 * apart from an idle timeout seen through durations: the idle time before those endings
 * must be clearly shorter than the session.
 */
import { centrePeak, densityPeaks, type DensityPeakOptions } from "./densityPeaks";
import { count, deviceList, humanDuration, percent, plural, scopeLabel } from "./findingText";
import { spreadOverTime } from "./idleTimeoutClusters";
import { parseScopeId, sessionsByScope, type Explained } from "./scopes";
import { extent, median, robustSpread } from "./statistics";
import { DROP_REASONS } from "@/lib/contract/vocabulary";
import type { DraftOf, EndReason, SessionRecord } from "./types";

export interface SessionLifetimeOptions {
  minSessions: number;
  minShare: number;
  alpha: number;
}

export const DEFAULT_SESSION_LIFETIME_OPTIONS: SessionLifetimeOptions = { minSessions: 5, minShare: 0.1, alpha: 1e-3 };

/** A clean close counts here: ending at a fixed age is often the far end closing on purpose. */
const LIFETIME_REASONS: ReadonlySet<EndReason> = new Set<EndReason>(["server_closed", ...DROP_REASONS]);

const KNOWN_LIFETIMES: readonly { seconds: number; name: string }[] = [
  { seconds: 1767, name: "Azure IoT Hub's 29.45-minute connection cap" },
  { seconds: 3900, name: "Azure IoT Hub SAS token expiry (about 65 minutes)" },
  { seconds: 86400, name: "24-hour connection limit (e.g. AWS IoT WebSocket TTL)" },
];

const PEAKS: Omit<DensityPeakOptions, "minCount" | "alpha"> = {
  relativeHalfWidth: 0.0125,
  minHalfWidth: 5,
  flankWidths: 4,
  rangeMin: 60,
  rangeMax: 30 * 86400,
  minContrast: 2,
};

export interface SessionLifetime {
  finding: DraftOf<"session_lifetime">;
  periodS: number;
  members: SessionRecord[];
}

export function detectSessionLifetimes(
  sessions: readonly SessionRecord[],
  explained: Explained,
  options: Partial<SessionLifetimeOptions> = {},
): SessionLifetime[] {
  const o = { ...DEFAULT_SESSION_LIFETIME_OPTIONS, ...options };
  const findings: SessionLifetime[] = [];
  const peakOptions: DensityPeakOptions = { ...PEAKS, minCount: o.minSessions, alpha: o.alpha };
  for (const [id, list] of sessionsByScope(sessions)) {
    const ended = list.filter(
      (s) => s.end !== null && s.durationS !== null && s.endReason !== null && LIFETIME_REASONS.has(s.endReason) && !explained.has(s),
    );
    if (ended.length < o.minSessions) continue;
    const { scope, key } = parseScopeId(id);
    const sorted = Float64Array.from(ended.map((s) => s.durationS as number).filter((d) => d >= PEAKS.rangeMin)).sort();
    for (const peak of densityPeaks(sorted, peakOptions)) {
      const { from, to } = centrePeak(sorted, peak, peakOptions);
      if (to - from < o.minSessions || (to - from) / ended.length < o.minShare) continue;
      const [lo, hi] = [sorted[from], sorted[to - 1]];
      const members = ended.filter((s) => (s.durationS as number) >= lo && (s.durationS as number) <= hi);
      if (!spreadOverTime(members, 5 * 60_000, 3) || !notFirstIdleDeaths(members)) continue;
      const finding = lifetimeFinding(scope, key, members, ended.length);
      findings.push({ finding, periodS: finding.evidence.periodS, members });
    }
  }
  return findings;
}

/**
 * An idle timeout seen through durations makes ages equal only when connections die at their
 * first idle gap (idle ≈ age). Endings at one age after idle gaps clearly shorter than the
 * session are a lifetime — even when periodic long-polls make those idle gaps all alike.
 */
function notFirstIdleDeaths(members: readonly SessionRecord[]): boolean {
  const known = members.filter((s) => s.idleS !== null);
  if (known.length < members.length / 2) return false;
  const firstIdleDeaths = known.filter((s) => (s.idleS as number) >= 0.9 * (s.durationS as number)).length;
  return firstIdleDeaths <= known.length / 2;
}

function lifetimeFinding(scope: "site" | "publicIp" | "device", key: string, members: SessionRecord[], total: number): DraftOf<"session_lifetime"> {
  const durations = members.map((s) => s.durationS as number);
  const periodS = median(durations);
  const spread = robustSpread(durations, periodS);
  const idle = members.map((s) => s.idleS ?? 0);
  const [idleLo, idleHi] = extent(idle);
  const known = KNOWN_LIFETIMES.find((k) => Math.abs(k.seconds - periodS) <= Math.max(10, 0.03 * k.seconds)) ?? null;
  const devices = new Set(members.map((s) => s.device));
  const reasons: Record<string, number> = {};
  for (const s of members) reasons[s.endReason ?? "unknown"] = (reasons[s.endReason ?? "unknown"] ?? 0) + 1;
  const [first, last] = extent(members.map((s) => s.end as number));
  const where = scopeLabel(scope, key);
  return {
    kind: "session_lifetime",
    scope,
    scopeKey: key,
    site: scope === "site" ? key : (members[0].site ?? null),
    device: scope === "device" ? key : null,
    severity: periodS < 600 ? "warning" : "info",
    title: `Connections end after ${humanDuration(periodS)} at ${where}`,
    summary:
      `${count(members.length)} of ${count(total)} endings (${percent(members.length / total)}) at ${where} came when the connection was ${Math.round(periodS)} ± ${Math.max(1, Math.round(spread))} s old, ` +
      `on ${plural(devices.size, "device")}, whatever their idle time before (${Math.round(idleLo)}–${Math.round(idleHi)} s): ` +
      `something ends connections at a fixed age${known ? ` — ${known.name}` : " (a token or certificate expiry, a proxy's maximum connection age, or a server-side cap)"}.`,
    recommendation: `Find what limits the connection age to ${humanDuration(periodS)} (token lifetime on the device, a proxy or load balancer's maximum connection lifetime) and raise it, or let devices renew and reconnect on their own shortly before ${Math.round(periodS)} s so no message is lost in the drop.`,
    evidence: {
      periodS: Math.round(periodS * 10) / 10,
      spreadS: Math.round(spread * 10) / 10,
      sessions: members.length,
      share: Math.round((members.length / total) * 1000) / 1000,
      knownAs: known?.name ?? null,
      affectedDevices: deviceList(devices),
      affectedDeviceCount: devices.size,
      idleRangeS: [Math.round(idleLo), Math.round(idleHi)],
      reasons,
    },
    firstSeen: first,
    lastSeen: last,
  };
}
