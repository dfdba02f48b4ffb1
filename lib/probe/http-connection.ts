import http, { type IncomingHttpHeaders } from "node:http";
import type { Socket } from "node:net";
import { errnoOf } from "./failure";

export interface HttpRequest {
  method: "GET" | "POST";
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Give up (and destroy the connection) when no complete answer came within this time. */
  deadlineMs: number;
}

export interface HttpReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** How a connection ended, as far as this end could tell. */
export interface ConnectionEnd {
  /** `fin`: the far end closed cleanly; `error`: reset or another socket error; `local`: we closed it. */
  kind: "fin" | "error" | "local";
  errno?: string;
  atMs: number;
}

/** Raised for a request that got no complete answer; `code` is the errno the device would see. */
export class RequestFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "RequestFailure";
  }
}

const MAX_BODY_BYTES = 1 << 20;

/**
 * One HTTP/1.1 connection used for sequential requests (keep-alive), over any socket the
 * transport opened (plain, TLS, or tunnelled through a proxy). It watches the socket between
 * requests too, so a reset or FIN during an idle gap is noticed when it happens, and it knows
 * when the last byte arrived.
 */
export class HttpConnection {
  private ending: ConnectionEnd | undefined;
  lastByteAtMs = Date.now();

  constructor(
    readonly socket: Socket,
    private readonly hostHeader: string,
  ) {
    socket.on("data", () => {
      this.lastByteAtMs = Date.now();
    });
    socket.on("error", (error) => this.markEnd("error", errnoOf(error)));
    socket.on("end", () => this.markEnd("fin"));
    socket.on("close", () => this.markEnd("fin"));
  }

  get ended(): ConnectionEnd | undefined {
    return this.ending;
  }

  request(request: HttpRequest): Promise<HttpReply> {
    if (this.ending) return Promise.reject(this.failureFromEnd(this.ending));
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = { host: this.hostHeader, connection: "keep-alive", ...request.headers };
      if (request.body !== undefined) headers["content-length"] = String(Buffer.byteLength(request.body));
      const outgoing = http.request({
        method: request.method,
        path: request.path,
        headers,
        createConnection: () => this.socket,
      });
      const timer = setTimeout(() => {
        const failure = new RequestFailure("ETIMEDOUT", `no answer to ${request.method} ${request.path} within ${request.deadlineMs} ms`);
        reject(failure);
        outgoing.destroy(failure);
      }, request.deadlineMs);
      outgoing.once("error", (error) => {
        clearTimeout(timer);
        reject(error instanceof RequestFailure ? error : new RequestFailure(this.ending?.errno ?? errnoOf(error), error.message));
      });
      outgoing.once("response", (incoming) => {
        const chunks: Buffer[] = [];
        let size = 0;
        incoming.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_BODY_BYTES) chunks.push(chunk);
        });
        incoming.once("end", () => {
          clearTimeout(timer);
          this.socket.resume();
          resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: Buffer.concat(chunks).toString("utf8") });
        });
        incoming.once("error", (error) => {
          clearTimeout(timer);
          reject(new RequestFailure(errnoOf(error), error.message));
        });
      });
      outgoing.end(request.body);
    });
  }

  close(): void {
    this.markEnd("local");
    this.socket.destroy();
  }

  private markEnd(kind: ConnectionEnd["kind"], errno?: string): void {
    if (this.ending) {
      if (errno && !this.ending.errno && this.ending.kind !== "local") this.ending = { ...this.ending, kind: "error", errno };
      return;
    }
    this.ending = { kind, errno, atMs: Date.now() };
  }

  private failureFromEnd(end: ConnectionEnd): RequestFailure {
    if (end.kind === "fin") return new RequestFailure("ESERVERCLOSED", "the far end closed the connection");
    if (end.kind === "local") return new RequestFailure("ECLOSED", "connection already closed");
    return new RequestFailure(end.errno ?? "EUNKNOWN", `connection failed: ${end.errno ?? "unknown error"}`);
  }
}
