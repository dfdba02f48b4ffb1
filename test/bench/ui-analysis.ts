// The detection engine once over the seeded database, in its own process (forked by
// ui.ts with a larger heap and a deadline): `runAnalysis` as the worker runs it, fleet-wide,
// at the seed's "now". With --sites, one site-scoped run per listed site id instead: the
// fallback when the fleet-wide run is too slow or runs out of memory.
//
// Usage: tsx test/bench/ui-analysis.ts <sqlite file> <now ms> [--sites 1,2,3]
// Prints one JSON line: {seconds, outcome, findings: {kind: n}, peakRssMb}.
import { openDb } from "@/lib/db/client";
import { runAnalysis } from "@/lib/findings/run";

export interface AnalysisReport {
  seconds: number;
  mode: "fleet" | "sites";
  outcome: { created: number; updated: number; resolved: number };
  findings: Record<string, number>;
  peakRssMb: number;
}

async function main(): Promise<void> {
  const [file, nowText, flag, list] = process.argv.slice(2);
  const now = Number(nowText);
  if (!file || !Number.isFinite(now)) throw new Error("usage: ui-analysis.ts <sqlite file> <now ms> [--sites 1,2,3]");
  const sites = flag === "--sites" ? list.split(",").map(Number) : null;
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 200);
  const db = openDb({ provider: "sqlite", file });
  try {
    const started = performance.now();
    const outcome = { created: 0, updated: 0, resolved: 0 };
    for (const site of sites ?? [null]) {
      const one = await runAnalysis(db, site === null ? null : { id: site }, now);
      outcome.created += one.created;
      outcome.updated += one.updated;
      outcome.resolved += one.resolved;
    }
    const seconds = (performance.now() - started) / 1000;
    const rows = (await db.prisma.finding.groupBy({ by: ["kind"], where: { status: "open" }, _count: { _all: true } }))
      .map((r) => ({ kind: r.kind, n: r._count._all }))
      .sort((a, b) => b.n - a.n);
    const report: AnalysisReport = {
      seconds,
      mode: sites ? "sites" : "fleet",
      outcome,
      findings: Object.fromEntries(rows.map((r) => [r.kind, r.n])),
      peakRssMb: Math.round(Math.max(peak, process.memoryUsage().rss) / 2 ** 20),
    };
    console.log(JSON.stringify(report));
  } finally {
    clearInterval(sampler);
    await db.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
