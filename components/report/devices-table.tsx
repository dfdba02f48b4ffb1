// The site's devices: which are connected now, when each was last heard from, and from
// which public address — so the network team can find them in their own logs.
import type { DeviceItem } from "@/lib/contract/read";
import { utc } from "./format";

/** `findings`: for each device, the numbers of the report's findings that name it. */
export function DevicesTable({ devices, total, findings }: { devices: DeviceItem[]; total: number; findings: ReadonlyMap<string, number[]> }) {
  return (
    <section aria-labelledby="devices-heading" className="report-devices space-y-3">
      <h2 id="devices-heading" className="text-lg font-semibold">
        Devices at this site
      </h2>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900 print:overflow-visible print:border-slate-300 print:bg-white">
        <table className="min-w-full text-left text-sm">
          <caption className="sr-only">Devices at this site, whether they are online, when they were last heard from, and the findings (by number) that affect them</caption>
          <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:text-slate-400">
            <tr>
              <th scope="col" className="px-3 py-2 font-medium">Device</th>
              <th scope="col" className="px-3 py-2 font-medium">Status</th>
              <th scope="col" className="px-3 py-2 font-medium">Last heard from</th>
              <th scope="col" className="px-3 py-2 font-medium">Public IP</th>
              <th scope="col" className="px-3 py-2 font-medium">Affected by finding</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800 print:divide-slate-200">
            {devices.map((d) => (
              <tr key={d.id}>
                <th scope="row" className="px-3 py-1.5 font-mono text-xs font-normal">{d.id}</th>
                <td className="px-3 py-1.5">{d.online ? "Online" : "Offline"}</td>
                <td className="px-3 py-1.5 tabular-nums">{utc(d.lastSeen)}</td>
                <td className="px-3 py-1.5 font-mono text-xs">{d.publicIp ?? "—"}</td>
                <td className="px-3 py-1.5 tabular-nums">{findings.get(d.id)?.join(", ") ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {total > devices.length && <p className="text-xs text-slate-500">The first {devices.length} of {total} devices; the sessions CSV lists every device.</p>}
    </section>
  );
}
