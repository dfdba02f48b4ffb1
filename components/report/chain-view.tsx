// The certificate chain the devices were shown, leaf first, with the substituted part
// called out: what a network team needs to find the inspecting proxy and its policy.
import type { TlsObservation } from "@/lib/contract/dashboard";
import { utc } from "./format";

export function ChainView({ observation, device }: { observation: TlsObservation | null; device: string | null }) {
  if (!observation) return <p className="text-sm text-slate-500">The intercepted chain is no longer stored.</p>;
  const chain = observation.chain;
  return (
    <div className="space-y-2 text-sm">
      <p className="text-slate-600 dark:text-slate-300 print:text-slate-700">
        Seen by {device ?? "a device"} at {utc(observation.at)} connecting to <span className="font-mono">{observation.endpoint}</span>
        {observation.error ? (
          <>
            {" "}— rejected: <span className="font-mono">{observation.error}</span>
          </>
        ) : null}
      </p>
      <ol className="space-y-1.5">
        {chain.map((c, i) => {
          const root = i === chain.length - 1;
          return (
            <li
              key={`${i}-${c.sha256}`}
              className={`rounded-md border px-3 py-2 ${root && observation.intercepted ? "border-red-300 bg-red-50 dark:border-red-900 dark:bg-red-950/40 print:border-red-400 print:bg-white" : "border-slate-200 dark:border-slate-800 print:border-slate-300"}`}
            >
              <div className="text-xs uppercase tracking-wide text-slate-500 dark:text-slate-400">
                {i === 0 ? "Server certificate" : root ? "Root (trust anchor)" : "Intermediate"}
                {root && observation.intercepted && (
                  <span className="ml-2 font-semibold normal-case tracking-normal text-red-700 dark:text-red-400 print:text-red-700">
                    not the platform&apos;s certificate authority{observation.vendor ? ` — ${observation.vendor}` : ""}
                  </span>
                )}
              </div>
              <div className="break-all font-mono text-xs">{c.subject}</div>
              <div className="break-all font-mono text-xs text-slate-500 dark:text-slate-400">issued by {c.issuer}</div>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
