// Are devices reporting in as they promised? Delivery, who is silent, round-trip times.
import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import { Panel } from "@/components/ui/panel";
import type { HeartbeatHealth } from "@/lib/contract/dashboard";
import { ago, count, percent } from "@/lib/client/format";

export function HeartbeatHealthPanel({ health: h }: { health: HeartbeatHealth }) {
  return (
    <Panel title="Heartbeat health" description="Heartbeats received against what each device's declared interval implies.">
      {h.declaring === 0 ? (
        <EmptyState title="No device here declares a heartbeat interval.">
          Send heartbeats with <code>intervalS</code> so Linkscope can tell a quiet device from a dead one (and infer when connections died).
        </EmptyState>
      ) : (
        <div className="space-y-3 text-sm">
          <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
            <Fact label="On time" value={`${h.onTime} / ${h.declaring}`} tone={h.silent ? "warn" : "good"} />
            <Fact label="Silent now" value={String(h.silent)} tone={h.silent ? "bad" : "good"} />
            <Fact label="Delivered" value={percent(h.deliveryRatio, 1)} tone={h.deliveryRatio !== null && h.deliveryRatio < 0.95 ? "warn" : "good"} />
            <Fact label="RTT p50 / p95" value={h.rttP50Ms === null ? "—" : `${Math.round(h.rttP50Ms)} / ${Math.round(h.rttP95Ms ?? 0)} ms`} />
          </dl>
          <p className="text-slate-600 dark:text-slate-400">
            {count(h.received)} heartbeats received of {count(h.expected)} expected from {h.declaring} declaring devices
            {h.devices > h.declaring ? ` (${h.devices - h.declaring} declare no interval)` : ""}.
          </p>
          {h.worst.length > 0 && (
            <table className="w-full text-left">
              <caption className="mb-1 text-left text-xs font-medium uppercase tracking-wide text-slate-500">Most heartbeats missing</caption>
              <thead className="text-xs text-slate-500">
                <tr>
                  <th scope="col" className="font-medium">Device</th>
                  <th scope="col" className="text-right font-medium">Received</th>
                  <th scope="col" className="text-right font-medium">Last heard</th>
                </tr>
              </thead>
              <tbody>
                {h.worst.map((w) => (
                  <tr key={w.device}>
                    <th scope="row" className="font-normal">
                      <Link href={`/devices/${encodeURIComponent(w.device)}`} className="text-sky-700 hover:underline dark:text-sky-300">
                        {w.device}
                      </Link>
                    </th>
                    <td className="text-right tabular-nums">
                      {percent(w.ratio)} <span className="text-slate-500">({w.received}/{w.expected})</span>
                    </td>
                    <td className="text-right">{ago(w.lastSeen)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </Panel>
  );
}

function Fact({ label, value, tone = "plain" }: { label: string; value: string; tone?: "plain" | "good" | "warn" | "bad" }) {
  const colour = { plain: "", good: "text-emerald-700 dark:text-emerald-300", warn: "text-amber-700 dark:text-amber-300", bad: "text-rose-700 dark:text-rose-300" }[tone];
  return (
    <div>
      <dt className="text-xs text-slate-600 dark:text-slate-400">{label}</dt>
      <dd className={`text-lg font-semibold tabular-nums ${colour}`}>{value}</dd>
    </div>
  );
}
