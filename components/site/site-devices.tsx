// The site's devices: who is online, who has an open connection, who has findings.
import Link from "next/link";
import { OnlineDot } from "@/components/ui/badges";
import { EmptyState } from "@/components/ui/empty-state";
import type { DeviceItem } from "@/lib/api/read-schema";
import { ago } from "@/lib/client/format";

export function SiteDevices({ devices, more }: { devices: DeviceItem[]; more: boolean }) {
  if (devices.length === 0) return <EmptyState title="No devices have reported from this site." />;
  const sorted = [...devices].sort((a, b) => Number(a.online) - Number(b.online) || b.openFindings - a.openFindings || a.id.localeCompare(b.id, undefined, { numeric: true }));
  return (
    <div className="-mx-4 overflow-x-auto">
      <table className="w-full min-w-[560px] text-sm">
        <thead className="text-left text-xs uppercase tracking-wide text-slate-500 dark:text-slate-400">
          <tr className="border-b border-slate-200 dark:border-slate-800">
            <th scope="col" className="px-4 py-2 font-medium">Device</th>
            <th scope="col" className="px-2 py-2 font-medium">State</th>
            <th scope="col" className="px-2 py-2 font-medium">Connection</th>
            <th scope="col" className="px-2 py-2 font-medium">Last heard</th>
            <th scope="col" className="px-2 py-2 text-right font-medium">Findings</th>
            <th scope="col" className="px-4 py-2 font-medium">Egress IP</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((d) => (
            <tr key={d.id} className="border-b border-slate-100 last:border-0 dark:border-slate-800/60">
              <th scope="row" className="px-4 py-1.5 text-left font-medium">
                <Link href={`/devices/${encodeURIComponent(d.id)}`} className="text-sky-700 hover:underline focus-visible:underline dark:text-sky-300">
                  {d.id}
                </Link>
              </th>
              <td className="px-2 py-1.5">
                <OnlineDot online={d.online} />
              </td>
              <td className="px-2 py-1.5">{d.sessionOpen ? "connected" : "none"}</td>
              <td className="px-2 py-1.5">{ago(d.lastSeen)}</td>
              <td className="px-2 py-1.5 text-right tabular-nums">{d.openFindings || ""}</td>
              <td className="px-4 py-1.5 font-mono text-xs">{d.publicIp ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {more && <p className="px-4 pt-2 text-xs text-slate-500">Showing the first 500 devices.</p>}
    </div>
  );
}
