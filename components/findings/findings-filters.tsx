"use client";
// The triage filters: status, severity, kind and site. Each change goes to the URL.
import { useSites } from "@/components/hooks/queries/use-sites";
import type { FindingFilters } from "@/lib/client/query-keys";
import { KIND_LABELS } from "./kind-labels";

const KINDS = Object.keys(KIND_LABELS) as Array<keyof typeof KIND_LABELS>;

export const STATUSES = [
  { key: "open", label: "Open" },
  { key: "acknowledged", label: "Acknowledged" },
  { key: "active", label: "Open + ack." },
  { key: "resolved", label: "Resolved" },
  { key: "all", label: "All" },
] as const;

const select = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900";

export function FindingsFilters({ filters, onChange }: { filters: FindingFilters; onChange: (changes: Partial<Record<keyof FindingFilters, string | null>>) => void }) {
  const sites = useSites();
  return (
    <div className="flex flex-wrap items-end gap-3" role="group" aria-label="Filter findings">
      <div role="group" aria-label="Status" className="inline-flex overflow-hidden rounded-md border border-slate-300 dark:border-slate-700">
        {STATUSES.map((s) => (
          <button
            key={s.key}
            type="button"
            aria-pressed={filters.status === s.key}
            onClick={() => onChange({ status: s.key === "open" ? null : s.key })}
            className={`px-2.5 py-1 text-sm focus-visible:relative focus-visible:outline-2 focus-visible:outline-sky-600 ${
              filters.status === s.key ? "bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900" : "bg-white hover:bg-slate-100 dark:bg-slate-900 dark:hover:bg-slate-800"
            }`}
          >
            {s.label}
          </button>
        ))}
      </div>
      <label className="flex flex-col text-xs text-slate-600 dark:text-slate-400">
        Severity
        <select className={select} value={filters.severity ?? ""} onChange={(e) => onChange({ severity: e.target.value || null })}>
          <option value="">Any</option>
          <option value="critical">Critical</option>
          <option value="warning">Warning</option>
          <option value="info">Info</option>
        </select>
      </label>
      <label className="flex flex-col text-xs text-slate-600 dark:text-slate-400">
        Kind
        <select className={select} value={filters.kind ?? ""} onChange={(e) => onChange({ kind: e.target.value || null })}>
          <option value="">Any</option>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {KIND_LABELS[k]}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col text-xs text-slate-600 dark:text-slate-400">
        Site
        <select className={select} value={filters.site ?? ""} onChange={(e) => onChange({ site: e.target.value || null })}>
          <option value="">Any</option>
          {filters.site && !sites.data?.items.some((s) => s.slug === filters.site) && <option value={filters.site}>{filters.site}</option>}
          {sites.data?.items.map((s) => (
            <option key={s.slug} value={s.slug}>
              {s.name}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
