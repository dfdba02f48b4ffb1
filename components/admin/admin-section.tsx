// A settings list: its heading, the last action's failure and status line, then the table
// (caption for screen readers, named columns plus an actions column) or a sentence when empty.
import { FormError } from "@/components/auth/text-field";
import { tableClass } from "./admin-format";
import { AdminTableHead } from "./admin-table-head";

export function AdminSection({
  id,
  title,
  caption,
  columns,
  empty,
  error,
  status,
  children,
}: {
  id: string;
  title: string;
  caption: string;
  columns: readonly string[];
  /** shown instead of the table when there are no rows */
  empty: string | null;
  error: string | null;
  status: string;
  children: React.ReactNode;
}) {
  return (
    <section aria-labelledby={`${id}-heading`} className="space-y-3">
      <h2 id={`${id}-heading`} className="text-lg font-semibold">
        {title}
      </h2>
      <FormError message={error} />
      <p role="status" aria-live="polite" className="text-sm text-slate-600 dark:text-slate-300">
        {status}
      </p>
      {empty !== null ? (
        <p className="text-sm text-slate-600 dark:text-slate-300">{empty}</p>
      ) : (
        <div className={tableClass}>
          <table className="min-w-full text-left text-sm">
            <caption className="sr-only">{caption}</caption>
            <AdminTableHead columns={columns} />
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">{children}</tbody>
          </table>
        </div>
      )}
    </section>
  );
}
