// Every chart sits in a figure: a caption that says what it shows in words (what a screen
// reader announces), the chart itself (hidden from assistive tech: the data table says the
// same), and the numbers as a table anyone can open.
import { useId } from "react";

export interface ChartTable {
  columns: string[];
  rows: Array<Array<string | number>>;
}

export function ChartFrame({ caption, table, height, children }: { caption: string; table: ChartTable; height: number; children: React.ReactNode }) {
  const id = useId();
  return (
    <figure aria-labelledby={id} className="min-w-0">
      <div aria-hidden style={{ height }} className="w-full min-w-0">
        {children}
      </div>
      <figcaption id={id} className="sr-only">
        {caption}
      </figcaption>
      <details className="mt-1 text-xs text-slate-600 dark:text-slate-400">
        <summary className="cursor-pointer select-none hover:text-slate-900 focus-visible:underline dark:hover:text-slate-100">Data table</summary>
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
      </details>
    </figure>
  );
}
