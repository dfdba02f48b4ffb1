// The auth matrix: EVERY API route and method (found by walking app/api/**/route.ts), every
// page (app/**/page.tsx) and the shared report's downloads (app/r/**/route.ts), each asked
// by every kind of caller — no credentials, an ingest key, a fleet read key, another site's
// read key, viewer, operator, admin, a share link of this site and of another, an expired
// and a revoked link — against the production build. The right answer is derived from
// lib/auth/permissions.ts plus one access line per route (./auth-matrix/api-routes.ts).
import { evidenceFor } from "../helpers/evidence";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createKey } from "@/lib/auth/key-admin";
import { createUser } from "@/lib/auth/users";
import { createShareLink } from "@/lib/reports/share-links";
import { startApp, type RunningApp } from "../helpers/app";
import { OTHER_SITE, REPORT_SITE, seedReportSites } from "../helpers/report-seed";
import { sqliteTestDb, type TestDb } from "../helpers/test-db";
import { apiRules, expectedStatus, type MatrixContext, type Sample } from "./auth-matrix/api-routes";
import { PAGE_PARAMS, SPECIAL_PAGES, dashboardPage, reportAnswer, type PageAnswer } from "./auth-matrix/pages";
import { matrixCallers, type Caller } from "./auth-matrix/principals";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

function walk(dir: string, file: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? walk(full, file) : e.name === file ? [full] : [];
  });
}
const routeMethods = (file: string) => METHODS.filter((m) => new RegExp(`export (async )?(function|const) ${m}\\b`).test(fs.readFileSync(file, "utf8")));
const template = (file: string) => `/${path.dirname(file).replace(/^app\//, "")}`.replace(/\[(\w+)\]/g, "{$1}");
/** URL path of a page file: route groups dropped, dynamic segments kept as {param}. */
const pagePath = (file: string) => `/${path.dirname(file).replace(/^app\/?/, "").split("/").filter((s) => s && !/^\(.*\)$/.test(s)).join("/")}`.replace(/\[(\w+)\]/g, "{$1}");

const API = walk("app/api", "route.ts").flatMap((f) => routeMethods(f).map((m) => `${m} ${template(f)}`)).sort();
const REPORT_ROUTES = walk("app/r", "route.ts").map(template).sort();
const PAGES = walk("app", "page.tsx").map(pagePath).sort();
const SITES = { this: REPORT_SITE, other: OTHER_SITE };

let t: TestDb;
let app: RunningApp;
let callers: Caller[];
let ctx: MatrixContext;
const checked = { api: 0, pages: 0, report: 0 };

async function call(method: string, url: string, caller: Caller, sample: Partial<Sample> = {}) {
  const headers = await caller.headers(sample.freshSession);
  const body = sample.body?.();
  const res = await fetch(`${app.url}${url}`, {
    method,
    headers: { ...headers, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
    redirect: "manual",
  });
  return { status: res.status, location: res.headers.get("location"), type: res.headers.get("content-type") ?? "", disposition: res.headers.get("content-disposition") ?? "", text: await res.text() };
}

beforeAll(async () => {
  t = await sqliteTestDb();
  await seedReportSites(t.db);
  app = await startApp(t.config, { LINKSCOPE_BACKGROUND: "off" });
  // First run: before any account exists, setup is the one open page and everything leads to it.
  const none = { name: "no credentials", principal: null, headers: async () => ({}) };
  expect((await call("GET", "/setup", none)).status).toBe(200);
  for (const p of ["/", "/login", "/settings/keys"]) expect((await call("GET", p, none)).location, p).toBe("/setup");

  callers = await matrixCallers(app.url, t.db);
  const hamburg = await t.db.prisma.site.findUniqueOrThrow({ where: { slug: REPORT_SITE.slug } });
  const finding = await t.db.prisma.finding.findFirstOrThrow({ where: { siteId: hamburg.id, kind: "idle_timeout" } });
  const now = new Date();
  const spare = await t.db.prisma.finding.create({
    data: { kind: "flapping", scope: "device", scopeKey: "gw-hh-06", key: "matrix", siteId: hamburg.id, status: "open", severity: "info", title: "matrix", summary: "matrix", recommendation: "matrix", evidence: JSON.stringify(evidenceFor("flapping")), firstSeen: now, lastSeen: now, updatedAt: now },
  });
  ctx = {
    findingId: finding.id,
    spareFindingId: spare.id,
    spareKeyPrefix: (await createKey(t.db, { scope: "read", name: "matrix spare" })).prefix,
    spareLinkId: (await createShareLink(t.db, { siteSlug: REPORT_SITE.slug, createdById: null, expiresInDays: 1 }))!.link.id,
    spareUserId: (await createUser(t.db, { email: `spare-${process.pid}@example.com`, name: "spare", role: "operator", password: "correct horse battery staple" })).id,
    removableUserId: (await createUser(t.db, { email: `removable-${process.pid}@example.com`, name: "removable", role: "viewer", password: "correct horse battery staple" })).id,
  };
}, 240_000);

afterAll(async () => {
  const total = checked.api + checked.pages + checked.report;
  console.log(
    `auth matrix: ${total} checks = ${callers?.length ?? 0} callers × (${API.length} API route methods, ${PAGES.length} pages, ${REPORT_ROUTES.length} report downloads, with their samples)` +
      ` — API ${checked.api}, pages ${checked.pages}, report downloads ${checked.report}`,
  );
  await app?.stop();
  await t?.cleanup();
});

test("every API route file and method has an access rule, and every rule a route", () => {
  const declared = Object.keys(apiRules({ findingId: 1, spareFindingId: 1, spareKeyPrefix: "x", spareLinkId: 1, spareUserId: 1, removableUserId: 1 })).sort();
  expect(API.length).toBeGreaterThan(25);
  expect(declared).toEqual(API);
});

describe("API routes", () => {
  test.each(API)("%s", async (route) => {
    const [method] = route.split(" ");
    const rule = apiRules(ctx)[route];
    const wrong: string[] = [];
    for (const sample of rule.samples) {
      for (const caller of callers) {
        const res = await call(method, sample.path, caller, sample);
        checked.api++;
        const want = expectedStatus(rule.access, caller.principal, sample);
        if (!want.includes(res.status)) wrong.push(`${caller.name}: ${method} ${sample.path} → ${res.status}, want ${want.join("/")} (${res.text.slice(0, 120)})`);
        // A site-confined caller's 200 must hold nothing of another site.
        const own = caller.principal && caller.principal.kind !== "user" ? caller.principal.site?.slug : undefined;
        if (res.status === 200 && own === OTHER_SITE.slug && (res.text.includes(REPORT_SITE.devicePrefix) || res.text.includes(`"${REPORT_SITE.slug}"`))) {
          wrong.push(`${caller.name}: ${method} ${sample.path} leaks site ${REPORT_SITE.slug}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe("cross-site writes: another site's ingest key", () => {
  test("cannot write into, or take over, a device of this site: refused item by item, nothing stored, the device untouched", async () => {
    const other = callers.find((c) => c.name === "ingest key (other site)")!;
    const device = `${REPORT_SITE.devicePrefix}01`;
    const before = await t.db.prisma.device.findUniqueOrThrow({ where: { externalId: device }, include: { _count: { select: { events: true } } } });
    const at = new Date().toISOString();
    const events = [
      { id: `x-${process.pid}-1`, device, type: "heartbeat", at, site: REPORT_SITE.slug },
      { id: `x-${process.pid}-2`, device, type: "heartbeat", at },
      { id: `x-${process.pid}-3`, device, type: "heartbeat", at, site: OTHER_SITE.slug },
      { id: `x-${process.pid}-4`, device, type: "connect", session: "takeover", endpoint: "tenant.example.com:443", at, site: OTHER_SITE.slug },
      // its own new device is fine
      { id: `x-${process.pid}-5`, device: `${OTHER_SITE.devicePrefix}new-${process.pid}`, type: "heartbeat", at },
    ];
    const res = await fetch(`${app.url}/api/v1/events`, { method: "POST", headers: { ...(await other.headers()), "content-type": "application/json" }, body: JSON.stringify({ events }) });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { accepted: number; rejected: Array<{ index: number; error: { code: string } }> };
    expect(answer.accepted).toBe(1);
    expect(answer.rejected.map((r) => [r.index, r.error.code])).toEqual([
      [0, "site_forbidden"],
      [1, "device_forbidden"],
      [2, "device_forbidden"],
      [3, "device_forbidden"],
    ]);
    const after = await t.db.prisma.device.findUniqueOrThrow({ where: { externalId: device }, include: { _count: { select: { events: true } } } });
    expect({ siteId: after.siteId, events: after._count.events, lastSeen: after.lastSeen, lastAt: after.lastAt }).toEqual({
      siteId: before.siteId,
      events: before._count.events,
      lastSeen: before.lastSeen,
      lastAt: before.lastAt,
    });
    expect(await t.db.prisma.session.count({ where: { deviceId: before.id, session: "takeover" } })).toBe(0);
    expect(await t.db.prisma.deviceSiteChange.count({ where: { deviceId: before.id } })).toBe(0);
  });
});

function checkPage(answer: PageAnswer, res: Awaited<ReturnType<typeof call>>, label: string): string[] {
  if (res.status !== answer.status) return [`${label} → ${res.status}, want ${answer.status} ${res.location ?? ""}`];
  if (answer.status === 307) {
    const where = res.location ? new URL(res.location, app.url) : null;
    return where && answer.location.test(`${where.pathname}${where.search}`) ? [] : [`${label} → redirected to ${res.location}, want ${answer.location}`];
  }
  const problems = answer.contains.filter((s) => !res.text.includes(s)).map((s) => `${label} lacks "${s}"`);
  if (answer.status === 200) problems.push(...(answer.lacks ?? []).filter((s) => res.text.includes(s)).map((s) => `${label} shows "${s}"`));
  return problems;
}

function fill(pathTemplate: string, caller: Caller): string {
  return pathTemplate.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = PAGE_PARAMS[name];
    if (!value) throw new Error(`${pathTemplate}: no sample value for {${name}} in auth-matrix/pages.ts`);
    return value(caller);
  });
}

describe("pages", () => {
  test.each(PAGES)("%s", async (page) => {
    const wrong: string[] = [];
    for (const caller of callers) {
      const url = fill(page, caller);
      const answer = page === "/r/{token}" ? reportAnswer(caller, SITES) : (SPECIAL_PAGES[page] ?? dashboardPage)(caller, url);
      wrong.push(...checkPage(answer, await call("GET", url, caller), `${caller.name}: ${url}`));
      checked.pages++;
    }
    expect(wrong).toEqual([]);
  });
});

describe("shared report downloads", () => {
  test.each(REPORT_ROUTES)("GET %s", async (route) => {
    const wrong: string[] = [];
    for (const caller of callers) {
      const url = fill(route, caller);
      const res = await call("GET", url, caller);
      checked.report++;
      const site = caller.share?.site;
      if (!site) {
        if (res.status !== 404 || !res.text.includes("expired or was revoked")) wrong.push(`${caller.name}: ${url} → ${res.status}, want 404`);
        continue;
      }
      const other = site.slug === REPORT_SITE.slug ? OTHER_SITE : REPORT_SITE;
      if (res.status !== 200 || !res.type.startsWith("text/csv") || !res.disposition.startsWith("attachment")) wrong.push(`${caller.name}: ${url} → ${res.status} ${res.type}`);
      if (res.text.includes(other.devicePrefix)) wrong.push(`${caller.name}: ${url} holds ${other.slug}'s devices`);
    }
    expect(wrong).toEqual([]);
  });
});
