import type { Severity } from "@/lib/contract/vocabulary";

const STYLES: Record<Severity, string> = {
  critical: "bg-red-100 text-red-800 ring-red-300 dark:bg-red-950 dark:text-red-200 dark:ring-red-800 print:bg-white print:text-red-800",
  warning: "bg-amber-100 text-amber-900 ring-amber-300 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-800 print:bg-white print:text-amber-900",
  info: "bg-sky-100 text-sky-900 ring-sky-300 dark:bg-sky-950 dark:text-sky-200 dark:ring-sky-800 print:bg-white print:text-sky-900",
};
const WORDS: Record<Severity, string> = { critical: "Critical", warning: "Warning", info: "Note" };

export function SeverityBadge({ severity }: { severity: Severity }) {
  return <span className={`inline-flex items-center rounded px-2 py-0.5 text-xs font-semibold ring-1 ring-inset ${STYLES[severity]}`}>{WORDS[severity]}</span>;
}
