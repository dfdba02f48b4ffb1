// A platform on a private CA (issue 13): what every site sees is the platform's own, a site
// that sees another chain is intercepted, and a private chain nothing can judge is undecided —
// the same verdict in the findings and on the site page.
import { afterAll, beforeAll, expect, test } from "vitest";
import { runAnalysis } from "@/lib/findings/run";
import { ingest } from "@/lib/ingest";
import { siteTls } from "@/lib/queries/site-tls";
import { sqliteTestDb, type TestDb } from "../helpers/test-db";

const NOW = Date.now();
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const hex = (n: number) => n.toString(16).padStart(2, "0").repeat(32);

function chain(root: string, host: string, n: number) {
  return [
    { subject: `CN=${host}`, issuer: root, sha256: hex(n) },
    { subject: root, issuer: root, sha256: hex(n + 1) },
  ];
}

const PLATFORM = "CN=Initech Platform Root, O=Initech";
const PROXY = "CN=Initech Branch Gateway CA, O=Initech";
let t: TestDb;

beforeAll(async () => {
  t = await sqliteTestDb();
  const events = [
    ...["north", "south", "east"].map((site, i) => ({ id: `t-${site}`, device: `${site}-gw`, site, type: "tls", endpoint: "iot.initech.example:443", verified: true, chain: chain(PLATFORM, "iot.initech.example", 10), at: iso(NOW - HOUR - i * 1000) })),
    { id: "t-west", device: "west-gw", site: "west", type: "tls", endpoint: "iot.initech.example:443", verified: false, error: "SELF_SIGNED_CERT_IN_CHAIN", chain: chain(PROXY, "iot.initech.example", 20), at: iso(NOW - HOUR) },
    { id: "t-lab", device: "lab-gw", site: "lab", type: "tls", endpoint: "lab.initech.example:8443", verified: true, chain: chain("CN=Lab Root, O=Initech", "lab.initech.example", 30), at: iso(NOW - HOUR) },
  ];
  const result = await ingest(t.db, { site: null }, events, NOW);
  expect(result.accepted).toBe(events.length);
  await runAnalysis(t.db, null, NOW);
});
afterAll(() => t?.cleanup());

const siteId = async (slug: string) => (await t.db.prisma.site.findUniqueOrThrow({ where: { slug } })).id;
const range = { from: NOW - 2 * HOUR, to: NOW };

test("the private root every site sees is the platform's own: no finding, and the page says so", async () => {
  expect(await t.db.prisma.finding.count({ where: { siteId: await siteId("north") } })).toBe(0);
  const [north] = await siteTls(t.db, await siteId("north"), range);
  expect([north.verdict, north.intercepted]).toEqual(["platform", false]);
});

test("a site that sees another chain is intercepted, in the finding and on the page", async () => {
  const [finding] = await t.db.prisma.finding.findMany({ where: { siteId: await siteId("west") } });
  expect(finding.kind).toBe("tls_interception");
  expect(JSON.parse(finding.evidence).reason).toBe("other_sites_differ");
  const [west] = await siteTls(t.db, await siteId("west"), range);
  expect([west.verdict, west.intercepted]).toEqual(["intercepted", true]);
});

test("a private chain only one site reaches, directly, is undecided (info) and says how to decide", async () => {
  const [finding] = await t.db.prisma.finding.findMany({ where: { siteId: await siteId("lab") } });
  expect([finding.kind, finding.severity, JSON.parse(finding.evidence).reason]).toEqual(["tls_interception", "info", "undecided"]);
  expect(finding.recommendation).toContain("LINKSCOPE_TLS_PINS");
  const [lab] = await siteTls(t.db, await siteId("lab"), range);
  expect([lab.verdict, lab.intercepted]).toEqual(["undecided", false]);
});
