import type { ProbeEvent } from "./events";
import { StageFailure, errnoOf, messageOf } from "./failure";
import { HttpConnection } from "./http-connection";
import type { Progress } from "./progress";
import { describeProxy } from "./proxy";
import type { EventSpool } from "./spool";
import { openTransport, serverPath, type TransportOptions } from "./transport";

export interface IngestTarget {
  server: URL;
  key: string;
  transport: TransportOptions;
  deadlineMs: number;
}

export interface FlushReport {
  delivered: number;
  duplicates: number;
  rejected: number;
  /** Dropped because the server refused the batch as malformed (400/413/415/422): retrying cannot help. */
  dropped: number;
  remaining: number;
  /** Why sending stopped with events still spooled (network error, 5xx, 429, key refused...). */
  stoppedBecause?: string;
  /** Set when the server could not be reached at all (as opposed to answering with an error). */
  failure?: StageFailure;
  /** What to do about `failure`, where there is more to say than the failure itself. */
  advice?: string;
  retryAfterS?: number;
}

const MAX_BATCH_EVENTS = 1000;
/** Under the protocol's 1 MiB body limit, with room for the envelope. */
const MAX_BATCH_BYTES = 900 * 1024;
const DROP_STATUSES = new Set([400, 413, 415, 422]);

interface IngestAnswer {
  accepted?: number;
  duplicates?: number;
  rejected?: { index?: number; id?: string; error?: { code?: string; message?: string } }[];
}

/**
 * Sends everything in the spool, oldest first, in batches, over one connection. A batch leaves
 * the spool only on 200 (its rejected items are reported, not retried — they would be
 * rejected again). Network errors, 5xx, 429 and refused keys stop the flush and keep the rest.
 */
export async function flushSpool(spool: EventSpool, target: IngestTarget, progress: Progress): Promise<FlushReport> {
  const pending = spool.read();
  const report: FlushReport = { delivered: 0, duplicates: 0, rejected: 0, dropped: 0, remaining: pending.length };
  if (pending.length === 0) return report;

  let connection: HttpConnection | undefined;
  try {
    for (const batch of batchesOf(pending)) {
      if (!connection || connection.ended) {
        const opened = await openTransport(target.server, { ...target.transport, requireTrusted: true });
        connection = new HttpConnection(opened.socket, target.server.host);
      }
      const reply = await connection.request({
        method: "POST",
        path: serverPath(target.server, "/api/v1/events"),
        headers: { authorization: `Bearer ${target.key}`, "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ events: batch }),
        deadlineMs: target.deadlineMs,
      });
      if (reply.status === 200) {
        const answer = parseAnswer(reply.body);
        for (const item of answer.rejected ?? []) {
          progress.warn(`server rejected event ${item.id ?? `#${item.index}`}: ${item.error?.code ?? "?"} ${item.error?.message ?? ""}`.trim());
        }
        report.delivered += answer.accepted ?? 0;
        report.duplicates += answer.duplicates ?? 0;
        report.rejected += answer.rejected?.length ?? 0;
      } else if (DROP_STATUSES.has(reply.status)) {
        progress.warn(`server refused a batch of ${batch.length} events with ${reply.status}: dropped (${reply.body.slice(0, 200)})`);
        report.dropped += batch.length;
      } else {
        report.stoppedBecause = `server answered ${reply.status}${reply.status === 401 || reply.status === 403 ? " (is the key right?)" : ""}`;
        const retryAfter = Number(reply.headers["retry-after"]);
        if (Number.isFinite(retryAfter) && retryAfter > 0) report.retryAfterS = retryAfter;
        break;
      }
      spool.remove(new Set(batch.map((event) => event.id)));
      report.remaining -= batch.length;
    }
  } catch (error) {
    const route = target.transport.proxy;
    // A failure after the tunnel opened does not mention the proxy by itself; it may be the proxy's doing.
    report.failure =
      error instanceof StageFailure
        ? error
        : new StageFailure("http", errnoOf(error), `${messageOf(error)}${route ? ` (through ${describeProxy(route)})` : ""}`, 0, route ? { stage: "tunnel" } : undefined);
    report.stoppedBecause = error instanceof StageFailure ? error.message : `${report.failure.errno}: ${report.failure.message}`;
  } finally {
    connection?.close();
  }
  return report;
}

export function batchesOf(events: readonly ProbeEvent[]): ProbeEvent[][] {
  const batches: ProbeEvent[][] = [];
  let current: ProbeEvent[] = [];
  let bytes = 0;
  for (const event of events) {
    const size = Buffer.byteLength(JSON.stringify(event)) + 1;
    if (current.length > 0 && (current.length >= MAX_BATCH_EVENTS || bytes + size > MAX_BATCH_BYTES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(event);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

function parseAnswer(body: string): IngestAnswer {
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === "object" && parsed !== null ? (parsed as IngestAnswer) : {};
  } catch {
    return {};
  }
}
