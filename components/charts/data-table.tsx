// A chart's numbers as a table, inside the chart's "Data table" disclosure (ChartFrame).
export interface ChartTable {
  columns: string[];
  rows: Array<Array<string | number>>;
}

export const DETAILS_CLASS = "mt-1 text-xs text-slate-600 dark:text-slate-400";
export const SUMMARY_CLASS = "cursor-pointer select-none hover:text-slate-900 focus-visible:underline dark:hover:text-slate-100";

export function DataTable({ caption, table }: { caption: string; table: ChartTable }) {
  return (
    <div className="mt-1 max-h-48 overflow-auto">
      <table className="w-full text-left tabular-nums">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            {table.columns.map((c) => (
              <th key={c} scope="col" className="pr-3 font-medium">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((r, i) => (
            <tr key={i}>
              {r.map((v, j) => (
                <td key={j} className="pr-3">
                  {v}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
