/**
 * tls_interception: a device was shown a chain for a public endpoint that the endpoint does
 * not serve. Expected chains are the endpoint's pins when configured (fingerprints, key
 * fingerprints or issuer names), else any chain ending in a root of the public store. An
 * empty chain with an "unknown issuer" verification error counts too; a public chain that
 * merely failed verification (an outdated device trust store) does not.
 */
import { canonicalDn } from "./distinguishedName";
import { deviceList, plural, scopeLabel } from "./findingText";
import { interceptionVendor } from "./interceptionVendor";
import { publicRootStore, type RootStore } from "./publicRootStore";
import { ownScope } from "./scopes";
import type { TlsInterceptionEvidence } from "@/lib/contract/evidence";
import type { ChainCertificate, DraftOf, EventRecord, TlsEvent, TlsPin } from "./types";

export interface TlsInterceptionOptions {
  /** expected chain identity per endpoint (`host:port`) */
  pins: Record<string, TlsPin>;
  /** defaults to Node's tls.rootCertificates */
  rootStore?: RootStore;
}

/** Verification errors that mean "signed by a CA I do not know" (DOMAIN.md). */
export const UNKNOWN_ISSUER_ERRORS: ReadonlySet<string> = new Set([
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_GET_ISSUER_CERT",
]);

export type ChainVerdict =
  | { intercepted: false }
  | {
      intercepted: true;
      reason: "private_root" | "pin_mismatch" | "unknown_issuer_error";
      /** the root's name: the top certificate's subject if self-signed, else its issuer */
      rootName: string;
      /** the leaf's issuer: the CA that signed the forged certificate */
      leafIssuer: string | null;
      vendor: string | null;
    };

export function chainVerdict(e: TlsEvent, store: RootStore, pin: TlsPin | undefined): ChainVerdict {
  const chain = e.chain;
  if (chain.length === 0) {
    if (e.verified || !e.error || !UNKNOWN_ISSUER_ERRORS.has(e.error)) return { intercepted: false };
    return { intercepted: true, reason: "unknown_issuer_error", rootName: "(chain not reported)", leafIssuer: null, vendor: null };
  }
  const top = chain[chain.length - 1];
  const rootName = canonicalDn(top.subject) === canonicalDn(top.issuer) ? top.subject : top.issuer;
  const genuine = pin ? matchesPin(e, pin) : endsInPublicRoot(e, rootName, store);
  if (genuine) return { intercepted: false };
  return {
    intercepted: true,
    reason: pin ? "pin_mismatch" : "private_root",
    rootName,
    leafIssuer: chain[0].issuer,
    vendor: chainVendor(chain, rootName),
  };
}

/** An interceptor shows the same chain names to every device: name its vendor once per chain shape. */
const vendorCache = new Map<string, string | null>();

function chainVendor(chain: readonly ChainCertificate[], rootName: string): string | null {
  const names = [rootName, ...chain.map((c) => c.issuer), ...chain.slice(1).map((c) => c.subject)];
  const key = names.join("\u0000");
  let vendor = vendorCache.get(key);
  if (vendor === undefined) {
    vendor = interceptionVendor(names);
    if (vendorCache.size >= 10_000) vendorCache.clear();
    vendorCache.set(key, vendor);
  }
  return vendor;
}

function endsInPublicRoot(e: TlsEvent, rootName: string, store: RootStore): boolean {
  if (store.subjects.has(canonicalDn(rootName))) return true;
  return e.chain.some((c) => store.sha256.has(c.sha256.toLowerCase()) || (c.spkiSha256 !== undefined && store.spkiSha256.has(c.spkiSha256.toLowerCase())));
}

function matchesPin(e: TlsEvent, pin: TlsPin): boolean {
  const sha = new Set((pin.sha256 ?? []).map((s) => s.toLowerCase()));
  const spki = new Set((pin.spkiSha256 ?? []).map((s) => s.toLowerCase()));
  const issuers = new Set((pin.issuers ?? []).map(canonicalDn));
  return e.chain.some(
    (c) =>
      sha.has(c.sha256.toLowerCase()) ||
      (c.spkiSha256 !== undefined && spki.has(c.spkiSha256.toLowerCase())) ||
      issuers.has(canonicalDn(c.issuer)) ||
      issuers.has(canonicalDn(c.subject)),
  );
}

interface Interception {
  scope: "site" | "publicIp" | "device";
  key: string;
  site: string | null;
  endpoint: string;
  verdict: Extract<ChainVerdict, { intercepted: true }>;
  devices: Set<string>;
  accepted: Set<string>;
  errors: Map<string, number>;
  events: number;
  firstSeen: number;
  lastSeen: number;
}

export function detectTlsInterception(
  events: readonly EventRecord[],
  options: Partial<TlsInterceptionOptions> = {},
): DraftOf<"tls_interception">[] {
  const store = options.rootStore ?? publicRootStore();
  const pins = options.pins ?? {};
  const groups = new Map<string, Interception>();
  for (const e of events) {
    if (e.type !== "tls") continue;
    const verdict = chainVerdict(e, store, pins[e.endpoint]);
    if (!verdict.intercepted) continue;
    const { scope, key } = ownScope(e);
    const id = [scope, key, e.endpoint, canonicalDn(verdict.rootName)].join("\u0000");
    let g = groups.get(id);
    if (!g) {
      g = { scope, key, site: e.site, endpoint: e.endpoint, verdict, devices: new Set(), accepted: new Set(), errors: new Map(), events: 0, firstSeen: e.at, lastSeen: e.at };
      groups.set(id, g);
    }
    g.devices.add(e.device);
    if (e.verified) g.accepted.add(e.device);
    if (e.error) g.errors.set(e.error, (g.errors.get(e.error) ?? 0) + 1);
    g.events++;
    g.firstSeen = Math.min(g.firstSeen, e.at);
    g.lastSeen = Math.max(g.lastSeen, e.at);
  }
  return [...groups.values()].map(interceptionFinding);
}

function interceptionFinding(g: Interception): DraftOf<"tls_interception"> {
  const { verdict } = g;
  const where = scopeLabel(g.scope, g.key);
  const by = verdict.vendor ?? "a private CA";
  const host = g.endpoint.replace(/:\d+$/, "");
  const rejected = g.devices.size - g.accepted.size;
  const errors = [...g.errors.entries()].sort((a, b) => b[1] - a[1]);
  const why =
    verdict.reason === "pin_mismatch"
      ? "which does not match the certificate pinned for this endpoint"
      : verdict.reason === "private_root"
        ? "whose root is not in the public root store"
        : "that failed verification with an unknown-issuer error";
  const outcome = [
    rejected > 0 ? `${plural(rejected, "device")} rejected it${errors.length ? ` (${errors[0][0]})` : ""} and cannot connect` : "",
    g.accepted.size > 0 ? `${plural(g.accepted.size, "device")} accepted it, so the proxy can read and alter their traffic` : "",
  ].filter(Boolean).join("; ");
  const summary =
    `${plural(g.devices.size, "device")} at ${where} received a certificate for ${g.endpoint} issued by "${verdict.rootName}", ${why}` +
    ` — ${verdict.vendor ? `${verdict.vendor} SSL inspection` : "an SSL-inspecting proxy with an admin-generated CA"}. ${outcome}.`;
  const recommendation =
    `Ask IT to exempt ${host} from SSL/TLS inspection${verdict.vendor ? ` in ${verdict.vendor} (an SSL inspection bypass rule for the host)` : " on the inspecting proxy"}; ` +
    `devices must see the platform's own certificate.` +
    (g.accepted.size > 0 ? ` Remove the interceptor's CA from the accepting devices' trust stores: a device that trusts it is open to anyone holding that CA.` : ` Do not make devices trust the interceptor's CA.`);
  const evidence: TlsInterceptionEvidence = {
    issuer: verdict.rootName,
    vendor: verdict.vendor,
    endpoint: g.endpoint,
    affectedDevices: deviceList(g.devices),
    affectedDeviceCount: g.devices.size,
    acceptedDevices: deviceList(g.accepted),
    rejectedDeviceCount: rejected,
    leafIssuer: verdict.leafIssuer,
    reason: verdict.reason,
    errors: Object.fromEntries(errors),
    events: g.events,
  };
  return {
    kind: "tls_interception",
    scope: g.scope,
    scopeKey: g.key,
    site: g.site,
    device: g.scope === "device" ? g.key : null,
    severity: g.accepted.size > 0 ? "critical" : "warning",
    title: `TLS interception by ${by} at ${where}`,
    summary,
    recommendation,
    evidence,
    firstSeen: g.firstSeen,
    lastSeen: g.lastSeen,
  };
}
