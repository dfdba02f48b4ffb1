import { headers } from "next/headers";
import { FirstDeviceGuide } from "@/components/first-device-guide";
import { requireUser } from "@/lib/auth/current-user";
import { getDb } from "@/lib/db/client";
import { fleetSummary } from "@/lib/queries/fleet-summary";

export const dynamic = "force-dynamic";

export default async function FleetPage() {
  await requireUser("/");
  const summary = await fleetSummary(getDb());
  const h = await headers();
  const origin = `${h.get("x-forwarded-proto") ?? "http"}://${h.get("host") ?? "localhost:3000"}`;
  const stats = [
    { label: "Sites", value: summary.sites },
    { label: "Devices", value: summary.devices },
    { label: "Open sessions", value: summary.openSessions },
  ];
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Fleet</h1>
        <p className="text-sm text-slate-600 dark:text-slate-300">
          {summary.lastEventAt ? `Last event received ${summary.lastEventAt.toISOString().replace("T", " ").slice(0, 19)} UTC` : "Waiting for the first event"}
        </p>
      </div>
      <dl className="grid grid-cols-1 gap-4 sm:grid-cols-3">
        {stats.map((s) => (
          <div key={s.label} className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
            <dt className="text-sm text-slate-500 dark:text-slate-400">{s.label}</dt>
            <dd className="mt-1 text-3xl font-semibold tabular-nums">{s.value}</dd>
          </div>
        ))}
      </dl>
      {summary.devices === 0 && <FirstDeviceGuide origin={origin} />}
    </div>
  );
}
