// The first screen of the report: the numbers in four boxes and, above all, the list of
// changes to ask the network team for — what a reader with one minute needs.
import type { SiteReport } from "@/lib/contract/report";
import { SEVERITIES } from "@/lib/contract/vocabulary";
import { plural } from "./format";
import { SeverityBadge } from "./severity-badge";

const box = "rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900 print:border-slate-300 print:bg-white";

export function ReportSummary({ report }: { report: SiteReport }) {
  const { summary, bySeverity, findings } = report;
  const problems = findings.length;
  const stats = [
    { label: "Devices", value: summary.site.devices.toLocaleString("en-US"), note: `${summary.site.online.toLocaleString("en-US")} online now` },
    { label: "Connections", value: summary.sessions.started.toLocaleString("en-US"), note: "opened in this period" },
    { label: "Dropped", value: summary.sessions.drops.toLocaleString("en-US"), note: "cut by the network or timed out" },
    {
      label: "Open findings",
      value: problems.toLocaleString("en-US"),
      note: SEVERITIES.filter((s) => bySeverity[s] > 0).map((s) => `${bySeverity[s]} ${s === "info" ? "note" : s}${bySeverity[s] === 1 || s === "critical" ? "" : "s"}`).join(", ") || "none",
    },
  ];
  return (
    <section aria-labelledby="summary-heading" className="space-y-4">
      <h2 id="summary-heading" className="text-lg font-semibold">
        Summary
      </h2>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4 print:grid-cols-4">
        {stats.map((s) => (
          <div key={s.label} className={box}>
            <dt className="text-xs font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">{s.label}</dt>
            <dd className="mt-1 text-2xl font-semibold tabular-nums">{s.value}</dd>
            <dd className="text-xs text-slate-500 dark:text-slate-400 print:text-slate-600">{s.note}</dd>
          </div>
        ))}
      </dl>
      {problems === 0 ? (
        <p className={`${box} text-sm`}>Linkscope found no network problem at this site in this period. Nothing needs to change.</p>
      ) : (
        <div className={`report-ask rounded-lg border-2 border-sky-600 bg-sky-50 p-4 dark:border-sky-500 dark:bg-sky-950/40 print:bg-white`}>
          <h3 className="text-base font-semibold">
            What to ask your network team — {plural(problems, "change")}
          </h3>
          <ol className="mt-2 list-decimal space-y-2 pl-5 text-sm">
            {findings.map((f) => (
              <li key={f.finding.id}>
                <span className="mr-2 align-middle">
                  <SeverityBadge severity={f.finding.severity} />
                </span>
                <a href={`#finding-${f.finding.id}`} className="font-medium underline decoration-sky-600/40 underline-offset-2 print:no-underline">
                  {f.explanation.ask}
                </a>
              </li>
            ))}
          </ol>
        </div>
      )}
    </section>
  );
}
