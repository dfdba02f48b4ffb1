// Every site, most urgent first, with the one line that says why.
import Link from "next/link";
import type { FleetSite } from "@/lib/contract/dashboard";
import { HealthBadge } from "@/components/ui/badges";
import { Panel } from "@/components/ui/panel";
import { count } from "@/lib/client/format";

export function SiteRanking({ sites, range }: { sites: FleetSite[]; range: string }) {
  return (
    <Panel title="Sites by health" description={`Most urgent first: critical findings, then warnings, devices offline, drops per device (${range}).`}>
      <div className="-mx-4 overflow-x-auto">
        <table className="w-full min-w-[640px] text-sm">
          <thead className="text-left text-xs uppercase tracking-wide text-slate-500 dark:text-slate-400">
            <tr className="border-b border-slate-200 dark:border-slate-800">
              <th scope="col" className="px-4 py-2 font-medium">Site</th>
              <th scope="col" className="px-2 py-2 font-medium">Health</th>
              <th scope="col" className="px-2 py-2 text-right font-medium">Online</th>
              <th scope="col" className="px-2 py-2 text-right font-medium">Drops</th>
              <th scope="col" className="px-4 py-2 font-medium">Why</th>
            </tr>
          </thead>
          <tbody>
            {sites.map((s) => (
              <tr key={s.slug} className="border-b border-slate-100 last:border-0 hover:bg-slate-50 dark:border-slate-800/60 dark:hover:bg-slate-800/40">
                <th scope="row" className="px-4 py-2 text-left font-medium">
                  <Link href={`/sites/${s.slug}`} className="text-sky-700 hover:underline focus-visible:underline dark:text-sky-300">
                    {s.name}
                  </Link>
                </th>
                <td className="px-2 py-2">
                  <HealthBadge health={s.health} />
                </td>
                <td className="px-2 py-2 text-right tabular-nums">
                  <span className={s.online < s.devices ? "text-amber-700 dark:text-amber-300" : ""}>{count(s.online)}</span>
                  <span className="text-slate-500"> / {count(s.devices)}</span>
                </td>
                <td className="px-2 py-2 text-right tabular-nums">{count(s.drops)}</td>
                <td className="max-w-[22rem] px-4 py-2">
                  {s.topFinding ? (
                    <Link href={`/findings?open=${s.topFinding.id}`} className="line-clamp-2 hover:underline focus-visible:underline">
                      {s.topFinding.title}
                    </Link>
                  ) : (
                    <span className="text-slate-500">No open findings</span>
                  )}
                  {s.openFindings.critical + s.openFindings.warning + s.openFindings.info > 1 && (
                    <span className="text-xs text-slate-500"> +{s.openFindings.critical + s.openFindings.warning + s.openFindings.info - 1} more</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Panel>
  );
}
