import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLinkscopeStub, type LinkscopeStub } from "./helpers/linkscope-stub";
import { startMiddlebox, type Middlebox } from "./helpers/middlebox";
import { TEST_KEY, runProbe, tempSpool } from "./helpers/run-probe";

/**
 * The idle-timeout measurement end to end: the probe talks to a stand-in Linkscope server
 * through a middlebox that forgets connections idle for longer than T. Both ways a real
 * middlebox ends them (RST, or silence) must be measured within ±15% of T, in both directions.
 */
const T = 2.7;
const LADDER = "1,2,4,8";
// The ladder brackets T in (2, 4]; one refinement round of 4 points narrows it to (2.4, 2.8].

let linkscope: LinkscopeStub;
beforeAll(async () => {
  linkscope = await startLinkscopeStub(TEST_KEY);
});
afterAll(async () => {
  await linkscope?.close();
});

interface IdleResult {
  survivedS: number[];
  diedS: number[];
  estimateS: number | null;
  direction: string;
}

async function measureThrough(box: Middlebox, device: string, extra: string[] = []): Promise<{ code: number; stderr: string; results: IdleResult[] }> {
  const run = await runProbe(["--once", "--server", box.url, "--key", TEST_KEY, "--site", "lab", "--device", device, "--ladder", LADDER, "--refine-rounds", "1", "--spool", tempSpool(), ...extra]);
  const results = linkscope.events
    .filter((e) => e.device === device && e.type === "probe" && e.kind === "idle_timeout")
    .map((e) => e.result as IdleResult);
  return { code: run.code, stderr: run.stderr, results };
}

describe("a middlebox that forgets connections idle longer than T", () => {
  it.concurrent.each(["reset", "silent"] as const)("is measured within 15 percent of T, downstream and upstream (%s mode)", async (mode) => {
    const box = await startMiddlebox(linkscope.port, T, mode);
    try {
      const started = Date.now();
      const { code, stderr, results } = await measureThrough(box, `probe-${mode}`);
      expect(code, stderr).toBe(0);
      expect(results.map((r) => r.direction).sort()).toEqual(["downstream", "upstream"]);
      for (const result of results) {
        expect(result.estimateS, `${result.direction}: ${JSON.stringify(result)}`).not.toBeNull();
        expect(Math.abs((result.estimateS ?? 0) - T) / T).toBeLessThanOrEqual(0.15);
        expect(Math.max(...result.survivedS.filter((s) => s < Math.min(...result.diedS)))).toBeLessThan(T);
        expect(Math.min(...result.diedS)).toBeGreaterThanOrEqual(T);
      }
      expect(linkscope.rejected).toEqual([]);
      console.info(`${mode}: ${results.map((r) => `${r.direction} ≈ ${r.estimateS} s`).join(", ")} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } finally {
      await box.close();
    }
  });
});

describe("an outage during a round", () => {
  it.concurrent("kills the busy control connection too, so no idle timeout is reported", async () => {
    const box = await startMiddlebox(linkscope.port, 60, "reset");
    try {
      setTimeout(() => box.outage(1000), 2500);
      const { code, stderr, results } = await measureThrough(box, "probe-outage", ["--idle-direction", "downstream", "--ladder", "1,4,8"]);
      expect(code).toBe(1);
      expect(stderr).toMatch(/control connection died too \(ECONNRESET\)/);
      expect(results).toEqual([]);
    } finally {
      await box.close();
    }
  });
});
