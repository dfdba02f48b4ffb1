// The benchmark's load generator, run as its own process (forked by test/bench/ingest.ts)
// so the server under test never shares an event loop with its client. It builds the
// fleet's request bodies once, then runs what the parent asks over IPC:
//   - "batches": every body, in order, over a few keep-alive connections;
//   - "single": one-event requests (or GETs) on many connections for a fixed time.
// Traffic goes to the URL it is given; the parent only ever passes 127.0.0.1.
import http from "node:http";
import { generateFleet, type FleetShape } from "./fleet";

export type LoadCommand =
  | { cmd: "prepare"; shape: FleetShape; batchSize: number }
  | { cmd: "batches"; url: string; key: string; connections: number }
  | { cmd: "single"; url: string; key: string | null; path: string; connections: number; seconds: number; warmupSeconds: number };

export interface Prepared {
  events: number;
  batches: number;
  bytes: number;
  devices: number;
  byType: Record<string, number>;
}

export interface BatchRun {
  events: number;
  requests: number;
  seconds: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  failures: string[];
  /** events/s over the last quarter of the batches (is the rate sustained as the database grows?) */
  lastQuarterRate: number;
}

export interface SingleRun {
  requests: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  failures: number;
}

const MAX_FAILURES_KEPT = 5;

let bodies: Buffer[] = [];
let batchEvents: number[] = [];
let fleetDevices: Array<{ device: string; site: string }> = [];

function request(agent: http.Agent, url: URL, method: string, headers: Record<string, string>, body: Buffer | null) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = http.request(url, { agent, method, headers: body ? { ...headers, "content-length": String(body.length) } : headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body ?? undefined);
  });
}

function prepare(shape: FleetShape, batchSize: number): Prepared {
  const events = generateFleet(shape);
  bodies = [];
  batchEvents = [];
  let bytes = 0;
  for (let i = 0; i < events.length; i += batchSize) {
    const batch = events.slice(i, i + batchSize);
    const body = Buffer.from(JSON.stringify({ events: batch }));
    bodies.push(body);
    batchEvents.push(batch.length);
    bytes += body.length;
  }
  const byType: Record<string, number> = {};
  const devices = new Map<string, string>();
  for (const e of events) {
    byType[e.type] = (byType[e.type] ?? 0) + 1;
    devices.set(e.device, e.site as string);
  }
  fleetDevices = [...devices].map(([device, site]) => ({ device, site }));
  return { events: events.length, batches: bodies.length, bytes, devices: devices.size, byType };
}

async function runBatches(url: string, key: string, connections: number): Promise<BatchRun> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const target = new URL("/api/v1/events", url);
  const headers = { "content-type": "application/json", authorization: `Bearer ${key}` };
  const doneAt: number[] = new Array(bodies.length);
  const out: BatchRun = { events: 0, requests: 0, seconds: 0, accepted: 0, duplicates: 0, rejected: 0, failures: [], lastQuarterRate: 0 };
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (let i = next++; i < bodies.length; i = next++) {
      const res = await request(agent, target, "POST", headers, bodies[i]);
      doneAt[i] = performance.now();
      out.requests++;
      out.events += batchEvents[i];
      if (res.status !== 200) {
        if (out.failures.length < MAX_FAILURES_KEPT) out.failures.push(`batch ${i}: ${res.status} ${res.text.slice(0, 200)}`);
        continue;
      }
      const answer = JSON.parse(res.text) as { accepted: number; duplicates: number; rejected: unknown[] };
      out.accepted += answer.accepted;
      out.duplicates += answer.duplicates;
      out.rejected += answer.rejected.length;
      if (answer.rejected.length && out.failures.length < MAX_FAILURES_KEPT) out.failures.push(`batch ${i}: ${JSON.stringify(answer.rejected[0])}`);
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const ended = performance.now();
  out.seconds = (ended - started) / 1000;
  const q = Math.floor((bodies.length * 3) / 4);
  const tailEvents = batchEvents.slice(q).reduce((a, b) => a + b, 0);
  out.lastQuarterRate = tailEvents / ((ended - Math.max(...doneAt.slice(0, q))) / 1000);
  agent.destroy();
  return out;
}

async function runSingle(c: Extract<LoadCommand, { cmd: "single" }>): Promise<SingleRun> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: c.connections });
  const target = new URL(c.path, c.url);
  const post = c.key !== null;
  const headers: Record<string, string> = post ? { "content-type": "application/json", authorization: `Bearer ${c.key}` } : {};
  let n = 0;
  const oneEvent = () => {
    const d = fleetDevices[n % fleetDevices.length];
    const id = `single-${process.pid}-${n++}`;
    return Buffer.from(JSON.stringify({ events: [{ id, device: d.device, site: d.site, type: "heartbeat", at: new Date().toISOString(), seq: n, intervalS: 60 }] }));
  };
  const latencies: number[] = [];
  let failures = 0;
  const warmEnd = performance.now() + c.warmupSeconds * 1000;
  const end = warmEnd + c.seconds * 1000;
  const worker = async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      const res = await request(agent, target, post ? "POST" : "GET", headers, post ? oneEvent() : null);
      const t1 = performance.now();
      if (t0 < warmEnd) continue; // warm-up: JIT and route loading, not measured
      if (res.status !== 200) failures++;
      latencies.push(t1 - t0);
    }
  };
  await Promise.all(Array.from({ length: c.connections }, worker));
  const seconds = (performance.now() - warmEnd) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  return { requests: latencies.length, seconds, p50Ms: at(0.5), p99Ms: at(0.99), failures };
}

process.on("message", (message: LoadCommand) => {
  const reply = (value: unknown) => process.send!({ ok: true, value });
  const fail = (error: unknown) => process.send!({ ok: false, error: String((error as Error)?.stack ?? error) });
  try {
    if (message.cmd === "prepare") reply(prepare(message.shape, message.batchSize));
    else if (message.cmd === "batches") runBatches(message.url, message.key, message.connections).then(reply, fail);
    else runSingle(message).then(reply, fail);
  } catch (error) {
    fail(error);
  }
});
