import { headClass } from "./admin-format";

/** The header row of a settings table: named columns, then an unlabelled (screen-reader: "Actions") column. */
export function AdminTableHead({ columns }: { columns: readonly string[] }) {
  return (
    <thead className={headClass}>
      <tr>
        {columns.map((h) => (
          <th key={h} scope="col" className="px-4 py-2 font-medium">
            {h}
          </th>
        ))}
        <th scope="col" className="px-4 py-2 font-medium">
          <span className="sr-only">Actions</span>
        </th>
      </tr>
    </thead>
  );
}
