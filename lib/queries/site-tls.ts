// "Which certificate chains do this site's devices see?" — the TLS events of the range
// grouped by endpoint and chain (leaf issuer + root): who issued them, whether that is an
// interceptor (and whose), and how many devices accepted or refused them.
import type { TlsChainSummary } from "@/lib/api/dashboard-schema";
import type { Db } from "@/lib/db/client";
import { chainRoot, tlsObservation } from "./tls-observation";
import type { TimeRange } from "./time-buckets";

/** The newest TLS events read per request; devices report one per connection at most. */
const MAX_TLS_EVENTS = 5000;
/** Chains listed: interceptions first, then the most frequent. */
const MAX_CHAINS = 12;

export async function siteTls(db: Db, siteId: number, range: TimeRange): Promise<TlsChainSummary[]> {
  const rows = await db.prisma.event.findMany({
    where: { siteId, type: "tls", at: { gte: new Date(range.from), lt: new Date(range.to) } },
    select: { at: true, data: true, deviceId: true },
    orderBy: { at: "desc" },
    take: MAX_TLS_EVENTS,
  });
  const groups = new Map<string, TlsChainSummary & { deviceIds: Set<number>; errorSet: Set<string> }>();
  for (const row of rows) {
    const o = tlsObservation(row);
    const issuer = o.chain[0]?.issuer ?? "(no chain reported)";
    const root = chainRoot(o.chain);
    const key = `${o.endpoint}\u0000${issuer}\u0000${root}`;
    let g = groups.get(key);
    if (!g) {
      g = { endpoint: o.endpoint, issuer, root, vendor: o.vendor, intercepted: o.intercepted, verified: 0, rejected: 0, errors: [], devices: 0, events: 0, lastSeen: o.at, deviceIds: new Set(), errorSet: new Set() };
      groups.set(key, g);
    }
    g.events++;
    if (o.verified) g.verified++;
    else g.rejected++;
    if (o.error) g.errorSet.add(o.error);
    g.deviceIds.add(row.deviceId);
  }
  return [...groups.values()]
    .map(({ deviceIds, errorSet, ...g }) => ({ ...g, devices: deviceIds.size, errors: [...errorSet].sort() }))
    .sort((a, b) => Number(b.intercepted) - Number(a.intercepted) || b.events - a.events)
    .slice(0, MAX_CHAINS);
}
