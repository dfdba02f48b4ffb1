// A TLS chain as a device saw it, leaf first: every certificate's subject, issuer,
// fingerprint and validity, with the verdict on top (accepted? intercepted? by whom?).
import type { CertificateItem, TlsObservation } from "@/lib/contract/dashboard";
import { longTime, shortTime } from "@/lib/client/format";
import { verdictLabel, verdictTone } from "./tls-verdict";

const role = (i: number, n: number, c: CertificateItem) => (i === 0 ? "Leaf" : c.subject === c.issuer ? "Root" : i === n - 1 ? "Top of chain" : "Intermediate");

export function CertificateChain({ observation: o, device }: { observation: TlsObservation; device?: string | null }) {
  const tone = {
    bad: "border-rose-300 bg-rose-50 text-rose-950 dark:border-rose-900 dark:bg-rose-950/40 dark:text-rose-100",
    unsure: "border-amber-300 bg-amber-50 text-amber-950 dark:border-amber-900 dark:bg-amber-950/40 dark:text-amber-100",
    good: "border-emerald-300 bg-emerald-50 text-emerald-950 dark:border-emerald-900 dark:bg-emerald-950/40 dark:text-emerald-100",
  }[verdictTone(o.verdict)];
  return (
    <div className="space-y-3 text-sm">
      <p className={`rounded-md border p-2 ${tone}`}>
        <span className="font-medium">{verdictLabel(o.verdict, o.vendor, true)}</span>
        {" · "}
        {o.verified ? "the device accepted it" : `the device refused it${o.error ? ` (${o.error})` : ""}`}
        {" · "}
        {o.endpoint} · {shortTime(o.at)} UTC{device ? ` · ${device}` : ""}
        {o.protocol || o.cipher ? ` · ${[o.protocol, o.cipher].filter(Boolean).join(" ")}` : ""}
      </p>
      {o.chain.length === 0 ? (
        <p className="text-slate-600 dark:text-slate-400">The device did not report the chain.</p>
      ) : (
        <ol className="space-y-2">
          {o.chain.map((c, i) => {
            // Judged at the handshake: a certificate already expired when the device saw it.
            const expired = c.notAfter !== null && Date.parse(c.notAfter) < Date.parse(o.at);
            return (
              <li key={`${c.sha256}-${i}`} className="rounded-md border border-slate-200 p-2 dark:border-slate-800">
                <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{role(i, o.chain.length, c)}</p>
                <dl className="mt-1 grid grid-cols-[max-content_1fr] gap-x-3 gap-y-0.5">
                  <dt className="text-slate-600 dark:text-slate-400">Subject</dt>
                  <dd className="break-all">{c.subject}</dd>
                  <dt className="text-slate-600 dark:text-slate-400">Issuer</dt>
                  <dd className="break-all">{c.issuer}</dd>
                  <dt className="text-slate-600 dark:text-slate-400">SHA-256</dt>
                  <dd className="break-all font-mono text-xs">{c.sha256}</dd>
                  {c.spkiSha256 && (
                    <>
                      <dt className="text-slate-600 dark:text-slate-400">Key SHA-256</dt>
                      <dd className="break-all font-mono text-xs">{c.spkiSha256}</dd>
                    </>
                  )}
                  <dt className="text-slate-600 dark:text-slate-400">Valid</dt>
                  <dd className={expired ? "text-rose-700 dark:text-rose-300" : ""}>
                    {c.notBefore || c.notAfter ? `${c.notBefore ? longTime(c.notBefore) : "?"} – ${c.notAfter ? longTime(c.notAfter) : "?"}` : "not reported"}
                    {expired && " (expired when seen)"}
                  </dd>
                </dl>
              </li>
            );
          })}
        </ol>
      )}
    </div>
  );
}
