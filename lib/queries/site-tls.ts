// "Which certificate chains do this site's devices see?" — the TLS events of the range
// grouped by endpoint and chain (leaf issuer + root): who issued them, whether that is an
// interceptor (and whose), and how many devices accepted or refused them.
import type { TlsChainSummary, TlsObservation } from "@/lib/contract/dashboard";
import type { Db } from "@/lib/db/client";
import { msOf, sqlRows, timeParam } from "@/lib/db/sql";
import { chainRoot, tlsObservation, withFindingVerdicts } from "./tls-observation";
import type { TimeRange } from "./time-buckets";

/** The newest TLS events read per request; devices report one per connection at most. */
const MAX_TLS_EVENTS = 5000;
/** Chains listed: interceptions first, then the most frequent. */
const MAX_CHAINS = 12;

export async function siteTls(db: Db, siteId: number, range: TimeRange): Promise<TlsChainSummary[]> {
  const t = timeParam(db);
  // A device sends the same chain on every connection: grouped by payload and device inside
  // the database, a big site's thousands of events become a few distinct chains to parse.
  const rows = await sqlRows<{ data: string; deviceId: number; events: number; at: number }>(
    db,
    `SELECT "data", "deviceId", COUNT(*) AS "events", MAX("at") AS "at"
     FROM (SELECT "data", "deviceId", ${msOf(db, `"at"`)} AS "at" FROM "Event"
           WHERE "siteId" = ? AND "type" = 'tls' AND "at" >= ${t} AND "at" < ${t} ORDER BY "Event"."at" DESC LIMIT ${MAX_TLS_EVENTS}) AS newest
     GROUP BY "data", "deviceId"`,
    [siteId, range.from, range.to],
  );
  const groups = new Map<string, TlsChainSummary & { chain: TlsObservation["chain"]; deviceIds: Set<number>; errorSet: Set<string> }>();
  for (const row of rows) {
    const o = tlsObservation({ at: new Date(Number(row.at)), data: row.data });
    const issuer = o.chain[0]?.issuer ?? "(no chain reported)";
    const root = chainRoot(o.chain);
    const key = `${o.endpoint}\u0000${issuer}\u0000${root}`;
    let g = groups.get(key);
    if (!g) {
      g = { endpoint: o.endpoint, issuer, root, vendor: o.vendor, intercepted: o.intercepted, verdict: o.verdict, chain: o.chain, verified: 0, rejected: 0, errors: [], devices: 0, events: 0, lastSeen: o.at, deviceIds: new Set(), errorSet: new Set() };
      groups.set(key, g);
    }
    const events = Number(row.events);
    g.events += events;
    if (o.verified) g.verified += events;
    else g.rejected += events;
    if (o.error) g.errorSet.add(o.error);
    if (o.at > g.lastSeen) g.lastSeen = o.at;
    g.deviceIds.add(row.deviceId);
  }
  const judged = await withFindingVerdicts(db, siteId, [...groups.values()]);
  return judged
    .map(({ deviceIds, errorSet, chain: _chain, ...g }) => ({ ...g, devices: deviceIds.size, errors: [...errorSet].sort() }))
    .sort((a, b) => Number(b.intercepted) - Number(a.intercepted) || b.events - a.events || a.endpoint.localeCompare(b.endpoint) || a.issuer.localeCompare(b.issuer))
    .slice(0, MAX_CHAINS);
}
