import https from "node:https";
import type { AddressInfo } from "node:net";
import faye from "faye";
import type { TestPki } from "./certs";

export const BAYEUX_PATH = "/notification/realtime";

export interface BayeuxServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * A real Bayeux server (faye's NodeAdapter) on HTTPS at 127.0.0.1, presenting leaf + CA.
 * With `credentials`, the Bayeux path demands HTTP basic auth, as Cumulocity does.
 */
export async function startBayeuxServer(pki: TestPki, credentials?: { user: string; password: string }): Promise<BayeuxServer> {
  const adapter = new faye.NodeAdapter({ mount: BAYEUX_PATH, timeout: 45 });
  const expected = credentials ? `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString("base64")}` : undefined;
  const server = https.createServer({ key: pki.leafKeyPem, cert: pki.chainPem }, (request, response) => {
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
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      adapter.close();
    },
  };
}
