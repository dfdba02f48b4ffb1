/**
 * The public (Mozilla) root store Node ships as `tls.rootCertificates`, indexed once by
 * canonical subject name, certificate fingerprint and public-key fingerprint, so a reported
 * chain can be checked against it without parsing PEMs per event.
 */
import { X509Certificate, createHash } from "node:crypto";
import tls from "node:tls";
import { canonicalDn } from "./distinguishedName";

export interface RootStore {
  subjects: ReadonlySet<string>;
  sha256: ReadonlySet<string>;
  spkiSha256: ReadonlySet<string>;
}

let nodeStore: RootStore | null = null;

/** Built on first use (~40 ms for Node's ~140 roots) and kept for the process. */
export function publicRootStore(): RootStore {
  if (nodeStore) return nodeStore;
  const subjects = new Set<string>();
  const sha256 = new Set<string>();
  const spkiSha256 = new Set<string>();
  for (const pem of tls.rootCertificates) {
    const cert = new X509Certificate(pem);
    subjects.add(canonicalDn(cert.subject));
    sha256.add(cert.fingerprint256.replace(/:/g, "").toLowerCase());
    const spki = cert.publicKey.export({ type: "spki", format: "der" });
    spkiSha256.add(createHash("sha256").update(spki).digest("hex"));
  }
  nodeStore = { subjects, sha256, spkiSha256 };
  return nodeStore;
}
