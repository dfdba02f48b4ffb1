// A page's title line: where you are, what this is, and the page-wide controls.
import Link from "next/link";

export function PageHeader({
  crumbs = [],
  title,
  subtitle,
  children,
}: {
  crumbs?: Array<{ href: string; label: string }>;
  title: React.ReactNode;
  subtitle?: React.ReactNode;
  children?: React.ReactNode;
}) {
  return (
    <div className="flex flex-wrap items-end justify-between gap-3">
      <div className="min-w-0">
        {crumbs.length > 0 && (
          <nav aria-label="Breadcrumb" className="mb-1 text-sm text-slate-600 dark:text-slate-400">
            <ol className="flex flex-wrap gap-1">
              {crumbs.map((c) => (
                <li key={c.href} className="after:ml-1 after:content-['/']">
                  <Link href={c.href} className="hover:underline focus-visible:underline">
                    {c.label}
                  </Link>
                </li>
              ))}
            </ol>
          </nav>
        )}
        <h1 className="truncate text-2xl font-semibold tracking-tight">{title}</h1>
        {subtitle && <div className="mt-0.5 text-sm text-slate-600 dark:text-slate-400">{subtitle}</div>}
      </div>
      {children && <div className="flex flex-col items-end gap-1">{children}</div>}
    </div>
  );
}
