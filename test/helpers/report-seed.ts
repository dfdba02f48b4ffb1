// Two sites with faults a customer's IT team would be asked to fix, as wire events, for the
// share-link report tests and screenshots:
//   hamburg — a firewall that resets connections idle for 15 minutes, and a Zscaler proxy
//             that intercepts TLS on two of the gateways;
//   berlin  — outbound 443 refused: nothing ever connects.
// Device names differ per site (gw-hh-*, gw-be-*) so a test can tell one site's data in
// another's report. Deterministic: the same `now` gives the same events.
import type { Db } from "@/lib/db/client";
import { runAnalysis } from "@/lib/findings/run";
import { ingest } from "@/lib/ingest";

export const REPORT_SITE = { slug: "hamburg", name: "Hamburg plant", devicePrefix: "gw-hh-" };
export const OTHER_SITE = { slug: "berlin", name: "Berlin office", devicePrefix: "gw-be-" };
export const ENDPOINT = "tenant.example.com:443";

type WireEvent = Record<string, unknown>;

const ZSCALER_CHAIN = [
  { subject: "CN=tenant.example.com", issuer: "CN=Zscaler Intermediate Root CA (zscalertwo.net) (t), OU=Zscaler Inc., O=Zscaler Inc., L=San Jose, ST=California, C=US", sha256: "a1".repeat(32) },
  {
    subject: "CN=Zscaler Intermediate Root CA (zscalertwo.net) (t), OU=Zscaler Inc., O=Zscaler Inc., L=San Jose, ST=California, C=US",
    issuer: "CN=Zscaler Root CA, OU=Zscaler Inc., O=Zscaler Inc., L=San Jose, ST=California, C=US",
    sha256: "b2".repeat(32),
  },
  {
    subject: "CN=Zscaler Root CA, OU=Zscaler Inc., O=Zscaler Inc., L=San Jose, ST=California, C=US",
    issuer: "CN=Zscaler Root CA, OU=Zscaler Inc., O=Zscaler Inc., L=San Jose, ST=California, C=US",
    sha256: "c3".repeat(32),
  },
];

/** A small deterministic jitter in [-1, 1) from two integers. */
const jitter = (a: number, b: number) => (((a * 7919 + b * 104_729) % 1000) / 500) - 1;

function hamburg(now: number): WireEvent[] {
  const out: WireEvent[] = [];
  const iso = (ms: number) => new Date(ms).toISOString();
  const site = REPORT_SITE.slug;
  const publicIp = "198.51.100.23";
  for (let d = 1; d <= 6; d++) {
    const device = `${REPORT_SITE.devicePrefix}${String(d).padStart(2, "0")}`;
    let t = now - 6 * 86_400_000 + d * 97_000;
    for (let i = 0; t < now - 2 * 3_600_000; i++) {
      const session = `s${i}`;
      out.push({ id: `c${i}`, device, site, publicIp, type: "connect", session, endpoint: ENDPOINT, transport: "long-polling", at: iso(t) });
      // Every 7th connection is closed by the device after a short while; the rest die idle at ~900 s.
      const clean = i % 7 === 3;
      const idleS = clean ? 0 : 900 + 4 * jitter(d, i);
      const durationS = clean ? 300 + 200 * (jitter(i, d) + 1) : idleS + 120 + 60 * (jitter(i, d) + 1);
      t += durationS * 1000;
      out.push({
        id: `d${i}`, device, site, publicIp, type: "disconnect", session,
        reason: clean ? "client_closed" : "reset", ...(clean ? {} : { errno: "ECONNRESET", idleS: Math.round(idleS * 10) / 10, maxIdleS: 840 }),
        durationS: Math.round(durationS), at: iso(t),
      });
      t += 5_000;
    }
    out.push({ id: "hb", device, site, publicIp, type: "heartbeat", intervalS: 60, rttMs: 40 + d, at: iso(now - 30_000) });
    if (d <= 2) {
      out.push({ id: "tls1", device, site, publicIp, type: "tls", endpoint: ENDPOINT, verified: false, error: "SELF_SIGNED_CERT_IN_CHAIN", protocol: "TLSv1.3", chain: ZSCALER_CHAIN, at: iso(now - 3 * 3_600_000 + d * 1000) });
    }
  }
  return out;
}

function berlin(now: number): WireEvent[] {
  const out: WireEvent[] = [];
  const site = OTHER_SITE.slug;
  for (let d = 1; d <= 3; d++) {
    const device = `${OTHER_SITE.devicePrefix}${String(d).padStart(2, "0")}`;
    for (let i = 0; i < 12; i++) {
      const at = new Date(now - 5 * 3_600_000 + i * 15 * 60_000 + d * 1000).toISOString();
      out.push({ id: `f${i}`, device, site, type: "connect_failed", endpoint: ENDPOINT, stage: "tcp", errno: "ECONNREFUSED", elapsedMs: 12, at });
    }
    out.push({ id: "hb", device, site, type: "heartbeat", intervalS: 60, at: new Date(now - 20_000).toISOString() });
  }
  return out;
}

/** Stores both sites' events, names the sites, runs the analysis; returns the analysis moment. */
export async function seedReportSites(db: Db, now = Date.now()): Promise<number> {
  const events = [...hamburg(now), ...berlin(now)];
  for (let i = 0; i < events.length; i += 1000) {
    const result = await ingest(db, { site: null }, events.slice(i, i + 1000), now);
    if (result.rejected.length) throw new Error(`seed events rejected: ${JSON.stringify(result.rejected.slice(0, 3))}`);
  }
  await db.prisma.site.update({ where: { slug: REPORT_SITE.slug }, data: { name: REPORT_SITE.name } });
  await db.prisma.site.update({ where: { slug: OTHER_SITE.slug }, data: { name: OTHER_SITE.name } });
  await runAnalysis(db, null, now);
  return now;
}
