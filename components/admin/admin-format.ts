// Times in the settings tables: UTC, the same text on the server and in the browser (no
// hydration mismatch from the visitor's time zone).
export function utcMinute(iso: string | null, empty = "—"): string {
  return iso ? `${iso.slice(0, 16).replace("T", " ")} UTC` : empty;
}

export const tableClass = "overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900";
export const headClass = "border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:text-slate-400";
export const cardClass = "rounded-lg border border-slate-200 bg-white p-6 dark:border-slate-800 dark:bg-slate-900";
