// Every chart sits in a figure: a caption that says what it shows in words (what a screen
// reader announces), the chart itself (hidden from assistive tech: the data table says the
// same), and the numbers as a table anyone can open.
import { useId } from "react";
import { DataTable, DETAILS_CLASS, SUMMARY_CLASS, type ChartTable } from "./data-table";
import { DeferredDataTable } from "./deferred-data-table";

export type { ChartTable } from "./data-table";

/**
 * `deferTable`: in the browser, build the table's rows only when it is opened (a week of
 * hourly buckets is thousands of cells nobody reads until asked); the server-rendered report
 * leaves it off, so its table is in the HTML and the printout.
 */
export function ChartFrame({
  caption,
  table,
  height,
  deferTable = false,
  children,
}: {
  caption: string;
  table: ChartTable;
  height: number;
  deferTable?: boolean;
  children: React.ReactNode;
}) {
  const id = useId();
  return (
    <figure aria-labelledby={id} className="min-w-0">
      <div aria-hidden style={{ height }} className="w-full min-w-0">
        {children}
      </div>
      <figcaption id={id} className="sr-only">
        {caption}
      </figcaption>
      {deferTable ? (
        <DeferredDataTable caption={caption} table={table} />
      ) : (
        <details className={DETAILS_CLASS}>
          <summary className={SUMMARY_CLASS}>Data table</summary>
          <DataTable caption={caption} table={table} />
        </details>
      )}
    </figure>
  );
}
