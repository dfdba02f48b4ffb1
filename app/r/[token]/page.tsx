import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { DevicesTable } from "@/components/report/devices-table";
import { FindingSection } from "@/components/report/finding-section";
import { ReportStyles } from "@/components/report/report-styles";
import { ReportSummary } from "@/components/report/report-summary";
import { SeriesChart } from "@/components/report/series-chart";
import { getDb } from "@/lib/db/client";
import { utc, utcRange } from "@/components/report/format";
import { openShare } from "@/lib/reports/share-access";
import type { SiteReport } from "@/lib/contract/report";
import { siteReport } from "@/lib/reports/site-report";

export const dynamic = "force-dynamic";

// A customer's view of one site, opened from a share link without a login. The token is the
// only credential; everything is read on the server for the link's site and window, and
// the page links nowhere but to its own CSV downloads.
const shareFor = cache((token: string) => openShare(getDb(), token));

export async function generateMetadata({ params }: { params: Promise<{ token: string }> }): Promise<Metadata> {
  const share = await shareFor((await params).token);
  return {
    title: share ? `Connectivity report: ${share.site.name}` : "Link expired",
    robots: { index: false, follow: false },
    referrer: "no-referrer",
  };
}

export default async function SharedReportPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const share = await shareFor(token);
  if (!share) notFound();
  const report = await siteReport(getDb(), share);
  if (!report) notFound();
  const base = `/r/${encodeURIComponent(token)}`;
  return (
    <article id="linkscope-report" className="space-y-10">
      <ReportStyles />
      <header className="space-y-2 border-b border-slate-200 pb-6 dark:border-slate-800 print:border-slate-300">
        <p className="text-xs font-semibold uppercase tracking-wide text-sky-700 dark:text-sky-400 print:text-sky-800">Linkscope connectivity report</p>
        <h1 className="text-3xl font-semibold tracking-tight">{report.site.name}</h1>
        <p className="text-sm">
          <span className="font-medium">Period:</span> {utcRange(report.from, report.to)}
        </p>
        <p className="text-xs text-slate-500 dark:text-slate-400 print:text-slate-600">
          Generated at {utc(report.generatedAt)} from the connection records of this site&apos;s devices · this link is valid until {utc(report.expiresAt)}
        </p>
      </header>
      <ReportSummary report={report} />
      <section aria-labelledby="ends-heading" className="report-chart space-y-2">
        <h2 id="ends-heading" className="text-lg font-semibold">
          How connections ended
        </h2>
        <div className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900 print:border-slate-300 print:bg-white">
          <SeriesChart series={report.summary.reasons} window={null} unit="connection end" />
        </div>
      </section>
      {report.findings.length > 0 && (
        <section aria-labelledby="findings-heading" className="report-findings space-y-8">
          <h2 id="findings-heading" className="text-lg font-semibold">
            Findings
          </h2>
          {report.findings.map((item, i) => (
            <FindingSection key={item.finding.id} item={item} index={i} />
          ))}
        </section>
      )}
      <DevicesTable devices={report.devices} total={report.summary.site.devices} findings={findingsByDevice(report)} />
      <section aria-labelledby="downloads-heading" className="no-print space-y-2 text-sm">
        <h2 id="downloads-heading" className="text-lg font-semibold">
          Downloads
        </h2>
        <p className="text-slate-600 dark:text-slate-300">The raw records behind this report, for your own tools (CSV, times in UTC).</p>
        <ul className="flex flex-wrap gap-3">
          <li>
            <a href={`${base}/sessions.csv`} download className="font-medium text-sky-700 underline underline-offset-2 dark:text-sky-400">
              Connections (sessions.csv)
            </a>
          </li>
          <li>
            <a href={`${base}/findings.csv`} download className="font-medium text-sky-700 underline underline-offset-2 dark:text-sky-400">
              Findings (findings.csv)
            </a>
          </li>
        </ul>
      </section>
      <footer className="border-t border-slate-200 pt-4 text-xs text-slate-500 dark:border-slate-800 dark:text-slate-400 print:border-slate-300">
        This report covers the site {report.site.name} only. Times are UTC. Questions about it go to the contact who sent you this link.
      </footer>
    </article>
  );
}

/** Device → the numbers (as listed) of the findings that name it. */
function findingsByDevice(report: SiteReport): Map<string, number[]> {
  const map = new Map<string, number[]>();
  report.findings.forEach((f, i) => {
    for (const d of f.affectedDevices) map.set(d, [...(map.get(d) ?? []), i + 1]);
  });
  return map;
}
