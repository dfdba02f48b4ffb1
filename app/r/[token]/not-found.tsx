import { ReportStyles } from "@/components/report/report-styles";
import { EXPIRED_LINK_MESSAGE } from "@/lib/reports/share-access";

// Unknown, expired and revoked links look the same (404): the page says nothing about which.
export default function ShareLinkNotFound() {
  return (
    <div id="linkscope-report" className="mx-auto mt-16 max-w-lg rounded-lg border border-slate-200 bg-white p-6 text-center dark:border-slate-800 dark:bg-slate-900">
      <ReportStyles />
      <h1 className="text-xl font-semibold tracking-tight">Report unavailable</h1>
      <p className="mt-2 text-sm text-slate-600 dark:text-slate-300">{EXPIRED_LINK_MESSAGE}</p>
    </div>
  );
}
