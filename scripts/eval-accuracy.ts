/**
 * Prints the detection engine's accuracy on simulated fleets with known ground truth — the
 * same report test/unit/analysis/accuracy.test.ts asserts on.
 * Usage: npx tsx scripts/eval-accuracy.ts [--limits] [seeds...]   (default: seeds 1–10, 40 sites each)
 * --limits adds sweeps of one hard parameter at a time (cluster size, share, jitter, …).
 */
import { formatAccuracyReport, runAccuracy } from "../test/sim/accuracy";
import { formatLimits, runLimits } from "../test/sim/limits";

const args = process.argv.slice(2);
const seeds = args.filter((a) => a !== "--limits").map(Number).filter(Number.isFinite);
const started = performance.now();
const report = runAccuracy(seeds.length > 0 ? seeds : [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
console.log(formatAccuracyReport(report));
console.log(`\n(generation and analysis together took ${((performance.now() - started) / 1000).toFixed(1)} s)`);
if (args.includes("--limits")) console.log(`\n${formatLimits(runLimits())}`);
