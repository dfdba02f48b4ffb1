"use client";
// Acknowledge / resolve, for operators and admins. Viewers are told who can act instead.
import { useFindingAction } from "@/components/hooks/queries/use-finding-action";
import type { FindingItem } from "@/lib/contract/read";

const button =
  "rounded-md px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 disabled:cursor-not-allowed disabled:opacity-50";

export function FindingActions({ finding, canAct }: { finding: FindingItem; canAct: boolean }) {
  const action = useFindingAction();
  if (finding.status === "resolved") return <p className="text-sm text-slate-600 dark:text-slate-400">Resolved. It reopens as a new finding if the evidence comes back.</p>;
  if (!canAct) return <p className="text-sm text-slate-600 dark:text-slate-400">Only operators and admins can acknowledge or resolve findings.</p>;
  const busy = action.isPending;
  return (
    <div className="flex flex-wrap items-center gap-2">
      {finding.status === "open" && (
        <button type="button" disabled={busy} onClick={() => action.mutate({ id: finding.id, action: "acknowledge" })} className={`${button} border border-slate-300 bg-white hover:bg-slate-100 dark:border-slate-700 dark:bg-slate-900 dark:hover:bg-slate-800`}>
          Acknowledge
        </button>
      )}
      <button type="button" disabled={busy} onClick={() => action.mutate({ id: finding.id, action: "resolve" })} className={`${button} bg-emerald-600 text-white hover:bg-emerald-700`}>
        Resolve
      </button>
      {busy && <span role="status" className="text-sm text-slate-600">Saving…</span>}
      {action.error && (
        <span role="alert" className="text-sm text-rose-700 dark:text-rose-300">
          {action.error.message}
        </span>
      )}
    </div>
  );
}
