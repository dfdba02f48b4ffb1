// Answers that depend on the server's state: a per-key rate limit (429) and storage that
// stays locked (503). Neither may lose or half-store a batch.
import Database from "better-sqlite3";
import { afterAll, beforeAll, expect, test } from "vitest";
import { keyFor, postEvents, startApp, type RunningApp } from "../helpers/app";
import { sqliteTestDb, type TestDb } from "../helpers/test-db";

let t: TestDb;
let app: RunningApp;
let key: string;

const batch = (prefix: string, n: number) => ({
  events: Array.from({ length: n }, (_, i) => ({ id: `${prefix}-${i}`, device: "gw-1", site: "hamburg", type: "heartbeat", at: "2026-11-26T10:00:00Z" })),
});

beforeAll(async () => {
  t = await sqliteTestDb();
  key = await keyFor(t.db, "ingest");
  app = await startApp(t.config, { LINKSCOPE_INGEST_RATE: "5" });
});
afterAll(async () => {
  await app?.stop();
  await t?.cleanup();
});

test("over the per-key rate: 429 rate_limited with Retry-After, and nothing of that request stored", async () => {
  const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => postEvents(app.url, key, batch(`rate-${i}`, 1))));
  const limited = answers.filter((r) => r.status === 429);
  expect(limited.length).toBeGreaterThan(0);
  expect(Number(limited[0].headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  expect(await limited[0].json()).toMatchObject({ error: { code: "rate_limited" } });
  const accepted = answers.filter((r) => r.status === 200).length;
  expect(await t.db.prisma.event.count()).toBe(accepted);
});

test("storage locked by another writer: 503 unavailable with Retry-After, nothing accepted; the retry stores all", async () => {
  await new Promise((r) => setTimeout(r, 6000)); // let the bucket refill
  const blocker = new Database(t.config.provider === "sqlite" ? t.config.file : "");
  blocker.exec("BEGIN EXCLUSIVE");
  const before = await countEvents();
  let res: Response;
  try {
    res = await postEvents(app.url, key, batch("locked", 50));
  } finally {
    blocker.exec("ROLLBACK");
    blocker.close();
  }
  expect(res.status).toBe(503);
  expect(res.headers.get("retry-after")).toBeTruthy();
  expect(await res.json()).toMatchObject({ error: { code: "unavailable" } });
  expect(await countEvents()).toBe(before);
  const retry = await postEvents(app.url, key, batch("locked", 50));
  expect(await retry.json()).toMatchObject({ accepted: 50, duplicates: 0 });
});

async function countEvents(): Promise<number> {
  return t.db.prisma.event.count();
}
