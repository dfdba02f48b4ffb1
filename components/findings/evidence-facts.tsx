// The finding's evidence fields as a readable list: numbers, times, and the affected devices
// as links.
import Link from "next/link";
import { longTime } from "@/lib/client/format";
import { affectedDevices } from "@/lib/contract/affected";
import type { KindEvidence } from "@/lib/contract/evidence";

const LABELS: Record<string, string> = {
  timeoutS: "Timeout (s)",
  mode: "How it ends connections",
  knownAs: "Known as",
  drops: "Drops explained",
  share: "Share of the scope's drops",
  scopeDrops: "Drops in scope",
  spreadS: "Spread (s)",
  issuer: "Issuer",
  vendor: "Vendor",
  endpoint: "Endpoint",
  reason: "Why it counts as interception",
  failures: "Failed attempts",
  typicalElapsedMs: "Typical time to fail (ms)",
  lastSuccess: "Last success",
  start: "Started",
  end: "Ended",
  durationS: "Lasted (s)",
  connectedDevices: "Devices connected before",
  reconnectsPerHour: "Reconnects per hour",
  fleetMedianPerHour: "Fleet median per hour",
  medianSessionS: "Median session (s)",
  topReason: "Most common end",
  lastSeen: "Last heard from",
  silentForS: "Silent for (s)",
  intervalS: "Declared interval (s)",
  periodS: "Connection age at the end (s)",
  sessions: "Sessions",
  timeOfDay: "Time of day (UTC)",
  dayCount: "Days it recurred on",
  affectedDeviceCount: "Devices affected",
  reasons: "End reasons",
  errnos: "Errors",
  errors: "Verification errors",
  events: "TLS reports",
  rejectedDeviceCount: "Devices refusing it",
  reconnects: "Reconnects",
  windowHours: "Window (h)",
};
const PERCENT = new Set(["share"]);
const HIDDEN = new Set(["affectedDevices", "acceptedDevices", "days", "clusterS", "knownTimeoutS", "leafIssuer", "idleRangeS"]);

function show(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "number") return Number.isInteger(value) ? value.toLocaleString("en-US") : value.toFixed(value < 1 ? 3 : 1);
  if (typeof value === "string") return /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(value) ? longTime(value) : value;
  if (Array.isArray(value)) return value.join(", ");
  return Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${k} ${show(v)}`)
    .join(", ");
}

export function EvidenceFacts({ finding }: { finding: KindEvidence }) {
  const facts = Object.entries(finding.evidence).filter(([k]) => !HIDDEN.has(k));
  const devices = affectedDevices(finding).names;
  return (
    <div className="space-y-3 text-sm">
      <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1">
        {facts.map(([k, v]) => (
          <div key={k} className="contents">
            <dt className="text-slate-600 dark:text-slate-400">{LABELS[k] ?? k}</dt>
            <dd className="break-words tabular-nums">{PERCENT.has(k) && typeof v === "number" ? `${(v * 100).toFixed(1)} %` : show(v)}</dd>
          </div>
        ))}
      </dl>
      {devices.length > 0 && (
        <div>
          <p className="text-slate-600 dark:text-slate-400">Affected devices</p>
          <ul className="mt-1 flex flex-wrap gap-1.5">
            {devices.slice(0, 30).map((d) => (
              <li key={d}>
                <Link href={`/devices/${encodeURIComponent(d)}`} className="rounded bg-slate-100 px-1.5 py-0.5 text-xs hover:underline focus-visible:underline dark:bg-slate-800">
                  {d}
                </Link>
              </li>
            ))}
            {devices.length > 30 && <li className="text-xs text-slate-500">+{devices.length - 30} more</li>}
          </ul>
        </div>
      )}
    </div>
  );
}
