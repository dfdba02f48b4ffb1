import { describe, expect, it } from "vitest";
import { generateFleet } from "../../sim/generateFleet";
import { Rng } from "../../sim/prng";
import { ADDED_FAULT_SCENARIOS, ADDED_HEALTHY_VARIANTS, FAULT_SCENARIOS, MESSY_SITE_SHAPES } from "../../sim/scenarios";
import type { SiteSpec } from "../../sim/siteSpec";

describe("fleet simulator", () => {
  it("is deterministic per seed", () => {
    const a = generateFleet(7, { sites: 12 });
    const b = generateFleet(7, { sites: 12 });
    expect(b.input).toEqual(a.input);
    expect(b.truths).toEqual(a.truths);
    expect(generateFleet(8, { sites: 12 }).input).not.toEqual(a.input);
  });

  it("gives every fault scenario ground truth", () => {
    const fleet = generateFleet(3, { sites: Object.keys(FAULT_SCENARIOS).length, faultShare: 1 });
    const primaries = fleet.sites.filter((site) => !/-\d{3}-\d+$/.test(site.slug));
    const messy = MESSY_SITE_SHAPES.map(([name]) => name);
    const faults = [...Object.keys(FAULT_SCENARIOS), ...Object.keys(ADDED_FAULT_SCENARIOS), ...messy.filter((name) => !name.startsWith("healthy"))];
    const healthy = new Set([...ADDED_HEALTHY_VARIANTS.map(([name]) => name), ...messy.filter((name) => name.startsWith("healthy"))]);
    expect(new Set(primaries.map((s) => s.scenario).filter((name) => !healthy.has(name)))).toEqual(new Set(faults));
    for (const site of primaries) if (!healthy.has(site.scenario)) expect(site.truths.length, site.scenario).toBeGreaterThan(0);
  });

  it("sends each WAN link's egress address and stops a flapping burst when it ends", () => {
    const fleet = generateFleet(4, { sites: 4 });
    const two = fleet.sites.find((s) => s.scenario === "idle-two-middleboxes") as SiteSpec;
    const ips = (device: string) => new Set(fleet.input.sessions.filter((s) => s.device === device).map((s) => s.publicIp));
    const [wan1, wan2] = two.truths.map((t) => t.devices as string[]);
    expect(wan1.flatMap((d) => [...ips(d)])).toEqual(wan1.map(() => two.publicIp));
    expect(wan2.flatMap((d) => [...ips(d)])).toEqual(wan2.map(() => two.secondEgress?.publicIp));

    const ended = fleet.sites.find((s) => s.scenario === "healthy-flapping-ended") as SiteSpec;
    const burst = ended.flapBurst as NonNullable<SiteSpec["flapBurst"]>;
    const ends = fleet.input.sessions.filter((s) => s.device === `${ended.slug}-d0` && s.end !== null).map((s) => s.end as number);
    const during = ends.filter((t) => t >= burst.from && t < burst.until).length / ((burst.until - burst.from) / 3_600_000);
    const after = ends.filter((t) => t >= burst.until + 60_000).length / ((fleet.now - burst.until) / 3_600_000);
    expect(during).toBeGreaterThan(15);
    expect(after).toBeLessThan(1);
  });

  it("draws the same numbers from the same seed", () => {
    const a = new Rng(5);
    const b = new Rng(5);
    expect([a.next(), a.exp(10), a.hex(8)]).toEqual([b.next(), b.exp(10), b.hex(8)]);
  });

  it("keeps sessions consistent: ends after starts, durations match", () => {
    const fleet = generateFleet(9, { sites: 10 });
    for (const s of fleet.input.sessions) {
      if (s.end === null) continue;
      expect(s.end).toBeGreaterThanOrEqual(s.start);
      expect(Math.abs((s.durationS ?? 0) - (s.end - s.start) / 1000)).toBeLessThan(1e-6);
      if (s.idleS !== null) expect(s.idleS).toBeLessThanOrEqual((s.durationS ?? 0) + 1e-6);
    }
  });
});
