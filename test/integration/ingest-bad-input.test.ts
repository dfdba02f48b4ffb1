// What broken firmware, replaying proxies and attackers send to POST /api/v1/events, over
// real HTTP against the production build on a real SQLite file. Every answer must be the
// documented status and error shape, valid items in a batch must be stored, nothing
// already accepted may be lost, and bad input must never produce a 5xx.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { revokeKey } from "@/lib/auth/key-admin";
import { keyFor, postEvents, startApp, type RunningApp } from "../helpers/app";
import { rng } from "../helpers/random";
import { sqliteTestDb, type TestDb } from "../helpers/test-db";

let t: TestDb;
let app: RunningApp;
let fleetKey: string;
let siteKey: string;
let readKey: string;
let acceptedSoFar = 0;

const AT = "2026-11-26T10:00:00.000Z";
let seq = 0;
const valid = (over: Record<string, unknown> = {}) => ({ id: `ok-${seq++}`, device: "dev-a", site: "hamburg", type: "heartbeat", at: AT, intervalS: 60, ...over });

async function send(body: unknown, key: string | null = fleetKey, headers: Record<string, string> = {}) {
  const res = await postEvents(app.url, key, body, headers);
  const json = (await res.json()) as Record<string, any>;
  if (res.status === 200) acceptedSoFar += json.accepted;
  return { status: res.status, json, headers: res.headers };
}

function expectError(r: { status: number; json: Record<string, any> }, status: number, code: string) {
  expect(r.status).toBe(status);
  expect(r.json).toEqual({ error: expect.objectContaining({ code, message: expect.any(String) }) });
  expect(r.json.error.message.length).toBeGreaterThan(10);
}

beforeAll(async () => {
  t = await sqliteTestDb();
  fleetKey = await keyFor(t.db, "ingest");
  siteKey = await keyFor(t.db, "ingest", "hamburg");
  readKey = await keyFor(t.db, "read");
  // No key cache: a key revoked behind the server's back must fail on the next request here
  // (tenant-isolation.test.ts checks the cached bound).
  app = await startApp(t.config, { LINKSCOPE_KEY_CACHE_S: "0" });
});
afterAll(async () => {
  await app?.stop();
  await t?.cleanup();
});

describe("who is calling", () => {
  test("no key: 401 unauthenticated", async () => expectError(await send({ events: [valid()] }, null), 401, "unauthenticated"));
  test("a malformed key: 401", async () => expectError(await send({ events: [valid()] }, "hunter2"), 401, "unauthenticated"));
  test("a well-formed unknown key: 401", async () =>
    expectError(await send({ events: [valid()] }, `lsk_abcdefgh_${"A".repeat(43)}`), 401, "unauthenticated"));
  test("a read key on ingest: 403 forbidden", async () => expectError(await send({ events: [valid()] }, readKey), 403, "forbidden"));
  test("a revoked key: 401, and it worked before", async () => {
    const key = await keyFor(t.db, "ingest");
    expect((await send({ events: [valid()] }, key)).status).toBe(200);
    await revokeKey(t.db, key.split("_")[1]);
    expectError(await send({ events: [valid()] }, key), 401, "unauthenticated");
  });
});

describe("the body as a whole", () => {
  test("wrong content type: 415", async () =>
    expectError(await send(JSON.stringify({ events: [valid()] }), fleetKey, { "content-type": "text/plain" }), 415, "unsupported_media_type"));
  test("form-encoded: 415", async () =>
    expectError(await send("events=1", fleetKey, { "content-type": "application/x-www-form-urlencoded" }), 415, "unsupported_media_type"));
  test("malformed JSON: 400 invalid_json", async () => expectError(await send('{"events": [', fleetKey), 400, "invalid_json"));
  test("invalid UTF-8: 400 invalid_json", async () => {
    const res = await fetch(`${app.url}/api/v1/events`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${fleetKey}` },
      body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
    });
    expectError({ status: res.status, json: await res.json() }, 400, "invalid_json");
  });
  test.each([
    ["an array", "[]"],
    ["a string", '"events"'],
    ["null", "null"],
    ["no events", "{}"],
    ["events not an array", '{"events": {"0": {}}}'],
    ["0 events", '{"events": []}'],
  ])("%s: 400 invalid_body", async (_name, body) => expectError(await send(body), 400, "invalid_body"));
  test("1001 events: 400 invalid_body, none stored", async () => {
    const before = acceptedSoFar;
    expectError(await send({ events: Array.from({ length: 1001 }, () => valid()) }), 400, "invalid_body");
    expect(acceptedSoFar).toBe(before);
  });
  test("1000 events: accepted", async () => {
    const r = await send({ events: Array.from({ length: 1000 }, () => valid()) });
    expect(r.json).toMatchObject({ accepted: 1000, duplicates: 0, rejected: [] });
  });
  test("over 1 MiB with Content-Length: 413 too_large", async () => {
    const filler = "x".repeat(1024 * 1024);
    expectError(await send(`{"events":[],"pad":"${filler}"}`), 413, "too_large");
  });
  test("over 1 MiB streamed without Content-Length: 413, cut off early", async () => {
    let sent = 0;
    const chunk = new TextEncoder().encode(" ".repeat(64 * 1024));
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        // Up to 64 MiB: the server must answer long before it could have read all of it.
        if (sent >= 64 * 1024 * 1024) return controller.close();
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const res = await fetch(`${app.url}/api/v1/events`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${fleetKey}` },
      body,
      duplex: "half",
    } as RequestInit);
    expectError({ status: res.status, json: await res.json() }, 413, "too_large");
    expect(sent).toBeLessThan(32 * 1024 * 1024);
  });
});

const deep = (levels: number) => {
  let v: unknown = 1;
  for (let i = 0; i < levels; i++) v = [v];
  return { a: v };
};

// [name, event, expected item code]
const BAD_ITEMS: Array<[string, unknown, string]> = [
  ["a number instead of an event", 42, "invalid_event"],
  ["null", null, "invalid_event"],
  ["an array", [valid()], "invalid_event"],
  ["no type", { ...valid(), type: undefined }, "invalid_field"],
  ["an unknown type", valid({ type: "reboot" }), "unknown_type"],
  ["type of the wrong kind", valid({ type: 7 }), "unknown_type"],
  ["no id", { ...valid(), id: undefined }, "missing_field"],
  ["an empty id", valid({ id: "" }), "invalid_field"],
  ["an id of 10k chars", valid({ id: "i".repeat(10_000) }), "invalid_field"],
  ["a numeric id", valid({ id: 12 }), "invalid_field"],
  ["no device", { ...valid(), device: undefined }, "missing_field"],
  ["a device of 129 chars", valid({ device: "d".repeat(129) }), "invalid_field"],
  ["a site with capitals", valid({ site: "Hamburg" }), "invalid_field"],
  ["a site of 65 chars", valid({ site: "s".repeat(65) }), "invalid_field"],
  ["no at", { ...valid(), at: undefined }, "missing_field"],
  ["a time without zone", valid({ at: "2026-11-26T10:00:00" }), "invalid_field"],
  ["a date only", valid({ at: "2026-11-26" }), "invalid_field"],
  ["an impossible date", valid({ at: "2026-02-30T10:00:00Z" }), "invalid_field"],
  ["epoch seconds", valid({ at: 1795687200 }), "invalid_field"],
  ["a space instead of T", valid({ at: "2026-11-26 10:00:00Z" }), "invalid_field"],
  ["a bad transport", valid({ transport: "carrier-pigeon" }), "invalid_field"],
  ["a bad publicIp", valid({ publicIp: "999.1.1.1" }), "invalid_field"],
  ["attrs as an array", valid({ attrs: [1, 2] }), "invalid_field"],
  ["attrs as a string", valid({ attrs: "x" }), "invalid_field"],
  ["attrs over 4 KiB", valid({ attrs: { blob: "b".repeat(5000) } }), "invalid_field"],
  ["attrs nested 20 deep", valid({ attrs: deep(20) }), "invalid_field"],
  ["attrs with many keys", valid({ attrs: Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, i])) }), "invalid_field"],
  ["heartbeat with a negative interval", valid({ intervalS: -5 }), "invalid_field"],
  ["heartbeat with a string seq", valid({ seq: "1" }), "invalid_field"],
  ["heartbeat with a fractional seq", valid({ seq: 1.5 }), "invalid_field"],
  ["connect without session", valid({ type: "connect", endpoint: "t.example.com:443" }), "missing_field"],
  ["connect without endpoint", valid({ type: "connect", session: "s" }), "missing_field"],
  ["connect with a port-less endpoint", valid({ type: "connect", session: "s", endpoint: "t.example.com" }), "invalid_field"],
  ["connect with port 70000", valid({ type: "connect", session: "s", endpoint: "t.example.com:70000" }), "invalid_field"],
  ["connect with a URL as endpoint", valid({ type: "connect", session: "s", endpoint: "https://t.example.com:443/" }), "invalid_field"],
  ["disconnect without reason", valid({ type: "disconnect", session: "s" }), "missing_field"],
  ["disconnect with an unknown reason", valid({ type: "disconnect", session: "s", reason: "gremlins" }), "invalid_field"],
  ["disconnect with negative idleS", valid({ type: "disconnect", session: "s", reason: "reset", idleS: -1 }), "invalid_field"],
  ["disconnect with idleS as text", valid({ type: "disconnect", session: "s", reason: "reset", idleS: "900" }), "invalid_field"],
  ["a session of 129 chars", valid({ type: "disconnect", session: "s".repeat(129), reason: "reset" }), "invalid_field"],
  ["connect_failed without stage", valid({ type: "connect_failed", endpoint: "t.example.com:443", errno: "ECONNREFUSED" }), "missing_field"],
  ["connect_failed with a bad stage", valid({ type: "connect_failed", endpoint: "t.example.com:443", errno: "X", stage: "ssh" }), "invalid_field"],
  ["tls without verified", valid({ type: "tls", endpoint: "t.example.com:443", chain: [] }), "missing_field"],
  ["tls with 11 certificates", valid({ type: "tls", endpoint: "t.example.com:443", verified: false, chain: Array.from({ length: 11 }, () => ({ subject: "CN=a", issuer: "CN=b", sha256: "a".repeat(64) })) }), "invalid_field"],
  ["tls with an uppercase fingerprint", valid({ type: "tls", endpoint: "t.example.com:443", verified: false, chain: [{ subject: "CN=a", issuer: "CN=b", sha256: "A".repeat(64) }] }), "invalid_field"],
  ["probe with an unknown kind", valid({ type: "probe", kind: "vibes", result: {} }), "invalid_field"],
  ["probe idle_timeout without estimate", valid({ type: "probe", kind: "idle_timeout", result: { survivedS: [60], diedS: [], direction: "downstream" } }), "missing_field"],
];

describe("bad items among good ones", () => {
  test.each(BAD_ITEMS)("%s → rejected, the valid neighbours stored", async (_name, bad, code) => {
    const before = valid();
    const after = valid();
    const r = await send({ events: [before, bad, after] });
    expect(r.status).toBe(200);
    expect(r.json.accepted).toBe(2);
    expect(r.json.rejected).toHaveLength(1);
    expect(r.json.rejected[0]).toMatchObject({ index: 1, error: { code, message: expect.any(String) } });
  });

  test("attrs nested 100,000 deep (hand-written JSON) → rejected, no stack overflow", async () => {
    const nested = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    const body = `{"events":[${JSON.stringify(valid())},${JSON.stringify(valid()).slice(0, -1)},"attrs":{"a":${nested}}}]}`;
    const r = await send(body);
    expect(r.status).toBe(200);
    expect(r.json.accepted).toBe(1);
    expect(r.json.rejected[0]).toMatchObject({ index: 1, error: { code: "invalid_field" } });
  });

  test("a rejected 10k-char id is echoed truncated", async () => {
    const r = await send({ events: [valid({ id: "i".repeat(10_000) })] });
    expect(r.json.rejected[0].id.length).toBeLessThanOrEqual(129);
  });

  test("a time far in the future is accepted and marked skewed", async () => {
    const r = await send({ events: [valid({ id: "future", device: "dev-skew", at: "2099-01-01T00:00:00Z" })] });
    expect(r.json).toMatchObject({ accepted: 1, rejected: [] });
    const device = await t.db.prisma.device.findUnique({ where: { externalId: "dev-skew" } });
    expect(device?.skewed).toBe(true);
    const event = await t.db.prisma.event.findFirst({ where: { eventId: "future" } });
    expect(event?.skewed).toBe(true);
  });

  test("a site-scoped key naming another site: that item is rejected, its own site's items stored", async () => {
    const r = await send({ events: [valid({ site: "hamburg" }), valid({ site: "munich" }), valid({ site: undefined, device: "dev-b" })] }, siteKey);
    expect(r.json.accepted).toBe(2);
    expect(r.json.rejected).toEqual([{ index: 1, id: expect.any(String), error: { code: "site_forbidden", message: expect.any(String) } }]);
    expect(await t.db.prisma.site.findUnique({ where: { slug: "munich" } })).toBeNull();
  });

  test("a new device without a site under a fleet key: site_required", async () => {
    const r = await send({ events: [valid({ site: undefined, device: "dev-nosite" })] });
    expect(r.json.rejected[0].error.code).toBe("site_required");
    expect(await t.db.prisma.device.findUnique({ where: { externalId: "dev-nosite" } })).toBeNull();
  });

  test("duplicates: in the same batch and replayed later change nothing", async () => {
    const e = valid({ id: "dup-1", device: "dev-dup" });
    expect((await send({ events: [e, e, { ...e, intervalS: 999 }] })).json).toMatchObject({ accepted: 1, duplicates: 2 });
    expect((await send({ events: [{ ...e, at: "2026-11-26T11:00:00Z" }] })).json).toMatchObject({ accepted: 0, duplicates: 1 });
    const stored = await t.db.prisma.event.findMany({ where: { eventId: "dup-1" } });
    expect(stored).toHaveLength(1);
    expect(JSON.parse(stored[0].data).intervalS).toBe(60);
  });
});

describe("never a 5xx, nothing lost", () => {
  test("200 batches of generated junk get 200 or 4xx, and every accepted event is stored", async () => {
    const r = rng(7);
    const junk = (): unknown => {
      const pick = r.int(0, 9);
      const values = [null, true, -1, 1e308, "", "x".repeat(r.int(0, 300)), [], {}, [[[]]], { $ne: 1 }, "2026-11-26T10:00:00Z", "__proto__"];
      if (pick < 3) return r.pick(values);
      const e: Record<string, unknown> = valid({ device: `fuzz-${r.int(0, 20)}`, type: r.pick(["heartbeat", "connect", "disconnect", "tls", "probe", "connect_failed", "x"]) });
      for (const field of ["id", "device", "site", "at", "session", "endpoint", "reason", "chain", "attrs", "kind", "result", "idleS", "stage", "errno", "verified", "__proto__", "constructor"]) {
        if (r.chance(0.25)) e[field] = r.pick(values);
      }
      return e;
    };
    for (let i = 0; i < 200; i++) {
      const events = Array.from({ length: r.int(1, 30) }, junk);
      const res = await send(r.chance(0.05) ? JSON.stringify({ events }).slice(0, -r.int(1, 5)) : { events });
      expect(res.status, JSON.stringify(res.json).slice(0, 300)).toBeLessThan(500);
      if (res.status === 200) expect(res.json.accepted + res.json.duplicates + res.json.rejected.length).toBe(events.length);
    }
    expect(await t.db.prisma.event.count()).toBe(acceptedSoFar);
    expect(app.output()).not.toMatch(/ingest failed/);
  });
});
