// One finding, written for the customer's network team: what was measured, what it means,
// the change to ask for (the one thing to act on, so it stands out), the chart that proves
// it and the devices it touches. Starts a new page when printed.
import type { ReportFinding } from "@/lib/contract/report";
import { utc } from "./format";
import { EvidenceChart } from "./evidence-chart";
import { SeverityBadge } from "./severity-badge";

const MAX_LISTED = 60;

export function FindingSection({ item, index }: { item: ReportFinding; index: number }) {
  const { finding, explanation, evidence, affectedDevices, affectedCount } = item;
  const headingId = `finding-${finding.id}-heading`;
  return (
    <section id={`finding-${finding.id}`} aria-labelledby={headingId} className="report-finding space-y-4 border-t border-slate-200 pt-6 dark:border-slate-800 print:border-0 print:pt-0">
      <div className="flex flex-wrap items-center gap-3">
        <SeverityBadge severity={finding.severity} />
        <h3 id={headingId} className="text-lg font-semibold">
          {index + 1}. {finding.title}
        </h3>
      </div>
      <p className="text-xs text-slate-500 dark:text-slate-400 print:text-slate-600">
        First seen {utc(finding.firstSeen)} · last seen {utc(finding.lastSeen)}
      </p>
      <div className="report-ask rounded-lg border-2 border-sky-600 bg-sky-50 p-4 dark:border-sky-500 dark:bg-sky-950/40 print:bg-white">
        <h4 className="text-xs font-semibold uppercase tracking-wide text-sky-800 dark:text-sky-300 print:text-sky-800">The change to ask for</h4>
        <p className="mt-1 text-base font-semibold">{explanation.ask}</p>
      </div>
      <dl className="grid gap-4 text-sm sm:grid-cols-2 print:grid-cols-2">
        <div>
          <dt className="font-semibold">What we measured</dt>
          <dd className="mt-1 text-slate-700 dark:text-slate-300 print:text-slate-800">{explanation.measured}</dd>
        </div>
        <div>
          <dt className="font-semibold">What it means</dt>
          <dd className="mt-1 text-slate-700 dark:text-slate-300 print:text-slate-800">{explanation.meaning}</dd>
        </div>
      </dl>
      <EvidenceChart finding={finding} evidence={evidence} />
      <div className="text-sm">
        <h4 className="font-semibold">Affected devices ({affectedCount.toLocaleString("en-US")})</h4>
        {affectedDevices.length === 0 ? (
          <p className="mt-1 text-slate-600 dark:text-slate-300">The whole site.</p>
        ) : (
          <ul className="mt-1 flex flex-wrap gap-1.5">
            {affectedDevices.slice(0, MAX_LISTED).map((d) => (
              <li key={d} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs dark:bg-slate-800 print:border print:border-slate-300 print:bg-white">
                {d}
              </li>
            ))}
            {affectedCount > Math.min(MAX_LISTED, affectedDevices.length) && (
              <li className="px-1.5 py-0.5 text-xs text-slate-500">and {(affectedCount - Math.min(MAX_LISTED, affectedDevices.length)).toLocaleString("en-US")} more</li>
            )}
          </ul>
        )}
      </div>
    </section>
  );
}
