// One story, one finding (issue 13): a nightly cut analysed night by night, as history arrives,
// first looks like outages; once it has recurred enough to be a schedule, those outages are
// withdrawn — and a real outage on the same site at another time stays.
import { afterAll, beforeAll, expect, test } from "vitest";
import { ingest } from "@/lib/ingest";
import { runAnalysis } from "@/lib/findings/run";
import { sqliteTestDb, type TestDb } from "../helpers/test-db";

const DAY = 86_400_000;
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const NOW = Math.floor(Date.now() / DAY) * DAY + 12 * 3_600_000;
const DEVICES = 8;

let t: TestDb;
beforeAll(async () => {
  t = await sqliteTestDb();
});
afterAll(() => t?.cleanup());

const OUTAGE_AT = NOW - 3 * DAY + 2 * 3_600_000; // 14:00, three days ago

/**
 * Each device's history as ends and reconnects: cut at 02:00 every night (back a minute
 * later), and once, in the afternoon three days ago, a real outage (back after 20 minutes).
 */
function history(d: number) {
  const cuts = [7, 6, 5, 4, 3, 2, 1].map((day) => ({ at: NOW - day * DAY - 10 * 3_600_000 + d * 5000, back: MIN, reason: "reset" }));
  const all = [...cuts, { at: OUTAGE_AT + d * 3000, back: 20 * MIN, reason: "timeout" }].sort((a, b) => a.at - b.at);
  const events = [{ id: `d${d}-c0`, device: `gw-${d}`, site: "plant", type: "connect", session: `s${d}-0`, endpoint: "tenant.example.com:443", at: iso(NOW - 8 * DAY) }];
  all.forEach((cut, i) => {
    events.push(
      { id: `d${d}-x${i}`, device: `gw-${d}`, site: "plant", type: "disconnect", session: `s${d}-${i}`, reason: cut.reason, idleS: 20 + ((d * 37 + i * 101) % 250), at: iso(cut.at) } as never,
      { id: `d${d}-c${i + 1}`, device: `gw-${d}`, site: "plant", type: "connect", session: `s${d}-${i + 1}`, endpoint: "tenant.example.com:443", at: iso(cut.at + cut.back) },
    );
  });
  return events;
}

test("outages raised on the first nights are withdrawn once the schedule is found; a real outage stays", async () => {
  const events = Array.from({ length: DEVICES }, (_, d) => history(d)).flat();
  const plant = async () => t.db.prisma.site.findUnique({ where: { slug: "plant" } });
  const kinds = async (siteId: number) => (await t.db.prisma.finding.findMany({ where: { siteId }, select: { kind: true } })).map((f) => f.kind).sort();
  // History arrives night by night, and the site is analysed after each (as ingest pokes it).
  for (let day = 7; day >= 0; day--) {
    const until = NOW - day * DAY;
    const batch = events.filter((e) => Date.parse(e.at) < until && Date.parse(e.at) >= until - DAY - (day === 7 ? DAY : 0));
    if (batch.length) await ingest(t.db, { site: null }, batch, until);
    const site = await plant();
    if (site) await runAnalysis(t.db, { id: site.id }, until);
    if (day === 6 && site) expect(await kinds(site.id)).toContain("outage");
  }
  const site = (await plant())!;
  const left = await t.db.prisma.finding.findMany({ where: { siteId: site.id }, select: { kind: true, evidence: true } });
  expect(left.map((f) => f.kind).sort()).toEqual(["outage", "scheduled_drop"]);
  const start = Date.parse((JSON.parse(left.find((f) => f.kind === "outage")!.evidence) as { start: string }).start);
  expect(Math.abs(start - OUTAGE_AT)).toBeLessThan(5 * MIN);
});
