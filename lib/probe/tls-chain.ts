import { createHash, X509Certificate } from "node:crypto";
import type { DetailedPeerCertificate, TLSSocket } from "node:tls";
import type { CertificateSummary } from "./events";

const MAX_CHAIN = 10;

/**
 * The chain the far end presented, leaf first, as PROTOCOL.md's `tls.chain`. Node links
 * the presented certificates through `issuerCertificate` (a self-signed root points at
 * itself); the walk stops at a repeat, a missing link or ten entries.
 */
export function presentedChain(socket: TLSSocket): CertificateSummary[] {
  const chain: CertificateSummary[] = [];
  const seen = new Set<string>();
  let current: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  while (current && current.raw && chain.length < MAX_CHAIN) {
    const summary = summarizeCertificate(current.raw);
    if (seen.has(summary.sha256)) break;
    seen.add(summary.sha256);
    chain.push(summary);
    current = current.issuerCertificate;
  }
  return chain;
}

export function summarizeCertificate(der: Buffer): CertificateSummary {
  const cert = new X509Certificate(der);
  const spki = cert.publicKey.export({ type: "spki", format: "der" });
  return {
    subject: distinguishedName(cert.subject),
    issuer: distinguishedName(cert.issuer),
    sha256: sha256Hex(der),
    spkiSha256: sha256Hex(spki),
    notBefore: isoDate(cert.validFrom),
    notAfter: isoDate(cert.validTo),
  };
}

/**
 * Node prints a DN one attribute per line (`C=DE\nO=Acme\, Inc.\nCN=x`), values already
 * escaped as RFC 4514 asks; the protocol wants one line, so the attributes are joined with ", ".
 */
export function distinguishedName(lines: string): string {
  return lines
    .split("\n")
    .filter((line) => line.length > 0)
    .join(", ");
}

function sha256Hex(data: Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

function isoDate(openSslDate: string): string | undefined {
  const time = Date.parse(openSslDate);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}
