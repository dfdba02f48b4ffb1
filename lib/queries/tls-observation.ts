// A stored `tls` event as the pages show it: the chain with every certificate, and whether
// it is an interception (the same verdict the detector uses: a root outside the public store).
import { eventData } from "@/lib/contract/stored-event";
import type { TlsObservation } from "@/lib/contract/dashboard";
import { chainVerdict } from "@/lib/analysis/tlsInterception";
import { publicRootStore } from "@/lib/analysis/publicRootStore";
import type { ChainCertificate, TlsEvent } from "@/lib/analysis/types";

export function tlsObservation(row: { at: Date; data: string }): TlsObservation {
  const d = eventData("tls", row.data);
  const chain: ChainCertificate[] = d.chain;
  const event: TlsEvent = {
    type: "tls",
    device: "",
    site: null,
    at: row.at.getTime(),
    endpoint: d.endpoint,
    verified: d.verified,
    error: d.error ?? null,
    chain,
  };
  const verdict = chainVerdict(event, publicRootStore(), undefined);
  return {
    at: row.at.toISOString(),
    endpoint: event.endpoint,
    verified: event.verified,
    error: d.error ?? null,
    protocol: d.protocol ?? null,
    cipher: d.cipher ?? null,
    intercepted: verdict.intercepted,
    vendor: verdict.intercepted ? verdict.vendor : null,
    chain: chain.map((c) => ({
      subject: c.subject,
      issuer: c.issuer,
      sha256: c.sha256,
      spkiSha256: c.spkiSha256 ?? null,
      notBefore: c.notBefore ?? null,
      notAfter: c.notAfter ?? null,
    })),
  };
}

/** The root's name: the top certificate's subject when self-signed, else its issuer. */
export function chainRoot(chain: readonly { subject: string; issuer: string }[]): string {
  const top = chain[chain.length - 1];
  if (!top) return "(no chain reported)";
  return top.subject === top.issuer ? top.subject : top.issuer;
}
