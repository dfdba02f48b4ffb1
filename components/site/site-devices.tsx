"use client";
// The site's devices: who is online, who has an open connection, who has findings. Offline
// devices and those with findings come first; a big site shows its first rows until asked
// for all (a 500-row table of router links cost the page most of a second in the browser).
import Link from "next/link";
import { useState } from "react";
import { OnlineDot } from "@/components/ui/badges";
import { EmptyState } from "@/components/ui/empty-state";
import type { DeviceItem } from "@/lib/contract/read";
import { ago } from "@/lib/client/format";

/** Rows shown before "Show all". */
export const FIRST_ROWS = 50;

export function SiteDevices({ devices, more }: { devices: DeviceItem[]; more: boolean }) {
  const [all, setAll] = useState(false);
  if (devices.length === 0) return <EmptyState title="No devices have reported from this site." />;
  const sorted = [...devices].sort((a, b) => Number(a.online) - Number(b.online) || b.openFindings - a.openFindings || a.id.localeCompare(b.id, undefined, { numeric: true }));
  const shown = all ? sorted : sorted.slice(0, FIRST_ROWS);
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
          {shown.map((d) => (
            <tr key={d.id} className="border-b border-slate-100 last:border-0 dark:border-slate-800/60">
              <th scope="row" className="px-4 py-1.5 text-left font-medium">
                <Link href={`/devices/${encodeURIComponent(d.id)}`} prefetch={false} className="text-sky-700 hover:underline focus-visible:underline dark:text-sky-300">
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
      {shown.length < sorted.length && (
        <p className="px-4 pt-2 text-xs text-slate-500 dark:text-slate-400">
          Showing {shown.length} of {sorted.length}: offline devices and those with findings first.{" "}
          <button type="button" onClick={() => setAll(true)} className="font-medium text-sky-700 hover:underline focus-visible:underline dark:text-sky-300">
            Show all {sorted.length}
          </button>
        </p>
      )}
      {more && (all || shown.length === sorted.length) && (
        <p className="px-4 pt-2 text-xs text-slate-500 dark:text-slate-400">Showing the first {sorted.length} devices; find the others with the fleet page’s search.</p>
      )}
    </div>
  );
}
