// The production server: Next.js's request handler behind node:http, as `next start` runs it,
// plus one thing `next start` cannot do: tell the app the TCP peer's address. Next.js only
// fills X-Forwarded-For when the client sent none, so a client could choose its own address;
// here the socket's address goes into X-Linkscope-Peer, replacing any client-sent value
// (lib/auth/client-address.ts; LINKSCOPE_TRUST_PROXY decides which forwarded hops to believe).
//
// Environment: PORT (3000), HOSTNAME (all interfaces), LINKSCOPE_KEEPALIVE_TIMEOUT_MS (how long
// an idle keep-alive connection stays open; the probe's upstream idle measurement needs it
// above --idle-max), LINKSCOPE_DIST_DIR (next.config.js).
import http from "node:http";
import next from "next";

process.env.NODE_ENV = "production";
process.env.NEXT_TELEMETRY_DISABLED = "1";
const PEER_HEADER = "x-linkscope-peer";
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOSTNAME || undefined;

const app = next({ dev: false, dir: process.cwd(), hostname: hostname ?? "localhost", port });
await app.prepare();
const handle = app.getRequestHandler();

const server = http.createServer((req, res) => {
  req.headers[PEER_HEADER] = req.socket.remoteAddress ?? "";
  handle(req, res).catch((error) => {
    console.error("linkscope: request failed", error);
    if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
    res.end('{"error":{"code":"internal","message":"The request failed unexpectedly."}}');
  });
});
const keepAlive = Number(process.env.LINKSCOPE_KEEPALIVE_TIMEOUT_MS);
if (Number.isFinite(keepAlive) && keepAlive > 0) {
  server.keepAliveTimeout = keepAlive;
  server.headersTimeout = keepAlive + 1000;
}
// The probe's hold endpoint answers only after up to 7,200 s; the request itself is small.
server.requestTimeout = 0;
server.listen(port, hostname, () => console.log(`linkscope: serving on http://${hostname ?? "localhost"}:${port}`));

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 5000).unref();
  });
}
