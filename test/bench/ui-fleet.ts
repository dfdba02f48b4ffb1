// The fleet behind `npm run bench:ui` and `bench:scale`: 10,000 devices (times the scale) on
// 250 sites of skewed sizes, a week (or the days asked for) of history ending "now", each
// device's events generated lazily and in time order (a generator per device, so 20 million
// events never sit in memory at once). Deterministic:
// the same seed, scale and "now" give the same events, so the seeder can run a device's
// generator twice (once to derive its sessions, once to store its events in time order).
import { createHash } from "node:crypto";
import type { EventType } from "@/lib/contract/vocabulary";
import { lifecycleFromFields } from "@/lib/sessions/lifecycle-events";
import type { LifecycleEvent } from "@/lib/sessions/materialize";
import { rng, type Rng } from "../helpers/random";
import { publicRoots, VENDOR_INTERCEPTORS, PRIVATE_INTERCEPTORS } from "../sim/tlsChains";

export const FLEET = { devices: 10_000, sites: 250, bigSite: 500, mediumSites: 10, days: 7, seed: 20261126 };
const HOUR_MS = 3_600_000;
const ENDPOINT = "acme.cumulocity.example:443";
const HOST = ENDPOINT.split(":")[0];
/** mean session length (s): ~100 sessions per device and week, reconnects included */
const MEAN_SESSION_S = 5_900;

/** How a site's network treats long-poll connections. */
export type Network =
  | { kind: "healthy" }
  | { kind: "idle"; timeoutS: number; mode: "reset" | "silent" }
  | { kind: "intercepted"; vendor: string }
  /** outbound 443 to the platform refused (RST) or dropped from `since` on, still going on */
  | { kind: "blocked"; since: number; mode: "refused" | "dropped" };

export interface SitePlan {
  index: number;
  slug: string;
  name: string;
  devices: number;
  publicIp: string;
  intervalS: number;
  /** the server's long-poll hold (s): an empty poll returns after it, so survived idle gaps stop there */
  holdS: number;
  /** the devices' read timeout (s): a silently dead connection is noticed after this long */
  readTimeoutS: number;
  network: Network;
  /** share of connects that report the TLS chain */
  tlsShare: number;
  /** the chain devices of this site are shown (JSON-ready), constant per site like a real certificate */
  chain: Certificate[];
  /** device 0 runs the idle-timeout probe once a day */
  probe: boolean;
  rttMs: number;
}

export interface DevicePlan {
  index: number;
  externalId: string;
  site: SitePlan;
  seed: number;
  /** the site's first device (the one that runs the site's probe, if any) */
  firstOfSite: boolean;
  /** the device goes dark here (heartbeats stop mid-session), or null */
  darkAt: number | null;
}

export interface FleetPlan {
  seed: number;
  scale: number;
  now: number;
  from: number;
  sites: SitePlan[];
  devices: DevicePlan[];
}

interface Certificate {
  subject: string;
  issuer: string;
  sha256: string;
  spkiSha256: string;
  notBefore: string;
  notAfter: string;
}

/** One event as a device would have sent it; `fields` is everything stored in Event.data. */
export interface SeedEvent {
  type: EventType;
  eventId: string;
  at: number;
  receivedAt: number;
  session: string | null;
  fields: Record<string, unknown>;
}

/**
 * Site sizes: one big site, ten of 100–200 devices, the rest 10–40 (most near 40), adjusted
 * so they add up to exactly FLEET.devices; `scale` multiplies every size (at least 1).
 */
function siteSizes(r: Rng): number[] {
  const sizes = [FLEET.bigSite, ...Array.from({ length: FLEET.mediumSites }, () => r.int(100, 200))];
  const small = FLEET.sites - sizes.length;
  const smallSizes = Array.from({ length: small }, () => 10 + Math.floor(30 * r.next() ** 0.4));
  let missing = FLEET.devices - sizes.reduce((a, b) => a + b, 0) - smallSizes.reduce((a, b) => a + b, 0);
  while (missing !== 0) {
    const i = r.int(0, small - 1);
    const next = smallSizes[i] + Math.sign(missing);
    if (next < 10 || next > 40) continue;
    smallSizes[i] = next;
    missing -= Math.sign(missing);
  }
  return [...sizes, ...smallSizes];
}

const hex = (text: string) => createHash("sha256").update(text).digest("hex");

function cert(subject: string, issuer: string, year = 2026): Certificate {
  return { subject, issuer, sha256: hex(`cert|${subject}|${issuer}`), spkiSha256: hex(`spki|${subject}`), notBefore: `${year}-01-01T00:00:00Z`, notAfter: `${year + 1}-06-01T00:00:00Z` };
}

function genuineChain(r: Rng): Certificate[] {
  const root = r.pick(publicRoots());
  const intermediate = "CN=R11, O=Let's Encrypt, C=US";
  return [cert(`CN=${HOST}`, intermediate), cert(intermediate, root.subject), { ...cert(root.subject, root.subject, 2015), sha256: root.sha256, spkiSha256: root.spkiSha256 }];
}

function interceptedChain(vendor: "zscaler" | "fortinet" | "private"): { vendor: string; chain: Certificate[] } {
  const by =
    vendor === "zscaler"
      ? VENDOR_INTERCEPTORS.find((v) => v.vendor === "Zscaler")!
      : vendor === "fortinet"
        ? VENDOR_INTERCEPTORS.find((v) => v.vendor === "Fortinet FortiGate")!
        : PRIVATE_INTERCEPTORS[1];
  const signer = by.intermediate ?? by.root;
  const chain = [cert(`CN=${HOST}`, signer)];
  if (by.intermediate) chain.push(cert(by.intermediate, by.root));
  chain.push(cert(by.root, by.root));
  return { vendor: by.vendor ?? "private CA", chain };
}

export function planFleet(options: { scale: number; seed?: number; now: number; days?: number }): FleetPlan {
  const seed = options.seed ?? FLEET.seed;
  const r = rng(seed);
  const now = options.now;
  const days = options.days ?? FLEET.days;
  const from = now - days * 24 * HOUR_MS;
  const sizes = siteSizes(r);
  // Which sites get which network: the big site sits behind a 15-minute firewall that resets
  // idle connections; of the rest about 20 % idle-timeout middleboxes, 3 % blocked, 2 % intercepted.
  const order = r.shuffle(Array.from({ length: FLEET.sites - 1 }, (_, i) => i + 1));
  const blocked = new Set(order.slice(0, 7));
  const intercepted = new Map(order.slice(7, 12).map((s, i) => [s, (["zscaler", "zscaler", "fortinet", "private", "zscaler"] as const)[i]]));
  const idle = new Set(order.slice(12, 12 + 49));
  let probes = 0;
  const sites: SitePlan[] = sizes.map((size, index) => {
    const intervalS = r.pick([300, 330, 360]);
    let network: Network = { kind: "healthy" };
    let holdS = r.pick([300, 600, 1800, 3600]);
    let chain = genuineChain(r);
    let tlsShare = 0.1;
    if (index === 0 || idle.has(index)) {
      const timeoutS = index === 0 ? 900 : r.pick([300, 900, 3600]);
      const mode = index === 0 || r.chance(0.7) ? "reset" : "silent";
      holdS = r.pick([600, 1800, 3600, 5400, 7200].filter((h) => h >= 1.5 * timeoutS));
      network = { kind: "idle", timeoutS, mode };
    } else if (blocked.has(index)) {
      network = { kind: "blocked", since: now - r.int(3, 36) * HOUR_MS - r.int(0, 3_599_999), mode: r.chance(0.5) ? "refused" : "dropped" };
    } else if (intercepted.has(index)) {
      const proxy = interceptedChain(intercepted.get(index)!);
      network = { kind: "intercepted", vendor: proxy.vendor };
      chain = proxy.chain;
      tlsShare = 1;
    }
    const probe = network.kind === "idle" && network.mode === "reset" && index > 0 && probes++ < 2;
    const devices = Math.max(1, Math.round(size * options.scale));
    const slug = `site-${String(index).padStart(3, "0")}`;
    const publicIp = `100.${64 + (index >> 8)}.${index & 255}.${r.int(1, 254)}`;
    return { index, slug, name: `Site ${String(index).padStart(3, "0")}`, devices, publicIp, intervalS, holdS, readTimeoutS: holdS + r.int(30, 120), network, tlsShare, chain, probe, rttMs: r.int(25, 140) };
  });
  const devices: DevicePlan[] = [];
  for (const site of sites) {
    for (let k = 0; k < site.devices; k++) {
      const index = devices.length;
      const darkAt = r.chance(0.03) ? now - r.int(2 * HOUR_MS, Math.round((days - 0.5) * 24 * HOUR_MS)) : null;
      devices.push({ index, externalId: `dev-${String(index).padStart(5, "0")}`, site, seed: (seed ^ Math.imul(index + 1, 2654435761)) >>> 0, firstOfSite: k === 0, darkAt });
    }
  }
  return { seed, scale: options.scale, now, from, sites, devices };
}

interface Ending {
  at: number;
  reason: string;
  errno: string | null;
  idleS: number;
  maxIdleS: number;
}

/** How a session that started at `start` ends, by the site's network. */
function sessionEnding(r: Rng, site: SitePlan, start: number): Ending {
  const net = site.network;
  let durationS = Math.max(20, -Math.log(1 - r.next()) * MEAN_SESSION_S);
  // The longest idle gap the connection survived: behind a middlebox, below its timeout (up to
  // it when it forgets flows silently); elsewhere mostly an empty poll of exactly the hold.
  const cap = net.kind === "idle" ? net.timeoutS : site.holdS;
  const maxIdleS = round3(
    net.kind === "idle"
      ? cap * (net.mode === "silent" ? 0.5 + 0.495 * r.next() : 0.3 + 0.67 * r.next())
      : r.chance(0.8) ? cap + 0.3 * r.next() : cap * (0.1 + 0.8 * r.next()),
  );
  const end = (idleS: number, reason: string, errno: string | null): Ending => {
    durationS = Math.max(durationS, idleS + r.int(60, 900));
    return { at: start + Math.round(durationS * 1000), reason, errno, idleS: round3(idleS), maxIdleS };
  };
  if (net.kind === "idle" && r.chance(0.75)) {
    if (net.mode === "reset") return end(net.timeoutS * (1 + 0.004 * r.next()) + 1.5 * r.next(), r.chance(0.85) ? "reset" : "error", r.chance(0.85) ? "ECONNRESET" : "EPIPE");
    return end(site.readTimeoutS + 2 * r.next(), "timeout", "ETIMEDOUT");
  }
  const roll = r.next();
  if (roll < 0.55) return end(5 * r.next(), "server_closed", null);
  if (roll < 0.8) return end(5 * r.next(), "client_closed", null);
  if (roll < 0.96) return end(1 + (cap - 1) * r.next(), "reset", "ECONNRESET");
  return end(site.readTimeoutS + 2 * r.next(), "timeout", "ETIMEDOUT");
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;

/** The device's events in time order (ties: the order the device sent them). */
export function* deviceEvents(fleet: FleetPlan, device: DevicePlan): Generator<SeedEvent> {
  const r = rng(device.seed);
  const site = device.site;
  const net = site.network;
  const prefix = `${device.index.toString(36)}-`;
  let n = 0;
  let seq = 0;
  const event = (type: EventType, at: number, session: string | null, fields: Record<string, unknown>): SeedEvent => ({
    type,
    eventId: prefix + (n++).toString(36),
    at: Math.round(at),
    receivedAt: Math.min(fleet.now, Math.round(at) + r.int(150, 3000)),
    session,
    fields,
  });
  const stopAt = device.darkAt ?? fleet.now;
  const blockedFrom = net.kind === "blocked" ? net.since : Infinity;
  const probeDays = site.probe && device.firstOfSite ? probeTimes(r, fleet) : [];
  let t = fleet.from + r.next() * 600_000;
  let s = 0;
  while (t < stopAt) {
    if (t >= blockedFrom && net.kind === "blocked") {
      // Every retry fails at TCP until "now"; nothing gets through to the platform.
      for (let f = t; f < fleet.now; f += r.int(60, 180) * 1000) {
        const refused = net.mode === "refused";
        yield event("connect_failed", f, null, { publicIp: site.publicIp, endpoint: ENDPOINT, stage: "tcp", errno: refused ? "ECONNREFUSED" : "ETIMEDOUT", elapsedMs: refused ? r.int(5, 80) : r.int(127_000, 134_000) });
      }
      return;
    }
    while (probeDays.length && probeDays[0] < t) yield probeEvent(event, site, probeDays.shift()!, r);
    if (r.chance(0.005)) {
      yield event("connect_failed", t, null, { publicIp: site.publicIp, endpoint: ENDPOINT, stage: "dns", errno: "EAI_AGAIN", elapsedMs: r.int(1000, 5000) });
      t += r.int(5, 30) * 1000;
    }
    const session = `${device.externalId}-${s++}`;
    const handshakeMs = r.int(60, 600);
    if (r.chance(site.tlsShare)) {
      yield event("tls", t, null, { publicIp: site.publicIp, endpoint: ENDPOINT, verified: true, protocol: "TLSv1.3", cipher: "TLS_AES_128_GCM_SHA256", chain: site.chain });
    }
    const start = t + handshakeMs;
    yield event("connect", start, session, { transport: "long-polling", publicIp: site.publicIp, endpoint: ENDPOINT, handshakeMs });
    const ending = sessionEnding(r, site, start);
    if (ending.at > blockedFrom) Object.assign(ending, { at: blockedFrom + r.int(0, 300_000), reason: "reset", errno: "ECONNRESET" });
    const lastBeat = Math.min(ending.at, stopAt);
    const step = site.intervalS * 1000;
    for (let h = start + r.next() * step; h < lastBeat; h += step * (0.98 + 0.04 * r.next())) {
      yield event("heartbeat", h, null, { seq: seq++, rttMs: Math.round(site.rttMs * Math.exp(0.35 * (r.next() - 0.5)) * 10) / 10, intervalS: site.intervalS });
    }
    // Still connected now, or gone dark mid-session (the server infers the end from the silence).
    if (ending.at >= stopAt) break;
    const durationS = (ending.at - start) / 1000;
    yield event("disconnect", ending.at, session, {
      transport: "long-polling",
      publicIp: site.publicIp,
      endpoint: ENDPOINT,
      reason: ending.reason,
      ...(ending.errno ? { errno: ending.errno } : {}),
      idleS: ending.idleS,
      maxIdleS: ending.maxIdleS,
      durationS,
    });
    t = ending.at + r.int(1, 20) * 1000;
  }
  while (probeDays.length && probeDays[0] < stopAt) yield probeEvent(event, site, probeDays.shift()!, r);
}

function probeTimes(r: Rng, fleet: FleetPlan): number[] {
  return Array.from({ length: Math.round((fleet.now - fleet.from) / (24 * HOUR_MS)) }, (_, d) => fleet.from + d * 24 * HOUR_MS + r.int(1, 23) * HOUR_MS);
}

function probeEvent(event: (type: EventType, at: number, session: string | null, fields: Record<string, unknown>) => SeedEvent, site: SitePlan, at: number, r: Rng): SeedEvent {
  const timeoutS = site.network.kind === "idle" ? site.network.timeoutS : 0;
  const survivedS = [0.25, 0.5, 0.9].map((f) => Math.round(timeoutS * f));
  const diedS = [Math.round(timeoutS * (1.05 + 0.05 * r.next()))];
  return event("probe", at, null, { publicIp: site.publicIp, kind: "idle_timeout", result: { survivedS, diedS, estimateS: timeoutS, direction: "downstream" } });
}

/** What ingest's session derivation reads of a lifecycle event. */
export function lifecycleOf(e: SeedEvent, siteId: number): LifecycleEvent {
  return lifecycleFromFields({ ...e, siteId }, e.fields);
}
