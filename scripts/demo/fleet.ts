// The demo fleet: the simulator's scenarios (test/sim) cast as named sites, one per kind of
// finding plus healthy ones, ending "now" so the findings are current, turned into the wire
// events a real fleet would send — connections, failures, TLS chains, probe runs, and
// heartbeats over the last hours.
import { fleetToWire, type WireEvent } from "../../test/helpers/fleet-to-wire";
import { FAULT_SCENARIOS, HEALTHY_VARIANTS } from "../../test/sim/scenarios";
import { generateFleet, type SimFleet } from "../../test/sim/generateFleet";
import type { GroundTruth } from "../../test/sim/siteSpec";
import { demoHeartbeats, type LiveDevice } from "./heartbeats";

export interface DemoSite {
  slug: string;
  scenario: string;
  story: string;
  truths: GroundTruth[];
}

export interface DemoFleet {
  seed: number;
  now: number;
  sites: DemoSite[];
  events: WireEvent[];
  /** devices still alive at the end, with their heartbeat interval: `--live` keeps them reporting */
  live: LiveDevice[];
}

interface Role {
  slug: string;
  scenario: string;
  story: string;
}

/** Who plays what. Sites whose scenario the simulator no longer has are left out. */
export const CAST: readonly Role[] = [
  { slug: "hamburg", scenario: "idle-reset", story: "a 15-minute firewall resets idle long-polls" },
  { slug: "rotterdam", scenario: "idle-silent", story: "a NAT silently forgets idle connections" },
  { slug: "lyon", scenario: "idle-reset-probe", story: "idle timeout, confirmed by the probe" },
  { slug: "zurich", scenario: "tls-vendor-rejected", story: "a named TLS-inspection proxy; devices refuse it" },
  { slug: "vienna", scenario: "tls-private", story: "TLS interception by an admin-made CA" },
  { slug: "milan", scenario: "port-refused", story: "outbound port 443 refused" },
  { slug: "madrid", scenario: "outage", story: "an outage days ago (over, so resolved by itself)" },
  { slug: "porto", scenario: "outage-ongoing", story: "an outage going on right now" },
  { slug: "dublin", scenario: "flapping", story: "a device in a reconnect loop" },
  { slug: "prague", scenario: "offline", story: "devices that went silent" },
  { slug: "warsaw", scenario: "lifetime", story: "connections cut at a fixed age" },
  { slug: "lisbon", scenario: "scheduled", story: "a nightly drop at the same minute" },
  { slug: "munich", scenario: "healthy", story: "a healthy site" },
  { slug: "berlin", scenario: "healthy-frequent-data", story: "a healthy, busy site" },
];

export const DEMO_SLUGS = CAST.map((r) => r.slug);
export const DEFAULT_DEMO_SEED = 2029;
const MAX_DEVICES_PER_SITE = 10;
const HEARTBEAT_HOURS = 6;

/**
 * Seeds are tried until the cast reads well: hamburg's firewall is the 15-minute one, and the
 * sites whose devices went dark (the ongoing outage, the offline devices) declared 60 s
 * heartbeats, so they show offline within two minutes of the fill (online is judged by
 * receive time, and the fill is "now" for every event).
 */
function castReadsWell(fleet: SimFleet): boolean {
  const byScenario = (scenario: string) => fleet.sites.find((s) => s.scenario === scenario);
  const hero = byScenario(CAST[0].scenario)?.slug;
  const heroTimeout = fleet.truths.find((t) => t.site === hero && t.kind === "idle_timeout")?.timeoutS;
  return heroTimeout === 900 && byScenario("outage-ongoing")?.heartbeatIntervalS === 60 && byScenario("offline")?.heartbeatIntervalS === 60;
}

export function demoFleet(options: { seed?: number; now?: number } = {}): DemoFleet {
  const now = options.now ?? Date.now();
  const faults = Object.keys(FAULT_SCENARIOS).length;
  const sites = faults + Object.keys(HEALTHY_VARIANTS).length;
  let seed = options.seed ?? DEFAULT_DEMO_SEED;
  let fleet: SimFleet;
  for (let tries = 0; ; tries++, seed++) {
    // Every scenario appears once: site i < faults plays fault (i + 7 seed) mod faults.
    fleet = generateFleet(seed, { sites, faultShare: faults / sites, now, days: 7, platformOutageChance: 0, messyCopies: 0 });
    if (options.seed !== undefined || castReadsWell(fleet) || tries >= 40) break;
  }
  return castFleet(fleet, seed, now);
}

function castFleet(fleet: SimFleet, seed: number, now: number): DemoFleet {
  const rename = new Map<string, string>();
  const cast: DemoSite[] = [];
  for (const role of CAST) {
    const site = fleet.sites.find((s) => s.scenario === role.scenario && !rename.has(s.slug));
    if (!site) continue;
    rename.set(site.slug, role.slug);
    cast.push({ ...role, truths: site.truths.filter((t) => t.site === site.slug).map((t) => ({ ...t, site: role.slug, key: t.key.replace(site.slug, role.slug) })) });
  }
  const device = (id: string) => {
    const m = /^(.*)-d(\d+)$/.exec(id);
    if (!m || !rename.has(m[1]) || Number(m[2]) >= MAX_DEVICES_PER_SITE) return null;
    return `${rename.get(m[1])}-d${m[2]}`;
  };
  const input = fleet.input;
  const keep = <T extends { device: string; site: string | null }>(items: T[]) =>
    items.flatMap((x) => {
      const d = device(x.device);
      return d === null ? [] : [{ ...x, device: d, site: rename.get(x.site ?? "") ?? x.site }];
    });
  const sessions = keep(input.sessions).map((s) => ({ ...s, session: `${s.device}-${s.session.slice(s.session.lastIndexOf("-") + 1)}` }));
  const cut = { sessions, events: keep(input.events), heartbeats: keep(input.heartbeats) };
  const { events: beats, live } = demoHeartbeats(seed, cut, now, HEARTBEAT_HOURS);
  // fleetToWire sends each device's last heartbeat; the demo's own cover devices that declared an interval.
  const beating = new Set(cut.heartbeats.filter((h) => h.intervalS !== null).map((h) => h.device));
  const wire = fleetToWire(cut).filter((e) => e.type !== "heartbeat" || !beating.has(e.device));
  const events = [...wire.map((e) => ({ ...e, id: `demo-${e.id}` })), ...beats];
  // Newest first: the server analyses while the fill is still arriving, and a partial history
  // that ends now looks like fewer drops, where one that stops hours ago would look like an outage.
  events.sort((a, b) => b.at.localeCompare(a.at));
  return { seed, now, sites: cast, events, live };
}
