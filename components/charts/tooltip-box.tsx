// The look of every chart tooltip (Recharts draws it; we style it for both colour schemes).
export function TooltipBox({ title, rows }: { title: string; rows: Array<{ label: string; value: string; color?: string }> }) {
  return (
    <div className="rounded-md border border-slate-200 bg-white px-2.5 py-1.5 text-xs shadow-md dark:border-slate-700 dark:bg-slate-900">
      <p className="font-medium">{title}</p>
      {rows.map((r) => (
        <p key={r.label} className="flex items-center gap-1.5 tabular-nums">
          {r.color && <span aria-hidden className="h-2 w-2 rounded-sm" style={{ background: r.color }} />}
          <span className="text-slate-600 dark:text-slate-400">{r.label}</span>
          <span className="ml-auto pl-2 font-medium">{r.value}</span>
        </p>
      ))}
    </div>
  );
}
