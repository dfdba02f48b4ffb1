/**
 * tls_interception: a device was shown a chain for an endpoint that the endpoint does not
 * serve. Expected chains are the endpoint's pins when configured (fingerprints, key
 * fingerprints or issuer names); else a chain ending in a root of the public store; else the
 * fleet's consensus: on-premises platforms often use a private CA, so a private root that most
 * of the sites reaching the endpoint see (two at least) is the platform's own, and interception
 * is a site's difference from it. A private root with no consensus to judge it by is
 * interception when the device went through a proxy or the root names an inspection product;
 * otherwise the evidence cannot decide, and the finding says so (info) and points to
 * LINKSCOPE_TLS_PINS. An empty chain with an "unknown issuer" verification error counts too; a
 * public chain that merely failed verification (an outdated device trust store) does not.
 */
import { canonicalDn } from "./distinguishedName";
import { deviceList, plural, scopeLabel } from "./findingText";
import { interceptionVendor } from "./interceptionVendor";
import { publicRootStore, type RootStore } from "./publicRootStore";
import { ownScope, scopeId } from "./scopes";
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
  /** why it counts (the verdict's reason, refined by the fleet's consensus) */
  reason: TlsInterceptionEvidence["reason"];
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
  const judged: Array<{ e: TlsEvent; verdict: ChainVerdict; root: string }> = [];
  // Which roots each endpoint is seen with, and from how many places (scopes).
  const seenWith = new Map<string, Map<string, Set<string>>>();
  for (const e of events) {
    if (e.type !== "tls") continue;
    const verdict = chainVerdict(e, store, pins[e.endpoint]);
    // A root that names an inspection product is never the platform's own, however many sites see it.
    const root = !verdict.intercepted ? GENUINE : `${verdict.vendor ? VENDOR : ""}${canonicalDn(verdict.rootName)}`;
    judged.push({ e, verdict, root });
    let roots = seenWith.get(e.endpoint);
    if (!roots) seenWith.set(e.endpoint, (roots = new Map()));
    let places = roots.get(root);
    if (!places) roots.set(root, (places = new Set()));
    places.add(scopeId(e));
  }
  const consensus = new Map([...seenWith].map(([endpoint, roots]) => [endpoint, consensusRoot(roots)]));
  const groups = new Map<string, Interception>();
  for (const { e, verdict, root } of judged) {
    if (!verdict.intercepted) continue;
    let reason: Interception["reason"] = verdict.reason;
    if (verdict.reason === "private_root") {
      const agreed = consensus.get(e.endpoint) ?? null;
      if (agreed === root) continue; // the platform's own private CA: every place sees it
      reason = agreed !== null ? "other_sites_differ" : verdict.vendor ? "private_root" : e.proxy ? "through_proxy" : "undecided";
    }
    const { scope, key } = ownScope(e);
    const id = [scope, key, e.endpoint, root].join("\u0000");
    let g = groups.get(id);
    if (!g) {
      g = { scope, key, site: e.site, endpoint: e.endpoint, verdict, reason, devices: new Set(), accepted: new Set(), errors: new Map(), events: 0, firstSeen: e.at, lastSeen: e.at };
      groups.set(id, g);
    }
    if (REASON_STRENGTH[reason] > REASON_STRENGTH[g.reason]) g.reason = reason;
    g.devices.add(e.device);
    if (e.verified) g.accepted.add(e.device);
    if (e.error) g.errors.set(e.error, (g.errors.get(e.error) ?? 0) + 1);
    g.events++;
    g.firstSeen = Math.min(g.firstSeen, e.at);
    g.lastSeen = Math.max(g.lastSeen, e.at);
  }
  return [...groups.values()].map(interceptionFinding);
}

const GENUINE = "\u0000genuine";
const VENDOR = "\u0000vendor:";

/** When events of one group disagree, the clearest evidence names the group. */
const REASON_STRENGTH: Record<Interception["reason"], number> = {
  pin_mismatch: 5,
  other_sites_differ: 4,
  through_proxy: 3,
  private_root: 2,
  unknown_issuer_error: 1,
  undecided: 0,
};

/**
 * The chain an endpoint really serves, by the fleet's vote: the root (or GENUINE: public or
 * pinned) seen from the most places, when that is at least two places and at least half of
 * those that reached the endpoint; null when the fleet cannot tell.
 */
function consensusRoot(roots: Map<string, Set<string>>): string | null {
  const places = new Set<string>();
  for (const p of roots.values()) for (const s of p) places.add(s);
  let best: string | null = null;
  let bestCount = 0;
  let tie = false;
  for (const [root, p] of roots) {
    if (root.startsWith(VENDOR)) continue;
    if (p.size > bestCount) [best, bestCount, tie] = [root, p.size, false];
    else if (p.size === bestCount) tie = true;
  }
  return best !== null && !tie && bestCount >= 2 && bestCount * 2 >= places.size ? best : null;
}

function interceptionFinding(g: Interception): DraftOf<"tls_interception"> {
  const { verdict } = g;
  const where = scopeLabel(g.scope, g.key);
  const by = verdict.vendor ?? "a private CA";
  const host = g.endpoint.replace(/:\d+$/, "");
  const rejected = g.devices.size - g.accepted.size;
  const errors = [...g.errors.entries()].sort((a, b) => b[1] - a[1]);
  const evidence: TlsInterceptionEvidence = {
    issuer: verdict.rootName,
    vendor: verdict.vendor,
    endpoint: g.endpoint,
    affectedDevices: deviceList(g.devices),
    affectedDeviceCount: g.devices.size,
    acceptedDevices: deviceList(g.accepted),
    rejectedDeviceCount: rejected,
    leafIssuer: verdict.leafIssuer,
    reason: g.reason,
    errors: Object.fromEntries(errors),
    events: g.events,
  };
  const base = { kind: "tls_interception" as const, scope: g.scope, scopeKey: g.key, site: g.site, device: g.scope === "device" ? g.key : null, evidence, firstSeen: g.firstSeen, lastSeen: g.lastSeen };
  if (g.reason === "undecided") {
    const pinExample = JSON.stringify({ [g.endpoint]: { issuers: [verdict.rootName] } });
    return {
      ...base,
      severity: "info",
      title: `Private CA for ${g.endpoint} at ${where}: the platform's own, or interception?`,
      summary:
        `${plural(g.devices.size, "device")} at ${where} received a certificate for ${g.endpoint} issued by "${verdict.rootName}", whose root is not in the public root store; ` +
        `no other site reaches this endpoint to compare with, the devices used no proxy, and no chain is pinned for it, so Linkscope cannot tell a platform on a private CA from a transparent inspecting proxy` +
        `${g.accepted.size > 0 ? ` (${plural(g.accepted.size, "device")} trusted it)` : ""}.`,
      recommendation:
        `If "${verdict.rootName}" is your platform's own CA, pin it so Linkscope knows: LINKSCOPE_TLS_PINS='${pinExample}' (issuer names or SHA-256 fingerprints; see the README). ` +
        `If it is not, a transparent proxy at this site re-signs the traffic: ask IT to exempt ${host} from TLS inspection.`,
    };
  }
  const why = {
    pin_mismatch: "which does not match the certificate pinned for this endpoint",
    other_sites_differ: "while the other sites reaching this endpoint see another chain (the platform's own)",
    through_proxy: `whose root is not in the public root store, presented through the devices' proxy`,
    private_root: "whose root is not in the public root store",
    unknown_issuer_error: "that failed verification with an unknown-issuer error",
  }[g.reason];
  const outcome = [
    rejected > 0 ? `${plural(rejected, "device")} rejected it${errors.length ? ` (${errors[0][0]})` : ""} and cannot connect` : "",
    g.accepted.size > 0 ? `${plural(g.accepted.size, "device")} accepted it, so the proxy can read and alter their traffic` : "",
  ].filter(Boolean).join("; ");
  return {
    ...base,
    severity: g.accepted.size > 0 ? "critical" : "warning",
    title: `TLS interception by ${by} at ${where}`,
    summary:
      `${plural(g.devices.size, "device")} at ${where} received a certificate for ${g.endpoint} issued by "${verdict.rootName}", ${why}` +
      ` — ${verdict.vendor ? `${verdict.vendor} SSL inspection` : "an SSL-inspecting proxy with an admin-generated CA"}. ${outcome}.`,
    recommendation:
      `Ask IT to exempt ${host} from SSL/TLS inspection${verdict.vendor ? ` in ${verdict.vendor} (an SSL inspection bypass rule for the host)` : " on the inspecting proxy"}; ` +
      `devices must see the platform's own certificate.` +
      (g.accepted.size > 0 ? ` Remove the interceptor's CA from the accepting devices' trust stores: a device that trusts it is open to anyone holding that CA.` : ` Do not make devices trust the interceptor's CA.`),
  };
}
