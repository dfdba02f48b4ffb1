import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { event as wireEvent } from "@/lib/contract/events";

/**
 * A stand-in for the Linkscope server's two probe-facing endpoints, written from PROTOCOL.md:
 * `GET /api/v1/probe/hold?after=S` (silence for S seconds, then 200 `{"heldS": S}`) and
 * `POST /api/v1/events` (dedupe on device + id, each item checked against the real ingest
 * schema, and refused when it carries a field the schema would drop). `GET /` answers 200 for
 * the funnel. Plain HTTP on 127.0.0.1 unless told otherwise.
 */
export interface LinkscopeStub {
  url: string;
  port: number;
  /** Stored events, each (device, id) once. */
  events: Record<string, unknown>[];
  /** Every id that arrived in a POST, duplicates included. */
  received: string[];
  /** Items the real ingest schema refused, with its complaint. */
  rejected: { id: string; problem: string }[];
  holds: number[];
  /** `unavailable`: answer event POSTs with 503 + Retry-After (storage down). */
  eventsMode: "ok" | "unavailable";
  close(): Promise<void>;
}

export interface StubOptions {
  /** Serve HTTPS with this key and chain instead of plain HTTP. */
  tls?: { key: string; cert: string };
  host?: string;
}

export async function startLinkscopeStub(key: string, port = 0, options: StubOptions = {}): Promise<LinkscopeStub> {
  const stored = new Map<string, Record<string, unknown>>();
  const stub: Omit<LinkscopeStub, "url" | "port" | "close"> = { events: [], received: [], rejected: [], holds: [], eventsMode: "ok" };
  const handler: http.RequestListener = (request, response) => {
    const url = new URL(request.url ?? "/", "http://stub");
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { "content-type": "application/json", ...headers });
      response.end(JSON.stringify(body));
    };
    if (url.pathname === "/") return answer(200, { name: "linkscope stub" });
    if (request.headers.authorization !== `Bearer ${key}`) {
      request.resume();
      return answer(401, { error: { code: "unauthenticated", message: "missing or wrong key" } });
    }
    if (url.pathname === "/api/v1/probe/hold" && request.method === "GET") {
      const after = Number(url.searchParams.get("after"));
      if (!Number.isFinite(after) || after < 1 || after > 7200) return answer(400, { error: { code: "invalid_query", message: "after: 1-7200" } });
      stub.holds.push(after);
      const timer = setTimeout(() => answer(200, { heldS: after }), after * 1000);
      response.once("close", () => clearTimeout(timer));
      return;
    }
    if (url.pathname === "/api/v1/events" && request.method === "POST") {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        if (stub.eventsMode === "unavailable") return answer(503, { error: { code: "unavailable", message: "storage down" } }, { "retry-after": "1" });
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { events: Record<string, unknown>[] };
        let accepted = 0;
        let duplicates = 0;
        const rejected: { index: number; id: string; error: { code: string; message: string } }[] = [];
        body.events.forEach((event, index) => {
          stub.received.push(String(event.id));
          const checked = wireEvent.safeParse(event);
          // The real server stores what the schema parsed: a field it does not know would be dropped silently.
          const unknown = checked.success ? Object.keys(event).filter((field) => !(field in checked.data)) : [];
          if (!checked.success || unknown.length > 0) {
            const problem = checked.success
              ? `fields the ingest schema does not know (the server would drop them): ${unknown.join(", ")}`
              : checked.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
            stub.rejected.push({ id: String(event.id), problem });
            rejected.push({ index, id: String(event.id), error: { code: "invalid_event", message: problem } });
            return;
          }
          const identity = `${String(event.device)}\u0000${String(event.id)}`;
          if (stored.has(identity)) {
            duplicates += 1;
          } else {
            stored.set(identity, event);
            stub.events.push(event);
            accepted += 1;
          }
        });
        answer(200, { accepted, duplicates, rejected });
      });
      return;
    }
    answer(404, { error: { code: "not_found", message: url.pathname } });
  };
  const server = options.tls ? https.createServer(options.tls, handler) : http.createServer(handler);
  // Long keep-alive, so the upstream idle measurement sees the path, not this server's limit.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 121_000;
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const actual = (server.address() as AddressInfo).port;
  return Object.assign(stub as LinkscopeStub, {
    url: `${options.tls ? "https" : "http"}://${host}:${actual}`,
    port: actual,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
