// The proof behind one finding, drawn for print: the chart lib/queries/finding-evidence.ts
// chose for the finding's kind, with a caption that says in words what it shows.
import type { EvidenceChartData } from "@/lib/contract/dashboard";
import type { FindingItem } from "@/lib/contract/read";
import { axisSeconds } from "./format";
import { ChainView } from "./chain-view";
import { HistogramChart } from "./histogram-chart";
import { SeriesChart } from "./series-chart";
import { TimeOfDayChart } from "./time-of-day-chart";

const CAPTIONS: Partial<Record<FindingItem["kind"], string>> = {
  idle_timeout: "Each bar counts dropped connections by how long they had been idle. A network device that cuts idle connections makes them pile up at one value.",
  session_lifetime: "Each bar counts connections by their age when they ended. They pile up at one age, whatever their traffic.",
  port_blocked: "Failed attempts to open a connection, by the error the devices got.",
  outage: "How connections ended over time; the shaded stretch is the outage.",
  tls_interception: "The chain of certificates the devices received instead of the platform's own.",
  scheduled_drop: "Dropped connections by time of day: they recur at the same moment every day.",
  flapping: "How often the device's connections ended.",
  offline: "Heartbeats the device sent before it went quiet.",
};

function markerLabel(f: FindingItem, value: number): string {
  const known = f.kind === "idle_timeout" || f.kind === "session_lifetime" ? f.evidence.knownAs : null;
  return `${axisSeconds(value)}${known ? ` — ${known}` : ""}`;
}

export function EvidenceChart({ finding, evidence }: { finding: FindingItem; evidence: EvidenceChartData | null }) {
  if (!evidence) return null;
  return (
    <figure className="report-chart rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900 print:border-slate-300 print:bg-white">
      <figcaption className="mb-2">
        <span className="block text-sm font-semibold">{evidence.title}</span>
        {CAPTIONS[finding.kind] && <span className="block text-xs text-slate-500 dark:text-slate-400 print:text-slate-600">{CAPTIONS[finding.kind]}</span>}
      </figcaption>
      {evidence.chart === "histogram" && <HistogramChart durations={evidence.durations} marker={{ value: evidence.marker.value, label: markerLabel(finding, evidence.marker.value) }} />}
      {evidence.chart === "series" && (
        <SeriesChart series={evidence.series} window={evidence.window} unit={finding.kind === "port_blocked" ? "failed attempt" : finding.kind === "offline" ? "heartbeat" : "connection end"} />
      )}
      {evidence.chart === "timeOfDay" && <TimeOfDayChart bins={evidence.bins} binMinutes={evidence.binMinutes} marker={evidence.marker} />}
      {evidence.chart === "chain" && <ChainView observation={evidence.observation} device={evidence.device} />}
    </figure>
  );
}
