import { X509Certificate } from "node:crypto";
import tls from "node:tls";
import { describe, expect, it } from "vitest";
import { canonicalDn } from "../../../lib/analysis/distinguishedName";
import { interceptionVendor } from "../../../lib/analysis/interceptionVendor";
import { detectTlsInterception } from "../../../lib/analysis/tlsInterception";
import type { ChainCertificate } from "../../../lib/analysis/types";
import { NOW, tlsEvent } from "./builders";

const HOST = "acme.cumulocity.example";
const isrg = new X509Certificate(tls.rootCertificates.find((p) => new X509Certificate(p).subject.includes("ISRG Root X1")) as string);
const isrgRfc4514 = isrg.subject.split("\n").reverse().join(", ");

function cert(subject: string, issuer: string, sha256 = "ab".repeat(32)): ChainCertificate {
  return { subject, issuer, sha256 };
}

const genuine = [cert(`CN=${HOST}`, "CN=R11, O=Let's Encrypt, C=US"), cert("CN=R11, O=Let's Encrypt, C=US", isrgRfc4514)];
const zscaler = [
  cert(`CN=${HOST}`, "CN=Zscaler Intermediate Root CA (zscalertwo.net) (t), OU=Zscaler Inc., O=Zscaler Inc., C=US"),
  cert("CN=Zscaler Intermediate Root CA (zscalertwo.net) (t), OU=Zscaler Inc., O=Zscaler Inc., C=US", "CN=Zscaler Root CA, OU=Zscaler Inc., O=Zscaler Inc., C=US"),
  cert("CN=Zscaler Root CA, OU=Zscaler Inc., O=Zscaler Inc., C=US", "CN=Zscaler Root CA, OU=Zscaler Inc., O=Zscaler Inc., C=US"),
];
const privateCa = [cert(`CN=${HOST}`, "CN=Contoso Forward Trust CA, O=Contoso Ltd, C=US"), cert("CN=Contoso Forward Trust CA, O=Contoso Ltd, C=US", "CN=Contoso Forward Trust CA, O=Contoso Ltd, C=US")];

describe("tls_interception", () => {
  it("accepts a chain ending in a root of Node's store", () => {
    expect(detectTlsInterception([tlsEvent({ chain: genuine, verified: true })])).toEqual([]);
  });

  it("accepts a chain that includes the real root certificate by fingerprint", () => {
    const root = cert("CN=Renamed Root", "CN=Renamed Root", isrg.fingerprint256.replace(/:/g, "").toLowerCase());
    expect(detectTlsInterception([tlsEvent({ chain: [genuine[0], root], verified: true })])).toEqual([]);
  });

  it("does not blame the network for a device with an outdated trust store", () => {
    expect(detectTlsInterception([tlsEvent({ chain: genuine, verified: false, error: "UNABLE_TO_GET_ISSUER_CERT_LOCALLY" })])).toEqual([]);
  });

  it("names Zscaler, counts rejecting devices, warning", () => {
    const events = ["hamburg-d0", "hamburg-d1", "hamburg-d2"].map((device) => tlsEvent({ device, chain: zscaler, error: "SELF_SIGNED_CERT_IN_CHAIN" }));
    const [f] = detectTlsInterception(events);
    expect(f.evidence.vendor).toBe("Zscaler");
    expect(f.evidence.issuer).toBe("CN=Zscaler Root CA, OU=Zscaler Inc., O=Zscaler Inc., C=US");
    expect(f.evidence.endpoint).toBe(`${HOST}:443`);
    expect(f.evidence.affectedDeviceCount).toBe(3);
    expect(f.severity).toBe("warning");
    expect(f.summary).toContain("3 devices rejected it (SELF_SIGNED_CERT_IN_CHAIN) and cannot connect");
    expect(f.recommendation).toContain(`exempt ${HOST} from SSL/TLS inspection in Zscaler`);
  });

  it("is critical when a device accepted the interceptor's chain (the other sites see the platform's own)", () => {
    const events = [
      tlsEvent({ device: "hamburg-d0", chain: privateCa, verified: true }),
      tlsEvent({ device: "hamburg-d1", chain: privateCa, error: "SELF_SIGNED_CERT_IN_CHAIN" }),
      tlsEvent({ site: "berlin", device: "berlin-d0", chain: genuine, verified: true }),
      tlsEvent({ site: "munich", device: "munich-d0", chain: genuine, verified: true }),
    ];
    const [f, more] = detectTlsInterception(events);
    expect(more).toBeUndefined();
    expect(f.severity).toBe("critical");
    expect(f.evidence.vendor).toBeNull();
    expect(f.evidence.reason).toBe("other_sites_differ");
    expect(f.evidence.acceptedDevices).toEqual(["hamburg-d0"]);
    expect(f.title).toBe("TLS interception by a private CA at site hamburg");
  });

  it("a private root every site sees is the platform's own; a site that differs is intercepted", () => {
    const endpoint = "iot.onprem.example:443";
    const root = "CN=Onprem Platform Root, O=Onprem";
    const platform = [cert("CN=iot.onprem.example", root), cert(root, root, "cd".repeat(32))];
    const sites = ["hamburg", "berlin", "munich"].map((site) => tlsEvent({ site, device: `${site}-d0`, endpoint, chain: platform, verified: true }));
    expect(detectTlsInterception(sites)).toEqual([]);
    const [f] = detectTlsInterception([...sites, tlsEvent({ site: "lisbon", device: "lisbon-d0", endpoint, chain: privateCa, verified: false, error: "SELF_SIGNED_CERT_IN_CHAIN" })]);
    expect([f.scopeKey, f.evidence.reason, f.severity]).toEqual(["lisbon", "other_sites_differ", "warning"]);
    // Two sites against two: the fleet cannot vote, each side is judged on its own.
    const even = detectTlsInterception([...sites.slice(0, 2), ...["lisbon", "porto"].map((site) => tlsEvent({ site, device: `${site}-d0`, endpoint, chain: privateCa, verified: true }))]);
    expect(new Set(even.map((x) => x.evidence.reason))).toEqual(new Set(["undecided"]));
  });

  it("a private root seen at one site only: interception through a proxy, else undecided (info) with a pointer to LINKSCOPE_TLS_PINS", () => {
    const [direct] = detectTlsInterception([tlsEvent({ chain: privateCa, verified: true })]);
    expect([direct.severity, direct.evidence.reason]).toEqual(["info", "undecided"]);
    expect(direct.title).toBe(`Private CA for ${HOST}:443 at site hamburg: the platform's own, or interception?`);
    expect(direct.recommendation).toContain("LINKSCOPE_TLS_PINS");
    expect(direct.recommendation).toContain(`"${HOST}:443"`);
    const [proxied] = detectTlsInterception([tlsEvent({ chain: privateCa, verified: false, error: "SELF_SIGNED_CERT_IN_CHAIN", proxy: "proxy.corp.example:3128" })]);
    expect([proxied.severity, proxied.evidence.reason]).toEqual(["warning", "through_proxy"]);
    expect(proxied.title).toBe("TLS interception by a private CA at site hamburg");
  });

  it("a root naming an inspection product is interception even when every site sees it", () => {
    const events = ["hamburg", "berlin", "munich"].map((site) => tlsEvent({ site, device: `${site}-d0`, chain: zscaler }));
    expect(detectTlsInterception(events).map((f) => f.evidence.vendor)).toEqual(["Zscaler", "Zscaler", "Zscaler"]);
  });

  it("counts an unknown-issuer error without a chain, but not other errors", () => {
    expect(detectTlsInterception([tlsEvent({ chain: [], error: "SELF_SIGNED_CERT_IN_CHAIN" })])).toHaveLength(1);
    expect(detectTlsInterception([tlsEvent({ chain: [], error: "CERT_HAS_EXPIRED" })])).toEqual([]);
  });

  it("trusts a pinned private platform CA and flags anything else on that endpoint", () => {
    const endpoint = "devices.acme-private.example:8883";
    const root = "CN=Acme Device Platform Root CA, O=Acme IoT GmbH, C=DE";
    const platform = [cert("CN=devices.acme-private.example", root), cert(root, root)];
    const pins = { [endpoint]: { issuers: ["/C=DE/O=Acme IoT GmbH/CN=Acme Device Platform Root CA"] } };
    expect(detectTlsInterception([tlsEvent({ endpoint, chain: platform, verified: true })], { pins })).toEqual([]);
    expect(detectTlsInterception([tlsEvent({ endpoint, chain: platform, verified: true })])).toHaveLength(1);
    const [f] = detectTlsInterception([tlsEvent({ endpoint, chain: genuine, verified: true })], { pins });
    expect(f.evidence.reason).toBe("pin_mismatch");
    expect(f.severity).toBe("critical");
  });

  it("groups by site, endpoint and interceptor", () => {
    const events = [
      tlsEvent({ chain: zscaler, at: NOW - 5000 }),
      tlsEvent({ chain: zscaler, at: NOW - 1000 }),
      tlsEvent({ site: "berlin", device: "berlin-d0", chain: zscaler }),
      tlsEvent({ chain: privateCa }),
    ];
    const findings = detectTlsInterception(events);
    expect(findings.map((f) => `${f.scopeKey}:${f.evidence.vendor}:${f.evidence.reason}`).sort()).toEqual([
      "berlin:Zscaler:private_root",
      "hamburg:Zscaler:private_root",
      "hamburg:null:undecided",
    ]);
    const hamburg = findings.find((f) => f.scopeKey === "hamburg" && f.evidence.vendor === "Zscaler");
    expect([hamburg?.firstSeen, hamburg?.lastSeen]).toEqual([NOW - 5000, NOW - 1000]);
  });
});

describe("distinguished names and vendors", () => {
  it("compares Node, RFC 4514 and OpenSSL forms alike", () => {
    const forms = ["C=US\nO=Blue Coat Systems\\, Inc.\nCN=ProxySG", "CN=ProxySG, O=Blue Coat Systems\\, Inc., C=US", "/C=US/O=Blue Coat Systems, Inc./CN=ProxySG"];
    expect(new Set(forms.map(canonicalDn)).size).toBe(1);
  });

  it.each([
    ["CN=Zscaler Root CA, O=Zscaler Inc.", "Zscaler"],
    ["CN=ca.acme.goskope.com, O=Acme", "Netskope"],
    ["CN=certadmin, O=netskope inc", "Netskope"],
    ["/C=US/O=Fortinet Ltd./CN=Fortinet_CA_SSL", "Fortinet FortiGate"],
    ["CN=FORTIGATE CA", "Fortinet FortiGate"],
    ["CN=Cisco Umbrella Primary SubCA, O=Cisco", "Cisco Umbrella"],
    ["O=Blue Coat Systems\\, Inc., CN=x", "Blue Coat / Symantec ProxySG"],
    ["CN=Sophos SSL CA_C123", "Sophos"],
    ["CN=mitmproxy, O=mitmproxy", "mitmproxy"],
    ["CN=Charles Proxy CA (1 Jan 2026), O=XK72 Ltd", "Charles"],
    ["CN=DO_NOT_TRUST_FiddlerRoot, O=DO_NOT_TRUST", "Fiddler"],
    ["CN=PortSwigger CA, O=PortSwigger", "Burp Suite"],
    ["CN=ESET SSL Filter CA", "ESET"],
    ["CN=Contoso Forward Trust CA, O=Contoso Ltd", null],
    ["CN=squid-bump CA, O=Initech IT", null],
  ])("%s → %s", (dn, vendor) => {
    expect(interceptionVendor([dn])).toBe(vendor);
  });
});
