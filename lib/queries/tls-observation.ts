// A stored `tls` event as the pages show it: the chain with every certificate, and whether it
// is an interception. A chain to a public root is genuine on its face; one to a private root
// is what the detectors made of it (a pin, the fleet's consensus, a proxy): the pages read the
// site's tls_interception findings (withFindingVerdicts) rather than judge it again alone.
import { canonicalDn } from "@/lib/analysis/distinguishedName";
import { parseEvidence } from "@/lib/contract/evidence";
import { eventData } from "@/lib/contract/stored-event";
import type { TlsObservation, TlsVerdict } from "@/lib/contract/dashboard";
import type { Db } from "@/lib/db/client";
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
    verdict: verdict.intercepted ? "intercepted" : "public",
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

/**
 * Chains to a private root, judged as the site's open tls_interception findings judge them:
 * intercepted or undecided where a finding names the endpoint and root, else the platform's own
 * (pinned, or what the fleet's sites agree on). Vendor-named roots stay intercepted.
 */
export async function withFindingVerdicts<T extends { endpoint: string; chain: readonly { subject: string; issuer: string }[]; intercepted: boolean; verdict: TlsVerdict; vendor: string | null }>(
  db: Db,
  siteId: number | null,
  items: T[],
): Promise<T[]> {
  const open = items.filter((o) => o.intercepted && o.vendor === null && o.chain.length > 0);
  if (!open.length) return items;
  const findings = await db.prisma.finding.findMany({
    where: { kind: "tls_interception", status: { in: ["open", "acknowledged"] }, ...(siteId !== null ? { siteId } : {}) },
    select: { evidence: true },
  });
  const named = new Map<string, TlsVerdict>();
  for (const f of findings) {
    const e = parseEvidence("tls_interception", f.evidence);
    named.set(`${e.endpoint}\u0000${canonicalDn(e.issuer)}`, e.reason === "undecided" ? "undecided" : "intercepted");
  }
  return items.map((o) => {
    if (!open.includes(o)) return o;
    const verdict = named.get(`${o.endpoint}\u0000${canonicalDn(chainRoot(o.chain))}`) ?? "platform";
    return { ...o, verdict, intercepted: verdict === "intercepted" };
  });
}
