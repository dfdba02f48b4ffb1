// The four numbers that answer "is anything on fire?"
import Link from "next/link";
import type { FleetOverview } from "@/lib/contract/dashboard";
import { Stat } from "@/components/ui/stat";
import { count } from "@/lib/client/format";

export function FleetStats({ overview }: { overview: FleetOverview }) {
  const { devices, findings } = overview;
  const sitesOnFire = overview.sites.filter((s) => s.health === "critical").length;
  return (
    <dl className="grid grid-cols-2 gap-4 lg:grid-cols-4">
      <Stat
        label="Devices online"
        value={
          <>
            {count(devices.online)}
            <span className="text-lg font-normal text-slate-500"> / {count(devices.total)}</span>
          </>
        }
        detail={`${count(devices.offline)} offline`}
        tone={devices.offline === 0 ? "good" : devices.offline / Math.max(1, devices.total) > 0.2 ? "bad" : "warn"}
      />
      <Stat label="Sites with a critical finding" value={count(sitesOnFire)} detail={`of ${count(overview.sites.length)} sites`} tone={sitesOnFire ? "bad" : "good"} />
      <Stat
        label="Critical findings"
        value={<Link href="/findings?severity=critical" className="hover:underline focus-visible:underline">{count(findings.bySeverity.critical)}</Link>}
        detail={`${count(findings.bySeverity.warning)} warnings · ${count(findings.bySeverity.info)} info`}
        tone={findings.bySeverity.critical ? "bad" : "good"}
      />
      <Stat
        label="Open findings"
        value={<Link href="/findings" className="hover:underline focus-visible:underline">{count(findings.open)}</Link>}
        detail={`${count(findings.acknowledged)} acknowledged, being handled`}
        tone={findings.open ? "warn" : "good"}
      />
    </dl>
  );
}
