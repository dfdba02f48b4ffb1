// Open findings by kind and severity: what kinds of trouble the fleet has right now.
import Link from "next/link";
import type { FleetOverview } from "@/lib/contract/dashboard";
import { EmptyState } from "@/components/ui/empty-state";
import { Panel } from "@/components/ui/panel";
import { KIND_LABELS } from "@/components/findings/kind-labels";

export function FindingsByKind({ findings }: { findings: FleetOverview["findings"] }) {
  return (
    <Panel title="Open findings by kind">
      {findings.byKind.length === 0 ? (
        <EmptyState title="Nothing open">The analysis runs after every batch of events and every 5 minutes; new trouble shows up here.</EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100 text-sm dark:divide-slate-800">
          {findings.byKind.map((k) => (
            <li key={k.kind} className="flex items-center justify-between gap-2 py-1.5">
              <Link href={`/findings?kind=${k.kind}`} className="hover:underline focus-visible:underline">
                {KIND_LABELS[k.kind]}
              </Link>
              <span className="flex gap-2 text-xs tabular-nums">
                {k.critical > 0 && <span className="rounded bg-rose-100 px-1.5 py-0.5 font-medium text-rose-800 dark:bg-rose-950 dark:text-rose-200">{k.critical} critical</span>}
                {k.warning > 0 && <span className="rounded bg-amber-100 px-1.5 py-0.5 font-medium text-amber-900 dark:bg-amber-950 dark:text-amber-200">{k.warning} warning</span>}
                {k.info > 0 && <span className="rounded bg-sky-100 px-1.5 py-0.5 font-medium text-sky-800 dark:bg-sky-950 dark:text-sky-200">{k.info} info</span>}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}
