// The read API calls the dashboard pages make, with each page's default parameters, timed
// one request at a time against the running production build (signed in with a session
// cookie, as the browser is). Ranges are computed per request, as the hooks compute them at
// fetch time (lib/client/time-range.ts rangeWindow), so a preset slides with "now".
//
// Which page calls what (components/hooks/queries/*, components/**):
//   fleet /            fleet overview (24h); search as the user types (fleet-search.tsx)
//   site /sites/[s]    summary (7d), durations measure=idle (7d; measure=duration on the
//                      toggle), devices (site, limit 500), findings status=active (site, no range)
//   device /devices/x  device, timeline (24h), events (24h, limit 200; next page on scroll),
//                      findings status=active (device) when it has open findings
//   findings           findings status=open (30d, limit 50), sites (limit 500, filter menu),
//                      the opened finding (?id=, status=all) and its evidence
import Database from "better-sqlite3";
import { apiUrl } from "@/lib/client/api";
import { RANGE_PRESETS, rangeWindow, type PresetKey } from "@/lib/client/time-range";
import type { SeedResult } from "./ui-seed";

export interface ApiCall {
  /** the page that makes the call (and which one, for sites) */
  page: string;
  label: string;
  /** the request path, computed per request */
  path: () => string;
  /** throws when a 200 body lacks what the page needs */
  check: (body: unknown) => void;
  /** widest preset (30 d): reported apart from the pages' defaults */
  widest?: boolean;
}

export interface CallResult {
  call: ApiCall;
  example: string;
  samples: number[];
  p50: number;
  p95: number;
  max: number;
  bytes: number;
  /** the time budget ran out before the planned number of requests */
  cut: boolean;
}

export interface BenchContext {
  biggest: { slug: string; devices: number };
  median: { slug: string; devices: number };
  device: { id: string; site: string; openFindings: number };
  sites: number;
  /** the newest open finding of each kind present */
  findings: Array<{ id: number; kind: string }>;
}

export const plural = (n: number, noun: string) => `${n.toLocaleString("en-US")} ${noun}${n === 1 ? "" : "s"}`;
const range = (key: PresetKey) => rangeWindow({ kind: "preset", key });
const has = (cond: boolean, what: string) => {
  if (!cond) throw new Error(`the answer lacks ${what}`);
};
type Json = Record<string, unknown> & { items?: unknown[] };
const obj = (b: unknown) => b as Json;

export const HEALTH: ApiCall = {
  page: "baseline",
  label: "GET /api/v1/health (no database, no auth)",
  path: () => "/api/v1/health",
  check: (b) => has(obj(b).status === "ok", "status ok"),
};

export function pageCalls(c: BenchContext): ApiCall[] {
  const site = (slug: string, devices: number, tag: string): ApiCall[] => [
    {
      page: `site (${tag}, ${plural(devices, "device")})`,
      label: "summary (7 d)",
      path: () => apiUrl(`/api/v1/sites/${slug}/summary`, range("7d")),
      check: (b) => has((obj(b).site as { devices: number }).devices === devices, `${devices} devices`),
    },
    {
      page: `site (${tag}, ${plural(devices, "device")})`,
      label: "durations, idle before drop (7 d)",
      path: () => apiUrl(`/api/v1/sites/${slug}/durations`, { measure: "idle", ...range("7d") }),
      check: (b) => has(Array.isArray(obj(b).bins) && Number(obj(b).total) > 0, "histogram bins"),
    },
    {
      page: `site (${tag}, ${plural(devices, "device")})`,
      label: "durations, connection duration (7 d; on the measure toggle)",
      path: () => apiUrl(`/api/v1/sites/${slug}/durations`, { measure: "duration", ...range("7d") }),
      check: (b) => has(Array.isArray(obj(b).bins) && Number(obj(b).total) > 0, "histogram bins"),
    },
    {
      page: `site (${tag}, ${plural(devices, "device")})`,
      label: "devices (limit 500)",
      path: () => apiUrl("/api/v1/devices", { site: slug, limit: 500 }),
      check: (b) => has(obj(b).items?.length === Math.min(devices, 500), `${Math.min(devices, 500)} devices`),
    },
    {
      page: `site (${tag}, ${plural(devices, "device")})`,
      label: "findings (active; the page sends no range)",
      path: () => apiUrl("/api/v1/findings", { status: "active", site: slug, limit: 50 }),
      check: (b) => has(Array.isArray(obj(b).items), "items"),
    },
  ];
  const device = c.device.id;
  const calls: ApiCall[] = [
    {
      page: "fleet",
      label: "overview (24 h)",
      path: () => apiUrl("/api/v1/fleet/overview", range("24h")),
      check: (b) => has((obj(b).sites as unknown[]).length === c.sites, `${c.sites} sites`),
    },
    {
      page: "fleet",
      label: `search "${device.slice(0, -1)}" (as a device id is typed)`,
      path: () => apiUrl("/api/v1/search", { q: device.slice(0, -1), limit: 8 }),
      check: (b) => has((obj(b).items?.length ?? 0) > 0, "matches"),
    },
    {
      page: "fleet",
      label: `search "${c.median.slug.slice(0, -1)}" (as a site name is typed)`,
      path: () => apiUrl("/api/v1/search", { q: c.median.slug.slice(0, -1), limit: 8 }),
      check: (b) => has((obj(b).items?.length ?? 0) > 0, "matches"),
    },
    ...site(c.biggest.slug, c.biggest.devices, "biggest"),
    ...site(c.median.slug, c.median.devices, "median"),
    {
      page: "device",
      label: "detail",
      path: () => `/api/v1/devices/${encodeURIComponent(device)}`,
      check: (b) => has(obj(b).id === device, "the device"),
    },
    {
      page: "device",
      label: "timeline (24 h)",
      path: () => apiUrl(`/api/v1/devices/${encodeURIComponent(device)}/timeline`, range("24h")),
      check: (b) => has((obj(b).sessions as unknown[]).length > 0, "sessions"),
    },
    {
      page: "device",
      label: "events (24 h, first 200)",
      path: () => apiUrl(`/api/v1/devices/${encodeURIComponent(device)}/events`, { ...range("24h"), limit: 200 }),
      check: (b) => has((obj(b).items?.length ?? 0) > 0, "events"),
    },
    ...(c.device.openFindings > 0
      ? [
          {
            page: "device" as const,
            label: "findings (active; only for a device with open findings)",
            path: () => apiUrl("/api/v1/findings", { status: "active", device, limit: 50 }),
            check: (b: unknown) => has((obj(b).items?.length ?? 0) > 0, "findings"),
          },
        ]
      : []),
    {
      page: "findings",
      label: "list (open, 30 d)",
      path: () => apiUrl("/api/v1/findings", { status: "open", ...range("30d"), limit: 50 }),
      check: (b) => has((obj(b).items?.length ?? 0) > 0, "findings"),
    },
    {
      page: "findings",
      label: "sites (filter menu, limit 500)",
      path: () => apiUrl("/api/v1/sites", { limit: 500 }),
      check: (b) => has(obj(b).items?.length === Math.min(c.sites, 500), `${c.sites} sites`),
    },
  ];
  if (c.findings.length) {
    const opened = c.findings[0];
    calls.push({
      page: "findings",
      label: "the opened finding (?id=, status all)",
      path: () => apiUrl("/api/v1/findings", { id: opened.id, status: "all", limit: 1 }),
      check: (b) => has(obj(b).items?.length === 1, "the finding"),
    });
  }
  for (const f of c.findings) {
    calls.push({
      page: "findings",
      label: `evidence of the opened finding: ${f.kind}`,
      path: () => `/api/v1/findings/${f.id}/evidence`,
      check: (b) => has(typeof obj(b).chart === "string", "a chart"),
    });
  }
  return calls;
}

/** The widest preset (30 d) where the pages offer it on the heaviest read models. */
export function widestCalls(c: BenchContext): ApiCall[] {
  const days = RANGE_PRESETS.find((p) => p.key === "30d")!.label;
  return [
    {
      page: "fleet",
      label: `overview (${days})`,
      path: () => apiUrl("/api/v1/fleet/overview", range("30d")),
      check: (b) => has((obj(b).sites as unknown[]).length === c.sites, `${c.sites} sites`),
      widest: true,
    },
    ...[c.biggest, c.median].map(
      (s, i): ApiCall => ({
        page: `site (${i === 0 ? "biggest" : "median"}, ${plural(s.devices, "device")})`,
        label: `summary (${days})`,
        path: () => apiUrl(`/api/v1/sites/${s.slug}/summary`, range("30d")),
        check: (b) => has((obj(b).site as { devices: number }).devices === s.devices, `${s.devices} devices`),
        widest: true,
      }),
    ),
  ];
}

/** Nearest-rank percentile of ascending samples. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

async function once(base: string, cookie: string, path: string, check: (body: unknown) => void, timeoutMs: number): Promise<{ ms: number; bytes: number; body: unknown }> {
  const t0 = performance.now();
  const res = await fetch(base + path, { headers: { cookie, accept: "application/json" }, signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  const ms = performance.now() - t0;
  if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${text.slice(0, 300)}`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`GET ${path}: the answer is not JSON: ${text.slice(0, 200)}`);
  }
  try {
    check(body);
  } catch (error) {
    throw new Error(`GET ${path}: ${(error as Error).message} (${text.length} bytes: ${text.slice(0, 200)})`);
  }
  return { ms, bytes: text.length, body };
}

/** One call: warm-up requests, then sequential ones until `requests` are timed or the budget is spent (never fewer than `minRequests`). */
export async function measureCall(
  base: string,
  cookie: string,
  call: ApiCall,
  o: { warmup: number; requests: number; minRequests: number; budgetMs: number; timeoutMs: number },
): Promise<CallResult> {
  for (let i = 0; i < o.warmup; i++) await once(base, cookie, call.path(), call.check, o.timeoutMs);
  const samples: number[] = [];
  let bytes = 0;
  const started = performance.now();
  const example = call.path();
  while (samples.length < o.requests && (samples.length < o.minRequests || performance.now() - started < o.budgetMs)) {
    const r = await once(base, cookie, call.path(), call.check, o.timeoutMs);
    samples.push(r.ms);
    bytes = r.bytes;
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return { call, example, samples, p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), max: sorted[sorted.length - 1], bytes, cut: samples.length < o.requests };
}

/** A request the pages make that follows from another answer: the event log's next page. */
export async function nextEventsPage(base: string, cookie: string, device: string): Promise<ApiCall | null> {
  const first = (await once(base, cookie, apiUrl(`/api/v1/devices/${encodeURIComponent(device)}/events`, { ...range("24h"), limit: 200 }), () => {}, 120_000)).body as { nextCursor: string | null };
  if (!first.nextCursor) return null;
  const cursor = first.nextCursor;
  return {
    page: "device",
    label: "events, next page (as the log scrolls)",
    // The cursor pins the page; the range still slides as the hook's would on a refetch.
    path: () => apiUrl(`/api/v1/devices/${encodeURIComponent(device)}/events`, { ...range("24h"), limit: 200, cursor }),
    check: (b) => has((obj(b).items?.length ?? 0) > 0, "events"),
  };
}

/** What to ask for: the biggest and the median site, an online device of the biggest one, the newest open finding of each kind. */
export function benchContext(seed: SeedResult): BenchContext {
  const db = new Database(seed.file, { readonly: true });
  try {
    const device = db
      .prepare(
        `SELECT d.id, d.externalId FROM Device d JOIN Site s ON s.id = d.siteId
         WHERE s.slug = ? AND EXISTS (SELECT 1 FROM Session x WHERE x.deviceId = d.id AND x."end" IS NULL) ORDER BY d.id LIMIT 1`,
      )
      .get(seed.sites.biggest.slug) as { id: number; externalId: string } | undefined;
    if (!device) throw new Error(`no online device at ${seed.sites.biggest.slug}`);
    const openFindings = db.prepare(`SELECT COUNT(*) FROM Finding WHERE deviceId = ? AND status IN ('open', 'acknowledged')`).pluck().get(device.id) as number;
    const findings = db.prepare(`SELECT MAX(id) AS id, kind FROM Finding WHERE status = 'open' GROUP BY kind ORDER BY kind`).all() as Array<{ id: number; kind: string }>;
    return {
      biggest: seed.sites.biggest,
      median: seed.sites.median,
      device: { id: device.externalId, site: seed.sites.biggest.slug, openFindings },
      sites: seed.counts.sites,
      findings,
    };
  } finally {
    db.close();
  }
}

/** Two measurements of one call as one (the health baseline, before and after the calls). */
export function mergeResults(a: CallResult, b: CallResult): CallResult {
  const samples = [...a.samples, ...b.samples];
  const sorted = [...samples].sort((p, q) => p - q);
  return { ...a, samples, p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), max: sorted[sorted.length - 1], cut: a.cut || b.cut };
}
