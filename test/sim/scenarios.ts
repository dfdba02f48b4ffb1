/**
 * The scenario catalogue: a healthy site template and the faults layered on it, each
 * recording its ground truth. Parameters stay inside ranges where the fault leaves the
 * evidence PROTOCOL.md describes (e.g. a silent middlebox leaves survived gaps to read the
 * cliff from); volumes are capped so a few hundred sites simulate in seconds.
 */
import type { Rng } from "./prng";
import type { SiteSpec, Traffic } from "./siteSpec";
import { PINNED_ENDPOINT, PRIVATE_INTERCEPTORS, PRIVATE_PLATFORM_ENDPOINT, VENDOR_INTERCEPTORS } from "./tlsChains";

const DAY_MS = 86_400_000;
const HOLDS = [300, 600, 1800, 3600, 5400];
/** drops a site may produce at most, to keep the accuracy run fast */
const MAX_SITE_DROPS = 15_000;

export type ScenarioMaker = (rng: Rng, site: SiteSpec, now: number) => void;

export function healthySite(rng: Rng, slug: string, now: number, days: number): SiteSpec {
  const size = rng.next();
  const devices = size < 0.3 ? rng.int(1, 5) : size < 0.8 ? rng.int(6, 25) : rng.int(26, 80);
  const holdS = rng.pick(HOLDS);
  const data = rng.next();
  const traffic: Traffic = {
    holdS,
    dataMeanS: data < 0.5 ? 6 * 3600 : data < 0.8 ? rng.uniform(600, 3600) : rng.uniform(60, 400),
    readTimeoutS: rng.chance(0.8) ? holdS + rng.uniform(30, 120) : 2 * holdS,
    noisePerDay: rng.uniform(0.3, 4),
    restartsPerDay: rng.uniform(0, 0.5),
  };
  return {
    slug,
    scenario: "healthy",
    devices,
    from: now - days * DAY_MS,
    startSpreadS: 3 * 3600,
    publicIp: randomIp(rng),
    endpoint: "acme.cumulocity.example:443",
    heartbeatIntervalS: rng.pick([60, 60, 300, null]),
    traffic,
    idleFaults: [],
    probe: false,
    tls: null,
    staleTrustStore: false,
    portBlocked: null,
    proxyFailure: null,
    transientTcpFailure: rng.chance(0.2),
    outage: null,
    flappingDevices: 0,
    flapBurst: null,
    secondEgress: null,
    offlineDevices: 0,
    lifetimeS: null,
    scheduled: null,
    egressSiblings: 0,
    truths: [],
  };
}

function randomIp(rng: Rng): string {
  return `${rng.int(11, 199)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
}

/** Shortens the site's history so a fast-dropping site stays within the drop budget. */
function capVolume(site: SiteSpec, now: number, dropsPerDeviceDay: number): void {
  const days = (now - site.from) / DAY_MS;
  const maxDays = MAX_SITE_DROPS / (site.devices * dropsPerDeviceDay);
  if (days > maxDays) site.from = now - Math.max(0.5, maxDays) * DAY_MS;
}

function holdAbove(rng: Rng, timeoutS: number): number {
  return rng.pick([600, 1800, 3600, 5400, 7200].filter((h) => h >= 1.5 * timeoutS));
}

function idleTruth(site: SiteSpec, timeoutS: number, mode: "reset" | "silent" | "probe"): void {
  site.truths.push({ kind: "idle_timeout", scope: "site", key: site.slug, site: site.slug, timeoutS, mode });
}

function resetSite(rng: Rng, site: SiteSpec, now: number, timeoutS: number, faults = [{ timeoutS, share: 1 }]): void {
  const top = Math.max(...faults.map((f) => f.timeoutS));
  site.traffic.holdS = holdAbove(rng, top);
  site.traffic.readTimeoutS = site.traffic.holdS + rng.uniform(30, 120);
  site.traffic.dataMeanS = rng.chance(0.5) ? 6 * 3600 : rng.uniform(0.5, 2) * timeoutS;
  site.idleFaults = faults.map((f) => ({ timeoutS: f.timeoutS, mode: "reset", deviceShare: f.share }));
  for (const f of faults) idleTruth(site, f.timeoutS, "reset");
  capVolume(site, now, 86_400 / Math.min(...faults.map((f) => f.timeoutS)));
}

const KNOWN_T = [60, 240, 350, 600, 900, 1200, 1800, 3600];
const UNUSUAL_T = [420, 1000, 1500, 2700];
const SILENT_T = [240, 350, 600, 900, 1000, 1200, 1800, 3600];

export const FAULT_SCENARIOS: Record<string, ScenarioMaker> = {
  "idle-reset": (rng, site, now) => resetSite(rng, site, now, rng.pick(KNOWN_T)),
  "idle-reset-unusual": (rng, site, now) => resetSite(rng, site, now, rng.pick(UNUSUAL_T)),
  "idle-reset-two-clusters": (rng, site, now) => {
    site.devices = Math.max(site.devices, 4);
    const [a, b] = rng.pick([[900, 3600], [350, 1800], [240, 1200], [600, 3600]]);
    resetSite(rng, site, now, a, [{ timeoutS: a, share: 0.5 }, { timeoutS: b, share: 0.5 }]);
    // Rare data: every device dies at its own middlebox's timeout, so both clusters show.
    site.traffic.dataMeanS = 6 * 3600;
  },
  "idle-reset-noisy": (rng, site, now) => {
    // Frequent data makes few gaps reach T; random drops at about the same rate (70 % of
    // them spread out) bury the cluster under more random drops than it has itself.
    const t = rng.pick([900, 1200, 1800, 3600]);
    resetSite(rng, site, now, t);
    site.traffic.dataMeanS = 0.3 * t;
    const clusterPerDay = (86_400 * Math.exp(-1 / 0.3)) / (0.3 * t);
    site.traffic.noisePerDay = clusterPerDay * rng.uniform(2, 3);
  },
  "idle-reset-few-drops": (rng, site, now) => {
    const t = rng.pick([600, 900, 1200, 1800]);
    const drops = rng.int(5, 8);
    site.devices = 1;
    site.traffic = { ...site.traffic, holdS: 2 * t, readTimeoutS: 2 * t + 60, dataMeanS: Infinity, noisePerDay: 0, restartsPerDay: 0 };
    site.idleFaults = [{ timeoutS: t, mode: "reset", deviceShare: 1 }];
    site.from = now - (drops + 0.5) * (t + 12) * 1000;
    site.startSpreadS = 5;
    idleTruth(site, t, "reset");
  },
  "idle-silent": (rng, site, now) => silentSite(rng, site, now),
  "idle-nat-next-packet": (rng, site, now) => {
    // AWS NAT Gateway style: silent expiry, RST on the next packet from the server.
    const t = rng.pick([350, 600, 900]);
    site.devices = Math.max(site.devices, 4);
    site.traffic.holdS = holdAbove(rng, t);
    site.traffic.readTimeoutS = site.traffic.holdS + rng.uniform(30, 120);
    site.traffic.dataMeanS = rng.uniform(0.3, 0.6) * t;
    site.idleFaults = [{ timeoutS: t, mode: "next_packet", deviceShare: 1 }];
    idleTruth(site, t, "silent");
    capVolume(site, now, 86_400 / (2 * t));
  },
  "idle-silent-probe": (rng, site, now) => {
    silentSite(rng, site, now);
    site.probe = true;
  },
  "idle-reset-probe": (rng, site, now) => {
    resetSite(rng, site, now, rng.pick(KNOWN_T.filter((t) => t >= 240)));
    site.probe = true;
  },
  "idle-probe-only": (rng, site) => {
    const t = rng.pick([600, 900, 1200, 1800, 3600]);
    site.traffic.holdS = Math.round(t * rng.uniform(0.3, 0.6));
    site.traffic.readTimeoutS = site.traffic.holdS + 60;
    site.idleFaults = [{ timeoutS: t, mode: rng.chance(0.5) ? "reset" : "silent", deviceShare: 1 }];
    site.probe = true;
    idleTruth(site, t, "probe");
  },
  "idle-shared-egress": (rng, site, now) => {
    // Three one-device sites behind one carrier NAT: each has too few drops on its own,
    // together they show the NAT's timeout at the egress IP.
    const t = rng.pick([600, 900, 1800]);
    const drops = rng.int(2, 4);
    site.devices = 1;
    site.egressSiblings = 2;
    site.traffic = { ...site.traffic, holdS: 2 * t, readTimeoutS: 2 * t + 60, dataMeanS: Infinity, noisePerDay: 0, restartsPerDay: 0 };
    site.idleFaults = [{ timeoutS: t, mode: "reset", deviceShare: 1 }];
    site.from = now - (drops + 0.5) * (t + 12) * 1000;
    site.startSpreadS = 5;
    site.truths.push({ kind: "idle_timeout", scope: "publicIp", key: site.publicIp, site: null, timeoutS: t, mode: "reset" });
    site.truths.push({ kind: "idle_timeout", scope: "site", key: site.slug, site: site.slug, timeoutS: t, mode: "reset", optional: true });
  },
  "tls-pinned-intercepted": (rng, site) => {
    site.endpoint = PINNED_ENDPOINT;
    tlsSite(rng, site, rng.chance(0.5), rng.chance(0.5));
  },
  "tls-vendor-rejected": (rng, site) => tlsSite(rng, site, true, false),
  "tls-vendor-accepted": (rng, site) => tlsSite(rng, site, true, true),
  "tls-private": (rng, site) => tlsSite(rng, site, false, rng.chance(0.5)),
  "port-refused": (_rng, site) => portSite(site, "refused"),
  "port-dropped": (_rng, site) => portSite(site, "dropped"),
  outage: (rng, site, now) => {
    site.devices = Math.max(site.devices, 4);
    const start = rng.uniform(site.from + DAY_MS, now - DAY_MS);
    site.outage = { start, end: start + rng.uniform(5, 60) * 60_000 };
    site.truths.push({ kind: "outage", scope: "site", key: site.slug, site: site.slug, ...site.outage });
  },
  "outage-ongoing": (rng, site, now) => {
    site.devices = Math.max(site.devices, 4);
    site.heartbeatIntervalS = rng.pick([60, 300]);
    site.outage = { start: now - rng.uniform(30, 180) * 60_000, end: null };
    site.truths.push({ kind: "outage", scope: "site", key: site.slug, site: site.slug, ...site.outage });
  },
  flapping: (rng, site) => {
    site.devices = Math.max(site.devices, 3);
    site.flappingDevices = rng.int(1, Math.min(3, site.devices - 1));
    for (let i = 0; i < site.flappingDevices; i++) {
      site.truths.push({ kind: "flapping", scope: "device", key: `${site.slug}-d${i}`, site: site.slug });
    }
  },
  offline: (rng, site) => {
    site.devices = Math.max(site.devices, 3);
    site.heartbeatIntervalS = rng.pick([60, 300]);
    site.offlineDevices = rng.int(1, Math.min(2, Math.floor(site.devices / 2)));
    for (let i = 0; i < site.offlineDevices; i++) {
      site.truths.push({ kind: "offline", scope: "device", key: `${site.slug}-d${i}`, site: site.slug });
    }
  },
  lifetime: (rng, site) => {
    const period = rng.pick([1767, 3900, 7200, 14400, 28800]);
    site.devices = Math.max(site.devices, 3);
    site.lifetimeS = period;
    site.traffic.holdS = rng.pick(HOLDS.filter((h) => h <= period / 2));
    site.traffic.readTimeoutS = site.traffic.holdS + 60;
    site.traffic.noisePerDay = Math.min(site.traffic.noisePerDay, 2);
    site.truths.push({ kind: "session_lifetime", scope: "site", key: site.slug, site: site.slug, periodS: period });
  },
  scheduled: (rng, site) => scheduledSite(rng, site, true),
  "scheduled-one-device": (rng, site) => scheduledSite(rng, site, false),
};

function silentSite(rng: Rng, site: SiteSpec, now: number): void {
  const t = rng.pick(SILENT_T);
  site.devices = Math.max(site.devices, 4);
  site.traffic.holdS = holdAbove(rng, t);
  site.traffic.readTimeoutS = site.traffic.holdS + rng.uniform(30, 120);
  site.traffic.dataMeanS = rng.uniform(0.3, 0.7) * t;
  site.idleFaults = [{ timeoutS: t, mode: "silent", deviceShare: 1 }];
  idleTruth(site, t, "silent");
  capVolume(site, now, 86_400 / (2 * t + site.traffic.readTimeoutS));
}

function tlsSite(rng: Rng, site: SiteSpec, named: boolean, accepted: boolean): void {
  const by = rng.pick(named ? VENDOR_INTERCEPTORS : PRIVATE_INTERCEPTORS);
  site.tls = { vendor: by.vendor, accepted, deviceShare: rng.chance(0.7) ? 1 : 0.5 };
  site.truths.push({ kind: "tls_interception", scope: "site", key: site.slug, site: site.slug, vendor: by.vendor, accepted });
}

function portSite(site: SiteSpec, mode: "refused" | "dropped"): void {
  site.portBlocked = mode;
  site.transientTcpFailure = false;
  site.truths.push({ kind: "port_blocked", scope: "site", key: site.slug, site: site.slug, portMode: mode });
}

function proxySite(site: SiteSpec, mode: "unreachable" | "auth_required" | "forbidden"): void {
  site.proxyFailure = mode;
  site.transientTcpFailure = false;
  site.truths.push({ kind: "proxy_failure", scope: "site", key: site.slug, site: site.slug, proxyMode: mode });
}

function scheduledSite(rng: Rng, site: SiteSpec, allDevices: boolean): void {
  const minuteOfDay = rng.int(0, 1439);
  if (allDevices) site.devices = Math.max(site.devices, 3);
  site.scheduled = { minuteOfDay, allDevices };
  site.truths.push({ kind: "scheduled_drop", scope: "site", key: site.slug, site: site.slug, minuteOfDay });
}

/**
 * Scenarios added after the catalogue above settled. Each fleet gets one more site per entry,
 * appended after its other sites: every earlier site (each simulated from its own seeded
 * stream) stays exactly as it was, so accuracy figures remain comparable across versions.
 */
export const ADDED_FAULT_SCENARIOS: Record<string, ScenarioMaker> = {
  "proxy-unreachable": (_rng, site) => proxySite(site, "unreachable"),
  "proxy-auth": (_rng, site) => proxySite(site, "auth_required"),
  "proxy-forbidden": (_rng, site) => proxySite(site, "forbidden"),
};

/** Healthy variants that tempt detectors: frequent data, stale trust stores, a probe that finds nothing. */
export const HEALTHY_VARIANTS: Record<string, ScenarioMaker> = {
  healthy: () => undefined,
  "healthy-frequent-data": (rng, site) => {
    site.traffic.holdS = rng.pick([1800, 3600, 5400]);
    site.traffic.dataMeanS = rng.uniform(60, 400);
    site.traffic.readTimeoutS = rng.chance(0.5) ? site.traffic.holdS + 60 : 2 * site.traffic.holdS;
  },
  "healthy-stale-truststore": (_rng, site) => {
    site.staleTrustStore = true;
  },
  "healthy-probe": (_rng, site) => {
    site.probe = true;
  },
  "healthy-pinned-platform": (_rng, site) => {
    site.endpoint = PINNED_ENDPOINT;
  },
  "healthy-noisy": (rng, site) => {
    site.traffic.noisePerDay = rng.uniform(8, 20);
  },
};

/** Healthy sites appended to each fleet, as ADDED_FAULT_SCENARIOS are; a maker may appear more than once. */
export const ADDED_HEALTHY_VARIANTS: Array<[string, ScenarioMaker]> = [
  // A platform on its own private CA, reached from two sites of each fleet: the fleet's consensus says it is genuine.
  ...Array.from({ length: 2 }, (): [string, ScenarioMaker] => [
    "healthy-private-platform",
    (_rng, site) => {
      site.endpoint = PRIVATE_PLATFORM_ENDPOINT;
    },
  ]),
];

const HOUR_MS = 3_600_000;

/**
 * Two middleboxes at one site (two WAN links with their own policies, a guest VLAN): each
 * path's devices die at their own path's timeout, the shorter one many times as often. With
 * `ownEgress` the second path leaves through its own public IP.
 */
function twoMiddleboxSite(rng: Rng, site: SiteSpec, now: number, ownEgress: boolean): void {
  site.devices = Math.min(Math.max(site.devices, 6), 24);
  const [short, long] = rng.pick([[300, 3600], [240, 1800], [350, 3600], [600, 3600], [300, 1800], [900, 3600]]);
  const share = rng.uniform(0.3, 0.7);
  resetSite(rng, site, now, short, [{ timeoutS: short, share }, { timeoutS: long, share: 1 - share }]);
  // Data as rare as the long timeout or rarer: the long path's devices still reach it.
  site.traffic.dataMeanS = rng.chance(0.5) ? 6 * 3600 : rng.uniform(0.5, 1) * long;
  const split = Math.round(share * site.devices);
  const ids = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => `${site.slug}-d${from + k}`);
  site.truths[0].devices = ids(0, split);
  site.truths[1].devices = ids(split, site.devices);
  if (ownEgress) site.secondEgress = { publicIp: randomIp(rng), fromShare: share };
}

/** The first `share` of a site's devices flap (reconnect every one to two and a half minutes) from `from` until `until`. */
function flappingBurst(rng: Rng, site: SiteSpec, now: number, from: number, until: number, share: number): void {
  site.devices = Math.min(Math.max(site.devices, 4), 20);
  site.flappingDevices = Math.max(1, Math.round(share * site.devices));
  site.flapBurst = { from, until, meanS: rng.uniform(60, 150) };
  if (until < now) return;
  for (let i = 0; i < site.flappingDevices; i++) site.truths.push({ kind: "flapping", scope: "device", key: `${site.slug}-d${i}`, site: site.slug });
}

/**
 * Messier sites (issue #16), appended to each fleet as ADDED_FAULT_SCENARIOS are, each shape
 * FleetShape.messyCopies times (twice by default, so the families hold enough sites over the
 * seeds): several middleboxes at one site, flapping that began hours ago, flapping sites that
 * must not be outages, mixes, and healthy look-alikes (flapping that stopped, a short
 * reconnect blip, two WAN links and no middlebox).
 */
export const MESSY_SITE_SHAPES: Array<[string, ScenarioMaker]> = [
  ["idle-two-middleboxes", (rng, site, now) => twoMiddleboxSite(rng, site, now, true)],
  ["idle-two-middleboxes-one-ip", (rng, site, now) => twoMiddleboxSite(rng, site, now, false)],
  ["flapping-recent", (rng, site, now) => flappingBurst(rng, site, now, now - rng.uniform(1.25, 3) * HOUR_MS, Infinity, rng.uniform(0.6, 1))],
  ["flapping-site", (rng, site, now) => flappingBurst(rng, site, now, now - rng.uniform(8, 20) * HOUR_MS, Infinity, 1)],
  [
    "outage-at-flapping-site",
    (rng, site, now) => {
      flappingBurst(rng, site, now, now - rng.uniform(6, 12) * HOUR_MS, Infinity, rng.uniform(0.5, 1));
      const start = now - rng.uniform(1.5, 4) * HOUR_MS;
      site.outage = { start, end: start + rng.uniform(10, 45) * 60_000 };
      site.truths.push({ kind: "outage", scope: "site", key: site.slug, site: site.slug, ...site.outage });
    },
  ],
  [
    "idle-two-middleboxes-flapping",
    (rng, site, now) => {
      twoMiddleboxSite(rng, site, now, true);
      site.flappingDevices = rng.int(1, 2);
      site.flapBurst = { from: now - rng.uniform(1.5, 5) * HOUR_MS, until: Infinity, meanS: rng.uniform(60, 150) };
      for (let i = 0; i < site.flappingDevices; i++) site.truths.push({ kind: "flapping", scope: "device", key: `${site.slug}-d${i}`, site: site.slug });
    },
  ],
  [
    "healthy-flapping-ended",
    (rng, site, now) => {
      const from = now - rng.uniform(10, 20) * HOUR_MS;
      flappingBurst(rng, site, now, from, from + rng.uniform(1, 3) * HOUR_MS, rng.uniform(0.6, 1));
    },
  ],
  [
    "healthy-reconnect-blip",
    (rng, site, now) => {
      const from = now - rng.uniform(10, 50) * 60_000;
      site.devices = Math.max(site.devices, 2);
      site.flappingDevices = rng.int(1, 2);
      site.flapBurst = { from, until: from + rng.uniform(3, 8) * 60_000, meanS: rng.uniform(90, 180) };
    },
  ],
  [
    "healthy-two-egress",
    (rng, site) => {
      site.devices = Math.max(site.devices, 4);
      site.secondEgress = { publicIp: randomIp(rng), fromShare: rng.uniform(0.3, 0.7) };
    },
  ],
];
