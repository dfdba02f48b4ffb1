/**
 * A simulated fleet with known ground truth: sites built from the scenario catalogue, each
 * device's sessions from deviceTimeline, plus the TLS, connect-failure and probe events and
 * heartbeat summaries the analyses read. Same seed, same fleet.
 */
import type { AnalysisOptions } from "../../lib/analysis/analyzeFleet";
import type {
  ConnectFailedEvent,
  EventRecord,
  FleetInput,
  SessionRecord,
} from "../../lib/analysis/types";
import { simulateDevice, type Interruption } from "./deviceTimeline";
import { Rng } from "./prng";
import { ADDED_FAULT_SCENARIOS, ADDED_HEALTHY_VARIANTS, FAULT_SCENARIOS, HEALTHY_VARIANTS, MESSY_SITE_SHAPES, healthySite } from "./scenarios";
import type { GroundTruth, SiteSpec } from "./siteSpec";
import { PINNED_ENDPOINT, PINNED_ROOT, PRIVATE_INTERCEPTORS, VENDOR_INTERCEPTORS, genuineChain, interceptedChain } from "./tlsChains";

export interface FleetShape {
  sites: number;
  /** share of sites that get a fault scenario */
  faultShare: number;
  days: number;
  /** chance the fleet suffers a platform-side outage */
  platformOutageChance: number;
  /** times each of the messier sites' shapes (MESSY_SITE_SHAPES) is appended */
  messyCopies: number;
  now: number;
}

export const DEFAULT_FLEET_SHAPE: FleetShape = {
  sites: 40,
  faultShare: 0.6,
  days: 7,
  platformOutageChance: 0.5,
  messyCopies: 2,
  now: Date.UTC(2026, 10, 26, 12, 0, 0),
};

export interface SimFleet {
  seed: number;
  now: number;
  /** what the fleet's operator configured: the pin of the self-hosted endpoint */
  options: AnalysisOptions;
  sites: SiteSpec[];
  platformOutage: { start: number; end: number } | null;
  /** every truth: per site, per device and fleet-wide */
  truths: GroundTruth[];
  input: FleetInput;
}

const DAY_MS = 86_400_000;

export function generateFleet(seed: number, shape: Partial<FleetShape> = {}): SimFleet {
  const s = { ...DEFAULT_FLEET_SHAPE, ...shape };
  const rng = new Rng(seed);
  const faults = Object.entries(FAULT_SCENARIOS);
  const healthy = Object.entries(HEALTHY_VARIANTS);
  const faultSites = Math.round(s.sites * s.faultShare);
  const messy = Array.from({ length: s.messyCopies }, () => MESSY_SITE_SHAPES).flat();
  const added = [...Object.entries(ADDED_FAULT_SCENARIOS), ...ADDED_HEALTHY_VARIANTS, ...messy];
  const sites: SiteSpec[] = [];
  for (let i = 0; i < s.sites + added.length; i++) {
    const siteRng = rng.fork(`site-${i}`);
    const site = healthySite(siteRng, `s${seed}-${String(i).padStart(3, "0")}`, s.now, s.days);
    const [name, make] = i >= s.sites ? added[i - s.sites] : i < faultSites ? faults[(i + seed * 7) % faults.length] : healthy[(i + seed) % healthy.length];
    site.scenario = name;
    make(siteRng, site, s.now);
    sites.push(site);
    for (let k = 1; k <= site.egressSiblings; k++) {
      const slug = `${site.slug}-${k}`;
      const optional = site.truths.filter((t) => t.optional).map((t) => ({ ...t, key: slug, site: slug }));
      // Sites behind one NAT do not start in step: shift each by up to half a cycle.
      const cycleS = (site.idleFaults[0]?.timeoutS ?? 600) + 12;
      sites.push({ ...site, slug, egressSiblings: 0, from: site.from + siteRng.uniform(-0.5, 0.5) * cycleS * 1000, truths: optional });
    }
  }
  const platformOutage = rng.chance(s.platformOutageChance) ? platformWindow(rng, s.now, s.days) : null;
  const truths = sites.flatMap((site) => site.truths);
  if (platformOutage) truths.push({ kind: "outage", scope: "fleet", key: "fleet", site: null, ...platformOutage });

  const input: FleetInput = { sessions: [], events: [], heartbeats: [] };
  for (const site of sites) simulateSite(rng.fork(`data-${site.slug}`), site, s.now, platformOutage, input);
  const options: AnalysisOptions = { tls: { pins: { [PINNED_ENDPOINT]: { issuers: [PINNED_ROOT] } } } };
  return { seed, now: s.now, options, sites, platformOutage, truths, input };
}

function platformWindow(rng: Rng, now: number, days: number): { start: number; end: number } {
  const start = rng.uniform(now - (days - 1) * DAY_MS, now - DAY_MS);
  return { start, end: start + rng.uniform(5, 20) * 60_000 };
}

function simulateSite(rng: Rng, site: SiteSpec, now: number, platform: SimFleet["platformOutage"], out: FleetInput): void {
  const host = site.endpoint.split(":")[0];
  const faultStarts: number[] = [];
  let acc = 0;
  for (const f of site.idleFaults) {
    faultStarts.push(Math.round(acc * site.devices));
    acc += f.deviceShare;
  }
  const interceptor = site.tls ? pickInterceptor(rng, site.tls.vendor) : null;
  for (let i = 0; i < site.devices; i++) {
    const device = `${site.slug}-d${i}`;
    const devRng = rng.fork(device);
    const base = { device, site: site.slug, publicIp: egressOf(site, i) };
    const interval = site.heartbeatIntervalS;
    const intercepted = interceptor !== null && site.tls !== null && i < Math.ceil(site.tls.deviceShare * site.devices);
    const stale = site.staleTrustStore && i === 0;

    if (site.portBlocked || site.proxyFailure || (intercepted && site.tls && !site.tls.accepted) || stale) {
      // Never connects: only failed attempts, reported through the ingest path.
      const retries = site.portBlocked || site.proxyFailure;
      for (let t = site.from + devRng.uniform(0, 600_000); t < now; t += devRng.uniform(retries ? 600 : 1800, retries ? 1800 : 5400) * 1000) {
        if (site.portBlocked) out.events.push(blockedConnect(devRng, base, site, t));
        else if (site.proxyFailure) out.events.push(proxyFailedConnect(devRng, base, site, t));
        else {
          const chain = stale || !interceptor ? genuineChain(devRng, host) : interceptedChain(devRng, host, interceptor);
          const error = stale ? "UNABLE_TO_GET_ISSUER_CERT_LOCALLY" : chain.length > 1 && chain[chain.length - 1].subject === chain[chain.length - 1].issuer ? "SELF_SIGNED_CERT_IN_CHAIN" : "UNABLE_TO_GET_ISSUER_CERT_LOCALLY";
          out.events.push({ type: "tls", ...base, at: t, endpoint: site.endpoint, verified: false, error, chain });
          out.events.push({ type: "connect_failed", ...base, at: t + 50, endpoint: site.endpoint, stage: "tls", errno: error, elapsedMs: devRng.uniform(40, 400) });
        }
      }
      out.heartbeats.push({ ...base, lastHeartbeatAt: now - devRng.uniform(0, interval ?? 60) * 1000, intervalS: interval });
      continue;
    }

    const faultIndex = faultStarts.findLastIndex((start) => i >= start);
    const interruptions: Interruption[] = [];
    if (site.outage && site.outage.end !== null) interruptions.push({ at: site.outage.start + devRng.uniform(0, 30_000), until: site.outage.end, kind: "outage" });
    if (platform) interruptions.push({ at: platform.start + devRng.uniform(0, 60_000), until: platform.end, kind: "platform" });
    if (site.scheduled && (site.scheduled.allDevices || i === 0)) {
      const firstDay = Math.floor(site.from / DAY_MS) * DAY_MS;
      for (let day = firstDay; day < now; day += DAY_MS) {
        const at = day + site.scheduled.minuteOfDay * 60_000 + devRng.uniform(0, 60_000);
        if (at > site.from && at < now) interruptions.push({ at, until: at + devRng.uniform(30, 120) * 1000, kind: "scheduled" });
      }
    }
    interruptions.sort((a, b) => a.at - b.at);
    const offline = i < site.offlineDevices;
    const darkAt = offline
      ? now - devRng.uniform(1, 48) * 3_600_000
      : site.outage && site.outage.end === null
        ? site.outage.start + devRng.uniform(0, 30_000)
        : null;
    const history = simulateDevice({
      rng: devRng,
      ...base,
      endpoint: site.endpoint,
      from: site.from,
      now,
      startSpreadS: site.startSpreadS,
      traffic: site.traffic,
      idle: faultIndex >= 0 ? site.idleFaults[faultIndex] : null,
      interruptions,
      lifetimeS: site.lifetimeS,
      flapFrom: i >= site.flappingDevices ? null : site.flapBurst ? site.flapBurst.from + devRng.uniform(0, 600_000) : now - devRng.uniform(8, 48) * 3_600_000,
      flapUntil: site.flapBurst?.until ?? Infinity,
      flapMeanS: site.flapBurst?.meanS ?? 240,
      darkAt,
      heartbeatIntervalS: interval,
    });
    out.sessions.push(...history.sessions);
    out.events.push(...history.failures);
    addTlsEvents(devRng, history.sessions, site, host, intercepted ? interceptor : null, out.events);
    if (site.transientTcpFailure && i === 0 && history.sessions.length > 1) {
      const at = history.sessions[1].start - 130_000;
      out.events.push({ type: "connect_failed", ...base, at, endpoint: site.endpoint, stage: "tcp", errno: "ETIMEDOUT", elapsedMs: 130_000 });
    }
    if (site.probe && i === 0) out.events.push(...probeRuns(devRng, base, now, faultIndex >= 0 ? site.idleFaults[faultIndex].timeoutS : null));
    const lastHeartbeatAt = darkAt !== null ? history.lastAliveAt - devRng.uniform(0, interval ?? 60) * 1000 : now - devRng.uniform(0, interval ?? 60) * 1000;
    out.heartbeats.push({ ...base, lastHeartbeatAt, intervalS: interval });
  }
}

/** The egress address device i sends: the second WAN link's from its share of indexes up. */
function egressOf(site: SiteSpec, i: number): string {
  return site.secondEgress && i >= Math.round(site.secondEgress.fromShare * site.devices) ? site.secondEgress.publicIp : site.publicIp;
}

function pickInterceptor(rng: Rng, vendor: string | null) {
  const pool = vendor === null ? PRIVATE_INTERCEPTORS : VENDOR_INTERCEPTORS.filter((v) => v.vendor === vendor);
  return rng.pick(pool);
}

type Base = { device: string; site: string; publicIp: string };

/** A failed attempt through the site's proxy, as the probe reports it (docs/protocol-additions.md). */
function proxyFailedConnect(rng: Rng, base: Base, site: SiteSpec, at: number): ConnectFailedEvent {
  const proxy = "10.20.0.8:3128";
  const e = { type: "connect_failed" as const, ...base, at, endpoint: site.endpoint, stage: "tcp" as const, proxy };
  if (site.proxyFailure === "auth_required") return { ...e, errno: "PROXY_AUTH_REQUIRED", proxyStage: "connect", proxyError: "ERR_CACHE_ACCESS_DENIED 0", elapsedMs: rng.uniform(5, 60) };
  if (site.proxyFailure === "forbidden") return { ...e, errno: "PROXY_FORBIDDEN", proxyStage: "connect", proxyError: "ERR_ACCESS_DENIED 0", elapsedMs: rng.uniform(5, 60) };
  return rng.chance(0.7)
    ? { ...e, errno: "ECONNREFUSED", proxyStage: "tcp", elapsedMs: rng.uniform(1, 20) }
    : { ...e, errno: "ETIMEDOUT", proxyStage: "tcp", elapsedMs: rng.uniform(9_000, 11_000) };
}

function blockedConnect(rng: Rng, base: Base, site: SiteSpec, at: number): ConnectFailedEvent {
  const e = { type: "connect_failed" as const, ...base, at, endpoint: site.endpoint, stage: "tcp" as const };
  if (site.portBlocked === "refused") return { ...e, errno: "ECONNREFUSED", elapsedMs: rng.uniform(1, 80) };
  return rng.chance(0.8)
    ? { ...e, errno: "ETIMEDOUT", elapsedMs: rng.uniform(127_000, 135_000) }
    : { ...e, errno: "EHOSTUNREACH", elapsedMs: rng.uniform(1, 3000) };
}

/** A TLS event at the first connect and then at most once a day. */
function addTlsEvents(rng: Rng, sessions: SessionRecord[], site: SiteSpec, host: string, interceptor: ReturnType<typeof pickInterceptor> | null, out: EventRecord[]): void {
  let last = -Infinity;
  for (const s of sessions) {
    if (s.start - last < DAY_MS) continue;
    last = s.start;
    const chain = interceptor ? interceptedChain(rng, host, interceptor) : genuineChain(rng, host);
    out.push({ type: "tls", device: s.device, site: s.site, publicIp: s.publicIp, at: s.start, endpoint: site.endpoint, verified: true, chain });
  }
}

const LADDER = [30, 60, 120, 240, 300, 600, 900, 1200, 1800, 3600];

/** The probe's idle holds: a ladder until one dies, then bisection of the bracket. */
function probeRuns(rng: Rng, base: Base, now: number, timeoutS: number | null): EventRecord[] {
  const survivedS: number[] = [];
  const diedS: number[] = [];
  for (const hold of LADDER) {
    if (timeoutS !== null && hold >= timeoutS) {
      diedS.push(hold);
      break;
    }
    survivedS.push(hold);
  }
  let estimateS: number | null = null;
  if (diedS.length > 0 && timeoutS !== null) {
    let lo = survivedS.at(-1) ?? 0;
    let hi = diedS[0];
    for (let step = 0; step < 6; step++) {
      const mid = Math.round((lo + hi) / 2);
      if (mid < timeoutS) [lo] = [mid, survivedS.push(mid)];
      else [hi] = [mid, diedS.push(mid)];
    }
    estimateS = (lo + hi) / 2;
  }
  return [{ type: "probe", ...base, at: now - rng.uniform(1, 24) * 3_600_000, kind: "idle_timeout", result: { survivedS, diedS, estimateS, direction: "downstream" } }];
}
