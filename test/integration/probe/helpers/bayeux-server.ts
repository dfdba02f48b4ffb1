import type { IncomingHttpHeaders } from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import faye from "faye";
import type { TestPki } from "./certs";

export const BAYEUX_PATH = "/notification/realtime";

/** A request as the origin received it: what crossed every proxy on the way. */
export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

export interface BayeuxServer {
  url: string;
  port: number;
  /** Every request received, oldest first, with its headers. */
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

/**
 * A real Bayeux server (faye's NodeAdapter) on HTTPS at 127.0.0.1 (or `host`), presenting
 * leaf + CA, recording each request's headers. With `credentials`, the Bayeux path demands
 * HTTP basic auth, as Cumulocity does.
 */
export async function startBayeuxServer(pki: TestPki, credentials?: { user: string; password: string }, host = "127.0.0.1"): Promise<BayeuxServer> {
  const adapter = new faye.NodeAdapter({ mount: BAYEUX_PATH, timeout: 45 });
  const expected = credentials ? `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString("base64")}` : undefined;
  const requests: ReceivedRequest[] = [];
  const server = https.createServer({ key: pki.leafKeyPem, cert: pki.chainPem }, (request, response) => {
    requests.push({ method: request.method ?? "", url: request.url ?? "", headers: { ...request.headers } });
    if (!request.url?.startsWith(BAYEUX_PATH)) {
      response.writeHead(200, { "content-type": "text/plain" });
      response.end("bayeux test server\n");
      return;
    }
    if (expected && request.headers.authorization !== expected) {
      request.resume();
      response.writeHead(401, { "www-authenticate": 'Basic realm="test"' });
      response.end();
      return;
    }
    adapter.handle(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://${host}:${port}`,
    port,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      adapter.close();
    },
  };
}
