import { describe, expect, it } from "vitest";
import { generateFleet } from "../../sim/generateFleet";
import { Rng } from "../../sim/prng";
import { ADDED_FAULT_SCENARIOS, ADDED_HEALTHY_VARIANTS, FAULT_SCENARIOS } from "../../sim/scenarios";

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
    const faults = [...Object.keys(FAULT_SCENARIOS), ...Object.keys(ADDED_FAULT_SCENARIOS)];
    const healthy = new Set(ADDED_HEALTHY_VARIANTS.map(([name]) => name));
    expect(new Set(primaries.map((s) => s.scenario).filter((name) => !healthy.has(name)))).toEqual(new Set(faults));
    for (const site of primaries) if (!healthy.has(site.scenario)) expect(site.truths.length, site.scenario).toBeGreaterThan(0);
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
