"use client";
// One finding opened: what it means, the chart that proves it, what to change, the evidence
// in numbers, and the actions.
import Link from "next/link";
import { useEffect, useRef } from "react";
import { SeverityBadge, StatusText } from "@/components/ui/badges";
import type { FindingItem } from "@/lib/contract/read";
import { longTime } from "@/lib/client/format";
import { EvidenceChart } from "./evidence-chart";
import { EvidenceFacts } from "./evidence-facts";
import { FindingActions } from "./finding-actions";
import { KIND_LABELS } from "./kind-labels";

export function FindingDetail({ finding: f, canAct, onClose, focus = false }: { finding: FindingItem; canAct: boolean; onClose: () => void; focus?: boolean }) {
  const heading = useRef<HTMLHeadingElement>(null);
  // Opened from the list: move focus here, so keyboard and screen-reader users land on it.
  useEffect(() => {
    if (focus) heading.current?.focus();
  }, [focus, f.id]);
  return (
    <article aria-labelledby="finding-title" className="space-y-4">
      <div className="flex items-start justify-between gap-2">
        <div>
          <p className="flex flex-wrap items-center gap-2 text-xs text-slate-600 dark:text-slate-400">
            <SeverityBadge severity={f.severity} />
            <span>{KIND_LABELS[f.kind]}</span>
            <StatusText status={f.status} />
            <span>#{f.id}</span>
          </p>
          <h2 id="finding-title" ref={heading} tabIndex={-1} className="mt-1 text-lg font-semibold tracking-tight focus:outline-none">
            {f.title}
          </h2>
          <p className="mt-0.5 text-sm text-slate-600 dark:text-slate-400">
            {f.site && (
              <>
                Site{" "}
                <Link href={`/sites/${f.site}`} className="text-sky-700 hover:underline dark:text-sky-300">
                  {f.site}
                </Link>
                {" · "}
              </>
            )}
            {f.device && (
              <>
                Device{" "}
                <Link href={`/devices/${encodeURIComponent(f.device)}`} className="text-sky-700 hover:underline dark:text-sky-300">
                  {f.device}
                </Link>
                {" · "}
              </>
            )}
            seen {longTime(f.firstSeen)} – {longTime(f.lastSeen)}
          </p>
        </div>
        <button type="button" onClick={onClose} className="rounded px-2 py-1 text-sm text-slate-600 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-sky-600 dark:text-slate-300 dark:hover:bg-slate-800">
          Close<span className="sr-only"> finding</span>
        </button>
      </div>
      <p className="text-sm">{f.summary}</p>
      <div className="rounded-md border border-emerald-200 bg-emerald-50 p-3 text-sm text-emerald-950 dark:border-emerald-900 dark:bg-emerald-950/40 dark:text-emerald-50">
        <p className="font-medium">What to change</p>
        <p className="mt-1">{f.recommendation}</p>
      </div>
      <EvidenceChart findingId={f.id} />
      <FindingActions finding={f} canAct={canAct} />
      <details open className="rounded-md border border-slate-200 p-3 dark:border-slate-800">
        <summary className="cursor-pointer text-sm font-medium">Evidence in numbers</summary>
        <div className="mt-2">
          <EvidenceFacts finding={f} />
        </div>
      </details>
    </article>
  );
}
