// `npm run demo`: fills a running Linkscope with a realistic demo fleet through its public
// ingest API — one site per kind of finding plus healthy ones, ending now — waits for the
// analysis, then keeps the living devices reporting until Ctrl-C (`--once` stops after the fill).
//
//   npm run demo -- [--server http://localhost:3000] [--key lsk_...] [--seed N] [--once] [--force]
//
// Run it with the same database settings as the server (DATABASE_URL / LINKSCOPE_SQLITE_FILE):
// it creates its ingest key there (unless --key) and reads the findings back from there.
import fs from "node:fs";
import { parseArgs } from "node:util";
import { createKey } from "../lib/auth/key-admin";
import { openDb } from "../lib/db/client";
import { dbConfigFromEnv } from "../lib/db/config";
import { awaitFindings } from "./demo/await-findings";
import { DEMO_SLUGS, demoFleet } from "./demo/fleet";
import { sendEvents, startLiveHeartbeats } from "./demo/send";


async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      server: { type: "string", default: "http://localhost:3000" },
      key: { type: "string" },
      seed: { type: "string" },
      once: { type: "boolean", default: false },
      force: { type: "boolean", default: false },
    },
  });
  const server = values.server.replace(/\/+$/, "");
  const health = await fetch(`${server}/api/v1/health`).catch(() => null);
  if (!health?.ok) throw new Error(`No Linkscope answers at ${server}. Start it first (npm start), or pass --server URL.`);

  const config = dbConfigFromEnv();
  if (config.provider === "sqlite" && !fs.existsSync(config.file)) {
    throw new Error(`No database at ${config.file}. Run the demo with the server's DATABASE_URL / LINKSCOPE_SQLITE_FILE.`);
  }
  const db = openDb(config);
  try {
    const existing = await db.prisma.site.findMany({ where: { slug: { in: DEMO_SLUGS } }, select: { slug: true } });
    if (existing.length && !values.force) {
      throw new Error(`The database already has demo sites (${existing.map((s) => s.slug).join(", ")}). Use a fresh database, or --force to add a second history on top.`);
    }
    const key = values.key ?? (await createKey(db, { scope: "ingest", name: "demo fleet" })).key;

    const fleet = demoFleet({ seed: values.seed ? Number(values.seed) : undefined });
    console.log(`Demo fleet (seed ${fleet.seed}): ${fleet.sites.length} sites, ${fleet.live.length} live devices, ${fleet.events.length} events over 7 days`);
    const started = Date.now();
    const live = values.once ? null : startLiveHeartbeats(server, key, fleet.live);
    const sent = await sendEvents(server, key, fleet.events, {
      onProgress: (n, total) => process.stdout.write(`\r  sending ${n}/${total} events`),
    });
    console.log(`\n  accepted ${sent.accepted}, duplicates ${sent.duplicates}, rejected ${sent.rejected} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (sent.firstRejection) console.log(`  first rejection: ${sent.firstRejection}`);

    console.log("Waiting for the analysis...");
    for (const site of await awaitFindings(db, fleet.sites)) {
      console.log(`  ${site.slug.padEnd(10)} ${site.story}`);
      for (const title of site.titles) console.log(`             - ${title}`);
    }
    console.log("  (offline and flapping devices also show up with the fleet-wide analysis, within 5 minutes)");
    console.log(`\nOpen ${server}/ and sign in.`);
    if (!live) return;
    console.log("Keeping the live devices reporting (Ctrl-C to stop).");
    await new Promise(() => undefined);
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
