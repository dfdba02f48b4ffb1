// Sends wire events through the public ingest API the way a fleet's gateways would: batches
// of up to 1000, a few requests at a time, retrying when the server asks to (429/503).
import type { WireEvent } from "../../test/helpers/fleet-to-wire";
import type { LiveDevice } from "./heartbeats";

export interface SendResult {
  accepted: number;
  duplicates: number;
  rejected: number;
  firstRejection: string | null;
}

const BATCH = 1000;

export async function sendEvents(
  server: string,
  key: string,
  events: readonly WireEvent[],
  options: { concurrency?: number; onProgress?: (sent: number, total: number) => void } = {},
): Promise<SendResult> {
  const result: SendResult = { accepted: 0, duplicates: 0, rejected: 0, firstRejection: null };
  const batches: WireEvent[][] = [];
  for (let i = 0; i < events.length; i += BATCH) batches.push(events.slice(i, i + BATCH));
  let next = 0;
  let sent = 0;
  const worker = async () => {
    while (next < batches.length) {
      const batch = batches[next++];
      const body = await postBatch(server, key, batch);
      result.accepted += body.accepted;
      result.duplicates += body.duplicates;
      result.rejected += body.rejected.length;
      if (body.rejected.length && !result.firstRejection) result.firstRejection = `${body.rejected[0].error.code}: ${body.rejected[0].error.message}`;
      sent += batch.length;
      options.onProgress?.(sent, events.length);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 2 }, worker));
  return result;
}

interface IngestBody {
  accepted: number;
  duplicates: number;
  rejected: Array<{ index: number; error: { code: string; message: string } }>;
}

async function postBatch(server: string, key: string, events: WireEvent[]): Promise<IngestBody> {
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(`${server}/api/v1/events`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: JSON.stringify({ events }),
    });
    if (res.ok) return (await res.json()) as IngestBody;
    const text = await res.text();
    if ((res.status === 429 || res.status === 503) && attempt < 20) {
      const waitS = Number(res.headers.get("retry-after") ?? 1);
      await new Promise((r) => setTimeout(r, Math.max(0.2, waitS) * 1000));
      continue;
    }
    throw new Error(`POST /api/v1/events answered ${res.status}: ${text.slice(0, 300)}`);
  }
}

const LIVE_TICK_MS = 5_000;
/** Devices that declared no interval report this often, so they stay "heard from". */
const UNDECLARED_EVERY_S = 60;

/**
 * Keeps the living devices reporting, each at its declared interval from its last simulated
 * heartbeat on (overdue ones at once: the fill's newest heartbeats arrive first, and these
 * must follow within twice the interval or their connections would rightly be inferred dead).
 */
export function startLiveHeartbeats(server: string, key: string, devices: readonly LiveDevice[]): { stop(): void } {
  const state = devices.map((d) => ({ ...d, everyMs: (d.intervalS ?? UNDECLARED_EVERY_S) * 1000 }));
  const tick = () => {
    const now = Date.now();
    const due = state.filter((d) => d.lastBeatAt + d.everyMs <= now + LIVE_TICK_MS / 2);
    if (!due.length) return;
    const events: WireEvent[] = due.map((d) => {
      d.lastBeatAt = Math.max(now, d.lastBeatAt + d.everyMs);
      const seq = d.seq++;
      return {
        id: `live-${d.lastBeatAt}`,
        device: d.device,
        site: d.site,
        type: "heartbeat",
        seq,
        ...(d.intervalS !== null ? { intervalS: d.intervalS } : {}),
        rttMs: Math.round((30 + Math.random() * 90) * 10) / 10,
        at: new Date(now).toISOString(),
      };
    });
    sendEvents(server, key, events).catch((error: unknown) => console.error(`  live heartbeats failed: ${String(error)}`));
  };
  tick();
  const timer = setInterval(tick, LIVE_TICK_MS);
  return { stop: () => clearInterval(timer) };
}
