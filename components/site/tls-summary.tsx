// Which certificate chains the site's devices were shown, and whether that is the platform
// or something in between. Interceptions first; genuine chains folded after the first two.
import { verdictLabel, verdictTone } from "@/components/tls/tls-verdict";
import { EmptyState } from "@/components/ui/empty-state";
import { Panel } from "@/components/ui/panel";
import type { TlsChainSummary } from "@/lib/contract/dashboard";
import { ago, count } from "@/lib/client/format";

const SHOWN_GENUINE = 2;

export function TlsSummary({ chains }: { chains: TlsChainSummary[] }) {
  const intercepted = chains.filter((c) => c.intercepted);
  const genuine = chains.filter((c) => !c.intercepted);
  return (
    <Panel title="TLS chains seen" description="By endpoint, issuer and root. A root outside the public store means something re-signs the traffic.">
      {chains.length === 0 ? (
        <EmptyState title="No TLS handshake reported in this range.">Devices (or the probe) send a tls event with the chain they were shown.</EmptyState>
      ) : (
        <div className="space-y-2">
          <Chains chains={[...intercepted, ...genuine.slice(0, SHOWN_GENUINE)]} />
          {genuine.length > SHOWN_GENUINE && (
            <details className="text-sm">
              <summary className="cursor-pointer text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100">
                {genuine.length - SHOWN_GENUINE} more chains with a public root
              </summary>
              <div className="mt-2">
                <Chains chains={genuine.slice(SHOWN_GENUINE)} />
              </div>
            </details>
          )}
        </div>
      )}
    </Panel>
  );
}

const BADGE = {
  bad: "bg-rose-100 text-rose-800 dark:bg-rose-950 dark:text-rose-200",
  unsure: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
  good: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200",
};

function Chains({ chains }: { chains: TlsChainSummary[] }) {
  return (
    <ul className="space-y-2 text-sm">
      {chains.map((c) => (
        <li key={`${c.endpoint}|${c.issuer}|${c.root}`} className={`rounded-md border p-2 ${c.intercepted ? "border-rose-300 dark:border-rose-900" : "border-slate-200 dark:border-slate-800"}`}>
          <p className="flex flex-wrap items-center gap-2">
            <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${BADGE[verdictTone(c.verdict)]}`}>{verdictLabel(c.verdict, c.vendor)}</span>
            <span className="font-medium">{c.endpoint}</span>
          </p>
          <dl className="mt-1 grid grid-cols-[max-content_1fr] gap-x-3 text-xs">
            <dt className="text-slate-600 dark:text-slate-400">Issuer</dt>
            <dd className="break-all">{c.issuer}</dd>
            <dt className="text-slate-600 dark:text-slate-400">Root</dt>
            <dd className="break-all">{c.root}</dd>
            <dt className="text-slate-600 dark:text-slate-400">Seen</dt>
            <dd>
              {count(c.devices)} device{c.devices === 1 ? "" : "s"} · accepted {count(c.verified)}×, refused {count(c.rejected)}×{c.errors.length ? ` (${c.errors.join(", ")})` : ""} · last {ago(c.lastSeen)}
            </dd>
          </dl>
        </li>
      ))}
    </ul>
  );
}
