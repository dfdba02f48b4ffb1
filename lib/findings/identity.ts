// When are a stored finding and a new draft "the same finding"? Same kind, scope and scope
// key, and the same thing found: a timeout within 10 % (estimates jitter between runs), the
// same interceptor issuer on the same endpoint, the same blocked endpoint, an overlapping
// outage, a schedule within 15 minutes of the same time of day.
import type { Evidence, FindingDraft } from "@/lib/analysis/types";

const num = (e: Evidence, k: string): number | null => (typeof e[k] === "number" ? (e[k] as number) : null);
const str = (e: Evidence, k: string): string => (typeof e[k] === "string" ? (e[k] as string) : "");
const within = (a: number | null, b: number | null, tolerance: number) =>
  a !== null && b !== null && Math.abs(a - b) <= tolerance * Math.max(a, b);
const minutesOfDay = (hhmm: string) => {
  const [h, m] = hhmm.split(":").map(Number);
  return h * 60 + m;
};

/** A stable, readable key for a new finding (stored; shown in URLs and exports). */
export function findingKey(draft: Pick<FindingDraft, "kind" | "evidence">): string {
  const e = draft.evidence;
  switch (draft.kind) {
    case "idle_timeout":
      return `${Math.round(num(e, "timeoutS") ?? 0)}s`;
    case "tls_interception":
      return `${str(e, "endpoint")}|${str(e, "issuer")}`;
    case "port_blocked":
      return str(e, "endpoint");
    case "outage":
      return str(e, "start");
    case "session_lifetime":
      return `${Math.round(num(e, "periodS") ?? 0)}s`;
    case "scheduled_drop":
      return str(e, "timeOfDay");
    default:
      return "";
  }
}

export function sameIdentity(
  stored: { kind: string; scope: string; scopeKey: string; key: string; evidence: Evidence },
  draft: Pick<FindingDraft, "kind" | "scope" | "scopeKey" | "evidence">,
): boolean {
  if (stored.kind !== draft.kind || stored.scope !== draft.scope || stored.scopeKey !== draft.scopeKey) return false;
  const a = stored.evidence;
  const b = draft.evidence;
  switch (draft.kind) {
    case "idle_timeout":
      return within(num(a, "timeoutS"), num(b, "timeoutS"), 0.1);
    case "session_lifetime":
      return within(num(a, "periodS"), num(b, "periodS"), 0.1);
    case "scheduled_drop": {
      const d = Math.abs(minutesOfDay(str(a, "timeOfDay")) - minutesOfDay(str(b, "timeOfDay")));
      return Math.min(d, 1440 - d) <= 15;
    }
    case "outage": {
      // Overlapping windows (an open outage has no end yet).
      const start = (e: Evidence) => Date.parse(str(e, "start"));
      const end = (e: Evidence) => (str(e, "end") ? Date.parse(str(e, "end")) : Number.POSITIVE_INFINITY);
      return start(a) <= end(b) && start(b) <= end(a);
    }
    default:
      return stored.key === findingKey(draft);
  }
}
