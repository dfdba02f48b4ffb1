"use client";
// A chart's data table whose rows are built only once it is opened (see ChartFrame).
import { useState } from "react";
import { DataTable, DETAILS_CLASS, SUMMARY_CLASS, type ChartTable } from "./data-table";

export function DeferredDataTable({ caption, table }: { caption: string; table: ChartTable }) {
  const [open, setOpen] = useState(false);
  return (
    <details className={DETAILS_CLASS} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary className={SUMMARY_CLASS}>Data table</summary>
      {open && <DataTable caption={caption} table={table} />}
    </details>
  );
}
