// When are a stored finding and a new draft "the same finding"? Same kind, scope and scope
// key, and the same thing found: a timeout within 10 % (estimates jitter between runs), the
// same interceptor issuer on the same endpoint, the same blocked endpoint, an overlapping
// outage, a schedule within 15 minutes of the same time of day.
import type { KindEvidence } from "@/lib/contract/evidence";
import type { FindingScope } from "@/lib/contract/vocabulary";

const within = (a: number | null, b: number | null, tolerance: number) =>
  a !== null && b !== null && Math.abs(a - b) <= tolerance * Math.max(a, b);
const minutesOfDay = (hhmm: string) => {
  const [h, m] = hhmm.split(":").map(Number);
  return h * 60 + m;
};

/** A stable, readable key for a new finding (stored; shown in URLs and exports). */
export function findingKey(f: KindEvidence): string {
  switch (f.kind) {
    case "idle_timeout":
      return `${Math.round(f.evidence.timeoutS ?? 0)}s`;
    case "tls_interception":
      return `${f.evidence.endpoint}|${f.evidence.issuer}`;
    case "port_blocked":
      return f.evidence.endpoint;
    case "outage":
      return f.evidence.start;
    case "session_lifetime":
      return `${Math.round(f.evidence.periodS)}s`;
    case "scheduled_drop":
      return f.evidence.timeOfDay;
    case "proxy_failure":
      return `${f.evidence.proxy}|${f.evidence.endpoint}`;
    default:
      return "";
  }
}

type Identified = KindEvidence & { scope: FindingScope | string; scopeKey: string };

export function sameIdentity(stored: Identified & { key: string }, draft: Identified): boolean {
  if (stored.scope !== draft.scope || stored.scopeKey !== draft.scopeKey) return false;
  const a = stored as KindEvidence;
  const b = draft as KindEvidence;
  if (a.kind === "idle_timeout" && b.kind === "idle_timeout") return within(a.evidence.timeoutS, b.evidence.timeoutS, 0.1);
  if (a.kind === "session_lifetime" && b.kind === "session_lifetime") return within(a.evidence.periodS, b.evidence.periodS, 0.1);
  if (a.kind === "scheduled_drop" && b.kind === "scheduled_drop") {
    const d = Math.abs(minutesOfDay(a.evidence.timeOfDay) - minutesOfDay(b.evidence.timeOfDay));
    return Math.min(d, 1440 - d) <= 15;
  }
  if (a.kind === "outage" && b.kind === "outage") {
    // Overlapping windows (an open outage has no end yet).
    const start = (e: typeof a.evidence) => Date.parse(e.start);
    const end = (e: typeof a.evidence) => (e.end ? Date.parse(e.end) : Number.POSITIVE_INFINITY);
    return start(a.evidence) <= end(b.evidence) && start(b.evidence) <= end(a.evidence);
  }
  return a.kind === b.kind && stored.key === findingKey(b);
}
