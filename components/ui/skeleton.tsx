// Placeholders in the shape of what is loading, so the page does not jump when data arrives.
export function Skeleton({ className = "h-4 w-full" }: { className?: string }) {
  return <div aria-hidden className={`animate-pulse rounded bg-slate-200 dark:bg-slate-800 ${className}`} />;
}

export function ChartSkeleton({ height = 240 }: { height?: number }) {
  return (
    <div role="status" aria-label="Loading chart" className="flex items-end gap-1" style={{ height }}>
      {[40, 65, 30, 80, 55, 20, 70, 45, 90, 35, 60, 25].map((h, i) => (
        <div key={i} aria-hidden className="flex-1 animate-pulse rounded-t bg-slate-200 dark:bg-slate-800" style={{ height: `${h}%` }} />
      ))}
    </div>
  );
}

export function RowsSkeleton({ rows = 5 }: { rows?: number }) {
  return (
    <div role="status" aria-label="Loading" className="space-y-2">
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} className="h-8 w-full" />
      ))}
    </div>
  );
}
