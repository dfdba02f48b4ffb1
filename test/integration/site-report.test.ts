// The shared report's read model and CSV exports on both databases: one site's findings,
// devices and sessions in the link's window, and nothing of the other site.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { findingsCsv, sessionsCsv, SESSION_COLUMNS } from "@/lib/reports/exports";
import { openShare } from "@/lib/reports/share-access";
import { createShareLink, revokeShareLink } from "@/lib/reports/share-links";
import { siteReport } from "@/lib/reports/site-report";
import { startPostgres, type RunningPostgres } from "../helpers/postgres";
import { OTHER_SITE, REPORT_SITE, seedReportSites } from "../helpers/report-seed";
import { postgresTestDb, sqliteTestDb, type TestDb } from "../helpers/test-db";

let server: RunningPostgres | { skipped: string } | undefined;
beforeAll(async () => {
  server = await startPostgres();
  if ("skipped" in server) console.warn(`PostgreSQL site-report tests skipped: ${server.skipped}`);
}, 120_000);
afterAll(async () => {
  if (server && "stop" in server) await server.stop();
});

const databases: Array<[string, () => Promise<TestDb | null>]> = [
  ["SQLite", () => sqliteTestDb()],
  ["PostgreSQL", async () => (server && "url" in server ? postgresTestDb(server.url) : null)],
];

describe.each(databases)("site report on %s", (_name, open) => {
  let t: TestDb | null = null;
  let now = 0;
  beforeAll(async () => {
    t = await open();
    if (t) now = await seedReportSites(t.db);
  }, 120_000);
  afterAll(async () => {
    await t?.cleanup();
  });

  async function link(site: string) {
    const created = await createShareLink(t!.db, { siteSlug: site, createdById: null, expiresInDays: 7 }, new Date(now));
    const share = await openShare(t!.db, created!.token, new Date(now + 1000));
    return { created: created!, share: share! };
  }

  test("the report holds the link's site: its findings, asks, devices and counts", async (ctx) => {
    if (!t) return ctx.skip();
    const report = (await siteReport(t.db, (await link(REPORT_SITE.slug)).share, now + 1000))!;
    expect(report.site).toEqual({ slug: REPORT_SITE.slug, name: REPORT_SITE.name });
    expect(report.findings.map((f) => f.finding.kind).sort()).toEqual(["idle_timeout", "tls_interception"]);
    expect(report.findings.every((f) => f.finding.site === REPORT_SITE.slug)).toBe(true);
    expect(report.findings.find((f) => f.finding.kind === "idle_timeout")!.explanation.ask).toContain("tenant.example.com on port 443 above 10 minutes");
    expect(report.findings.find((f) => f.finding.kind === "tls_interception")!.evidence).toMatchObject({ chart: "chain", observation: { vendor: "Zscaler" } });
    expect(report.findings.find((f) => f.finding.kind === "idle_timeout")!.evidence).toMatchObject({ chart: "histogram", marker: { value: 900 } });
    expect(report.devices.map((d) => d.id)).toEqual(["01", "02", "03", "04", "05", "06"].map((n) => `${REPORT_SITE.devicePrefix}${n}`));
    expect(report.endpoint).toBe("tenant.example.com:443");
    expect(report.summary.sessions.drops).toBeGreaterThan(1000);
    expect(report.bySeverity).toEqual({ critical: 0, warning: 2, info: 0 });
    expect(JSON.stringify(report)).not.toContain(OTHER_SITE.devicePrefix);
  });

  test("the other site's link sees only its own port block", async (ctx) => {
    if (!t) return ctx.skip();
    const report = (await siteReport(t.db, (await link(OTHER_SITE.slug)).share, now + 1000))!;
    expect(report.findings.map((f) => [f.finding.kind, f.finding.severity])).toEqual([["port_blocked", "critical"]]);
    expect(report.findings[0].explanation.ask).toBe("Please allow outbound TCP port 443 from this site's devices to tenant.example.com.");
    expect(report.findings[0].affectedDevices).toEqual(["01", "02", "03"].map((n) => `${OTHER_SITE.devicePrefix}${n}`));
    const text = JSON.stringify(report);
    expect(text).not.toContain(REPORT_SITE.devicePrefix);
    expect(text).not.toContain(REPORT_SITE.name);
  });

  test("CSV exports: every session of the window, the findings, only this site", async (ctx) => {
    if (!t) return ctx.skip();
    const { share } = await link(REPORT_SITE.slug);
    const sessions = await new Response(sessionsCsv(t.db, share).body).text();
    const lines = sessions.split("\r\n").filter(Boolean);
    expect(lines[0]).toBe(SESSION_COLUMNS.join(","));
    const stored = await t.db.prisma.session.count({ where: { siteId: share.site.id, start: { gte: new Date(share.from), lt: new Date(share.to) } } });
    expect(lines.length - 1).toBe(stored);
    expect(lines.slice(1).every((l) => l.startsWith(REPORT_SITE.devicePrefix))).toBe(true);
    const findings = await new Response((await findingsCsv(t.db, share)).body).text();
    expect(findings).toContain("idle_timeout");
    expect(findings).toContain("tls_interception");
    expect(findings).not.toContain(OTHER_SITE.devicePrefix);
    expect(findings).not.toContain("port_blocked");
  });

  test("a revoked link opens nothing", async (ctx) => {
    if (!t) return ctx.skip();
    const { created } = await link(REPORT_SITE.slug);
    await revokeShareLink(t.db, created.link.id);
    expect(await openShare(t.db, created.token, new Date(now + 2000))).toBeNull();
  });
});
