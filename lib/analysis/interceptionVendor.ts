/**
 * Names the inspection product behind an interceptor's CA from its issuer names
 * (DOMAIN.md catalogue, matched case-insensitively on CN/O/OU). Admin-generated CAs
 * (Palo Alto, Check Point, Barracuda, Squid ssl-bump) have no fixed name: vendor null.
 */
import { dnValues } from "./distinguishedName";

interface VendorPattern {
  vendor: string;
  pattern: RegExp;
}

export const INTERCEPTION_VENDORS: readonly VendorPattern[] = [
  { vendor: "Zscaler", pattern: /\bzscaler\b/ },
  { vendor: "Netskope", pattern: /\.goskope\.com$|\bnetskope\b|^certadmin$/ },
  { vendor: "Fortinet FortiGate", pattern: /\bfortigate\b|\bfortinet\b/ },
  { vendor: "Cisco Umbrella", pattern: /\bcisco umbrella\b/ },
  { vendor: "Blue Coat / Symantec ProxySG", pattern: /\bblue ?coat\b/ },
  { vendor: "Forcepoint", pattern: /\bforcepoint\b/ },
  { vendor: "McAfee Web Gateway", pattern: /\bmcafee web gateway\b/ },
  { vendor: "Sophos", pattern: /^sophos|\bsophosutm\b/ },
  { vendor: "Kaspersky", pattern: /\bkaspersky\b/ },
  { vendor: "ESET", pattern: /\beset ssl filter\b/ },
  { vendor: "Avast / AVG", pattern: /\bavast! web\/mail shield\b|\bavg web\/mail shield\b/ },
  { vendor: "Bitdefender", pattern: /\bbitdefender\b/ },
  { vendor: "mitmproxy", pattern: /^mitmproxy$/ },
  { vendor: "Charles", pattern: /\bcharles proxy\b|^xk72\b/ },
  { vendor: "Fiddler", pattern: /fiddlerroot/ },
  { vendor: "Burp Suite", pattern: /\bportswigger\b/ },
];

/** The first catalogue product any of the names matches, else null. */
export function interceptionVendor(issuerNames: readonly string[]): string | null {
  for (const name of issuerNames) {
    const values = dnValues(name, ["cn", "o", "ou"]);
    for (const { vendor, pattern } of INTERCEPTION_VENDORS) {
      if (values.some((v) => pattern.test(v))) return vendor;
    }
  }
  return null;
}
