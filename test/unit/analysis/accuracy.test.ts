/**
 * Accuracy of the detection engine on simulated fleets with known ground truth (test/sim):
 * ≥ 200 sites over several seeds, per-kind precision and recall ≥ 0.95, idle-timeout
 * estimates within 3 % (reset) and 5 % (silent), and no finding at all on ≥ 99 % of healthy
 * sites. The same report prints from `npx tsx scripts/eval-accuracy.ts`.
 */
import { describe, expect, it } from "vitest";
import { formatAccuracyReport, runAccuracy } from "../../sim/accuracy";

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

describe("accuracy on simulated fleets", () => {
  const report = runAccuracy(SEEDS);
  console.log(formatAccuracyReport(report));

  it("covers at least 200 sites, a third of them healthy", () => {
    expect(report.sites).toBeGreaterThanOrEqual(200);
    expect(report.healthySites).toBeGreaterThanOrEqual(report.sites / 3);
  });

  it.each(report.kinds.map((k) => [k.kind, k] as const))("%s: precision and recall ≥ 0.95", (_kind, k) => {
    expect(k.truths).toBeGreaterThanOrEqual(5);
    expect(k.precision).toBeGreaterThanOrEqual(0.95);
    expect(k.recall).toBeGreaterThanOrEqual(0.95);
  });

  it("estimates reset-mode timeouts within 3 % and silent-mode ones within 5 %", () => {
    expect(report.timeoutErrors.reset.length).toBeGreaterThan(20);
    expect(report.timeoutErrors.silent.length).toBeGreaterThan(5);
    expect(Math.max(...report.timeoutErrors.reset)).toBeLessThanOrEqual(0.03);
    expect(Math.max(...report.timeoutErrors.silent)).toBeLessThanOrEqual(0.05);
    expect(Math.max(...report.timeoutErrors.probe, 0)).toBeLessThanOrEqual(0.03);
  });

  it("raises no finding at all on at least 99 % of healthy sites", () => {
    expect(report.cleanHealthySites / report.healthySites).toBeGreaterThanOrEqual(0.99);
  });

  it("names timeouts, interception vendors and port-block modes right", () => {
    expect(report.naming.right).toBe(report.naming.total);
    expect(report.vendor.right).toBe(report.vendor.total);
    expect(report.portMode.right).toBe(report.portMode.total);
  });
});
