// A headline number with its label and an optional line of context.
export function Stat({ label, value, detail, tone = "plain" }: { label: string; value: React.ReactNode; detail?: React.ReactNode; tone?: "plain" | "bad" | "warn" | "good" }) {
  const colour = { plain: "", bad: "text-rose-700 dark:text-rose-300", warn: "text-amber-700 dark:text-amber-300", good: "text-emerald-700 dark:text-emerald-300" }[tone];
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <dt className="text-sm text-slate-600 dark:text-slate-400">{label}</dt>
      <dd className={`mt-1 text-3xl font-semibold tabular-nums ${colour}`}>{value}</dd>
      {detail && <dd className="mt-1 text-xs text-slate-600 dark:text-slate-400">{detail}</dd>}
    </div>
  );
}
