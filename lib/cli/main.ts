// `npm run cli -- <command>`: administration without the UI.
//   keys create --scope ingest|read [--site SLUG] [--name TEXT]   prints the key alone on the last line
//   keys list
//   keys revoke PREFIX
//   analyse [--site SLUG] [--rebuild]     the full recompute (with --rebuild, the digest from the Session table first)
//   purge                                 the retention purge now (the worker runs it hourly)
//   migrate
import { parseArgs } from "node:util";
import { createKey, listKeys, revokeKey } from "@/lib/auth/key-admin";
import { KEY_SCOPES, type KeyScope } from "@/lib/auth/keys";
import { openDb } from "@/lib/db/client";
import { dbConfigFromEnv } from "@/lib/db/config";
import { applyMigrations } from "@/lib/db/migrate";
import { runAnalysis } from "@/lib/findings/run";
import { purgeExpired } from "@/lib/retention/purge";
import { siteSlug } from "@/lib/contract/events";

const USAGE = `Usage: npm run cli -- <command>

  keys create --scope ingest|read [--site SLUG] [--name TEXT]
  keys list
  keys revoke PREFIX
  analyse [--site SLUG] [--rebuild]
  purge        compact and delete what is older than LINKSCOPE_RAW_RETENTION_DAYS / LINKSCOPE_SESSION_RETENTION_DAYS
  migrate`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      scope: { type: "string" },
      site: { type: "string" },
      name: { type: "string" },
      rebuild: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [group, action, arg] = positionals;
  if (values.help || !group) {
    console.log(USAGE);
    return;
  }
  const config = dbConfigFromEnv();
  await applyMigrations(config);
  if (group === "migrate") return;
  if (group === "analyse") return analyse(config, values.site, values.rebuild ?? false);
  if (group === "purge") return purge(config);
  if (group !== "keys") throw new UsageError(`Unknown command "${group}".`);

  const db = openDb(config);
  try {
    if (action === "create") {
      const scope = values.scope as KeyScope | undefined;
      if (!scope || !KEY_SCOPES.includes(scope)) throw new UsageError("--scope must be ingest or read.");
      if (values.site !== undefined && !siteSlug.safeParse(values.site).success) {
        throw new UsageError("--site must be a slug: 1-64 characters a-z, 0-9 and -.");
      }
      const { key, prefix } = await createKey(db, { scope, site: values.site, name: values.name });
      console.log(`Created ${scope} key ${prefix}${values.site ? ` for site ${values.site}` : " for the whole fleet"}. It is shown only once:`);
      console.log(key);
    } else if (action === "list") {
      const keys = await listKeys(db);
      if (!keys.length) console.log("No keys yet. Create one: npm run cli -- keys create --scope ingest");
      for (const k of keys) {
        const state = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : `last used ${k.lastUsedAt?.toISOString() ?? "never"}`;
        console.log(`${k.prefix}  ${k.scope.padEnd(6)}  ${(k.site ?? "(fleet)").padEnd(20)}  ${(k.name ?? "").padEnd(20)}  ${state}`);
      }
    } else if (action === "revoke") {
      if (!arg) throw new UsageError("keys revoke needs the key's PREFIX (see keys list).");
      if (!(await revokeKey(db, arg))) throw new UsageError(`No active key with prefix ${arg}.`);
      console.log(`Revoked key ${arg}.`);
    } else {
      throw new UsageError(`Unknown keys action "${action ?? ""}".`);
    }
  } finally {
    await db.close();
  }
}

/** The full recompute: every kind for the fleet (or one site), from the digest (rebuilt first with --rebuild). */
async function analyse(config: ReturnType<typeof dbConfigFromEnv>, slug: string | undefined, rebuild: boolean): Promise<void> {
  const db = openDb(config);
  try {
    const site = slug === undefined ? null : await db.prisma.site.findUnique({ where: { slug }, select: { id: true } });
    if (slug !== undefined && !site) throw new UsageError(`No site ${slug}.`);
    const started = performance.now();
    const outcome = await runAnalysis(db, site, Date.now(), { rebuild });
    console.log(
      `Analysed ${slug ? `site ${slug}` : "the fleet"}${rebuild ? " (digest rebuilt)" : ""} in ${Math.round(performance.now() - started)} ms: ` +
        `${outcome.created} created, ${outcome.updated} updated, ${outcome.resolved} resolved, ${outcome.retracted} retracted.`,
    );
  } finally {
    await db.close();
  }
}

async function purge(config: ReturnType<typeof dbConfigFromEnv>): Promise<void> {
  const db = openDb(config);
  try {
    const started = performance.now();
    const o = await purgeExpired(db);
    const when = (ms: number | null) => (ms === null ? "kept forever" : `before ${new Date(ms).toISOString()}`);
    console.log(
      `Purged in ${Math.round(performance.now() - started)} ms (${o.transactions} transactions): raw events ${when(o.rawBefore)}: ` +
        `${o.eventsDeleted} deleted on ${o.devices} devices, ${o.heartbeatsCompacted} heartbeats kept as ${o.hoursWritten} hourly rows; ` +
        `sessions ${when(o.sessionsBefore)}: ${o.sessionsDeleted} deleted.`,
    );
  } finally {
    await db.close();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
});
