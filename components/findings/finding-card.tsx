// A finding in a list on the site or device page: what, how bad, and what to change.
import Link from "next/link";
import { SeverityBadge, StatusText } from "@/components/ui/badges";
import type { FindingItem } from "@/lib/contract/read";
import { ago } from "@/lib/client/format";
import { KIND_LABELS } from "./kind-labels";

export function FindingCard({ finding }: { finding: FindingItem }) {
  return (
    <article className="rounded-md border border-slate-200 p-3 dark:border-slate-800">
      <div className="flex flex-wrap items-center gap-2 text-xs text-slate-600 dark:text-slate-400">
        <SeverityBadge severity={finding.severity} />
        <span>{KIND_LABELS[finding.kind]}</span>
        <StatusText status={finding.status} />
        <span>· last seen {ago(finding.lastSeen)}</span>
      </div>
      <h3 className="mt-1 font-medium">
        <Link href={`/findings?open=${finding.id}`} className="hover:underline focus-visible:underline">
          {finding.title}
        </Link>
      </h3>
      <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">{finding.summary}</p>
      <p className="mt-2 rounded bg-emerald-50 p-2 text-sm text-emerald-950 dark:bg-emerald-950/40 dark:text-emerald-100">
        <span className="font-medium">What to change: </span>
        {finding.recommendation}
      </p>
      <Link href={`/findings?open=${finding.id}`} className="mt-2 inline-block text-sm font-medium text-sky-700 hover:underline focus-visible:underline dark:text-sky-300">
        Evidence and actions →
      </Link>
    </article>
  );
}
