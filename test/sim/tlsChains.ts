/**
 * Certificate chains as devices report them (leaf first). Genuine chains end in a real root
 * of Node's Mozilla store (real subject and fingerprints); intercepted ones in the issuer
 * names inspection products really use, or in an admin-generated private CA. Leaf and
 * intermediate fingerprints are random: the detector must not depend on them.
 */
import { X509Certificate, createHash } from "node:crypto";
import tls from "node:tls";
import type { ChainCertificate } from "../../lib/analysis/types";
import type { Rng } from "./prng";

interface RealRoot {
  /** RFC 4514 order (most specific first), as most agents print DNs */
  subject: string;
  sha256: string;
  spkiSha256: string;
}

let realRoots: RealRoot[] | null = null;

export function publicRoots(): RealRoot[] {
  realRoots ??= tls.rootCertificates.map((pem) => {
    const cert = new X509Certificate(pem);
    const spki = cert.publicKey.export({ type: "spki", format: "der" });
    return {
      subject: cert.subject.split("\n").reverse().join(", "),
      sha256: cert.fingerprint256.replace(/:/g, "").toLowerCase(),
      spkiSha256: createHash("sha256").update(spki).digest("hex"),
    };
  });
  return realRoots;
}

/** A CA certificate keeps its fingerprints across events, as a real one does (derived from its names). */
function caCert(subject: string, issuer: string): ChainCertificate {
  const digest = (label: string) => createHash("sha256").update(`${label}|${subject}|${issuer}`).digest("hex");
  return { subject, issuer, sha256: digest("cert"), spkiSha256: digest("spki") };
}

function leafCert(rng: Rng, host: string, issuer: string): ChainCertificate {
  return { subject: `CN=${host}`, issuer, sha256: rng.hex(32), spkiSha256: rng.hex(32) };
}

/**
 * A self-hosted platform endpoint whose certificates come from the operator's own CA: not in
 * the public store, so only a configured pin keeps its genuine chain from looking intercepted.
 */
export const PINNED_ENDPOINT = "devices.acme-private.example:8883";
export const PINNED_ROOT = "CN=Acme Device Platform Root CA, O=Acme IoT GmbH, C=DE";
const PINNED_ISSUING = "CN=Acme Device Platform Issuing CA 1, O=Acme IoT GmbH, C=DE";

/**
 * An on-premises platform on its own private CA, nothing pinned: what tells its genuine chain
 * from interception is that every site reaching it sees the same one.
 */
export const PRIVATE_PLATFORM_ENDPOINT = "iot.globex-onprem.example:443";
const PRIVATE_PLATFORM_ROOT = "CN=Globex Internal Root CA 2024, O=Globex Corporation, C=US";
const PRIVATE_PLATFORM_ISSUING = "CN=Globex Internal Issuing CA, O=Globex Corporation, C=US";

/** The endpoint's genuine chain; sometimes the root itself is included. */
export function genuineChain(rng: Rng, host: string): ChainCertificate[] {
  if (host === PINNED_ENDPOINT.split(":")[0]) {
    return [leafCert(rng, host, PINNED_ISSUING), caCert(PINNED_ISSUING, PINNED_ROOT), caCert(PINNED_ROOT, PINNED_ROOT)];
  }
  if (host === PRIVATE_PLATFORM_ENDPOINT.split(":")[0]) {
    return [leafCert(rng, host, PRIVATE_PLATFORM_ISSUING), caCert(PRIVATE_PLATFORM_ISSUING, PRIVATE_PLATFORM_ROOT), caCert(PRIVATE_PLATFORM_ROOT, PRIVATE_PLATFORM_ROOT)];
  }
  const root = rng.pick(publicRoots());
  const intermediate = `CN=${rng.pick(["R11", "E6", "Sectigo RSA DV CA", "GeoTrust TLS RSA CA G1"])}, O=Example Public CA, C=US`;
  const chain = [leafCert(rng, host, intermediate), caCert(intermediate, root.subject)];
  if (rng.chance(0.3)) chain.push({ subject: root.subject, issuer: root.subject, sha256: root.sha256, spkiSha256: root.spkiSha256 });
  return chain;
}

export interface Interceptor {
  /** expected vendor name as the catalogue in DOMAIN.md names it, or null */
  vendor: string | null;
  intermediate: string | null;
  root: string;
}

/** Issuer names of inspection products (DOMAIN.md), in the text forms agents print. */
export const VENDOR_INTERCEPTORS: readonly Interceptor[] = [
  {
    vendor: "Zscaler",
    intermediate: "CN=Zscaler Intermediate Root CA (zscalertwo.net) (t), OU=Zscaler Inc., O=Zscaler Inc., L=San Jose, ST=California, C=US",
    root: "CN=Zscaler Root CA, OU=Zscaler Inc., O=Zscaler Inc., L=San Jose, ST=California, C=US",
  },
  { vendor: "Netskope", intermediate: "CN=ca.acme.goskope.com, OU=IT, O=Acme Corp, C=US", root: "CN=certadmin, OU=certadmin, O=Netskope Inc, L=Los Altos, ST=CA, C=US" },
  { vendor: "Fortinet FortiGate", intermediate: null, root: "C=US, ST=California, L=Sunnyvale, O=Fortinet, OU=Certificate Authority, CN=FortiGate CA, emailAddress=support@fortinet.com" },
  { vendor: "Fortinet FortiGate", intermediate: null, root: "/C=US/O=Fortinet Ltd./CN=Fortinet_CA_SSL" },
  { vendor: "Cisco Umbrella", intermediate: "CN=Cisco Umbrella Primary SubCA, O=Cisco", root: "CN=Cisco Umbrella Root CA, O=Cisco" },
  { vendor: "Blue Coat / Symantec ProxySG", intermediate: null, root: "CN=ProxySG-SSL-Interception, O=Blue Coat Systems\\, Inc., C=US" },
  { vendor: "Forcepoint", intermediate: null, root: "CN=Forcepoint Cloud CA, O=Forcepoint LLC, C=US" },
  { vendor: "McAfee Web Gateway", intermediate: null, root: "CN=McAfee Web Gateway, O=Acme Corp IT" },
  { vendor: "Sophos", intermediate: null, root: "CN=Sophos SSL CA_C4F3B2A1D0, O=Sophos, C=GB" },
  { vendor: "Kaspersky", intermediate: null, root: "CN=Kaspersky Anti-Virus Personal Root Certificate, O=AO Kaspersky Lab" },
  { vendor: "ESET", intermediate: null, root: "CN=ESET SSL Filter CA, O=ESET spol. s r. o., C=SK" },
  { vendor: "Avast / AVG", intermediate: null, root: "CN=avast! Web/Mail Shield Root, O=avast! Web/Mail Shield, OU=generated by avast! antivirus for SSL/TLS scanning" },
  { vendor: "Bitdefender", intermediate: null, root: "CN=Bitdefender Personal CA.Net-Defender, OU=IDS, O=Bitdefender, C=US" },
  { vendor: "mitmproxy", intermediate: null, root: "CN=mitmproxy, O=mitmproxy" },
  { vendor: "Charles", intermediate: null, root: "CN=Charles Proxy CA (26 Nov 2026\\, lab-pc), OU=https://charlesproxy.com/SSL, O=XK72 Ltd, L=Auckland, ST=Auckland, C=NZ" },
  { vendor: "Fiddler", intermediate: null, root: "CN=DO_NOT_TRUST_FiddlerRoot, O=DO_NOT_TRUST, OU=Created by http://www.fiddler2.com" },
  { vendor: "Burp Suite", intermediate: null, root: "CN=PortSwigger CA, OU=PortSwigger CA, O=PortSwigger, L=PortSwigger, ST=PortSwigger, C=PortSwigger" },
];

/** Admin-generated CAs (Palo Alto, Check Point, Squid ssl-bump): no product name to find. */
export const PRIVATE_INTERCEPTORS: readonly Interceptor[] = [
  { vendor: null, intermediate: null, root: "CN=Contoso Forward Trust CA, O=Contoso Ltd, C=US" },
  { vendor: null, intermediate: "CN=hq-fw01.globex.local SSL Inspection, O=Globex Corporation", root: "CN=Globex Corporate Root CA 2024, O=Globex Corporation, C=US" },
  { vendor: null, intermediate: null, root: "/C=DE/O=Initech IT/CN=squid-bump CA" },
  { vendor: null, intermediate: null, root: "CN=Acme Industrial Root CA, O=Acme Industrial AG, C=CH" },
];

/** The chain an interceptor presents for `host`; the root is included as most proxies do. */
export function interceptedChain(rng: Rng, host: string, by: Interceptor): ChainCertificate[] {
  const signer = by.intermediate ?? by.root;
  const chain = [leafCert(rng, host, signer)];
  if (by.intermediate) chain.push(caCert(by.intermediate, by.root));
  if (rng.chance(0.7)) chain.push(caCert(by.root, by.root));
  return chain;
}
