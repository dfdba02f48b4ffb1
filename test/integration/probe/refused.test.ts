import http from "node:http";
import net, { type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLinkscopeStub, type LinkscopeStub } from "./helpers/linkscope-stub";
import { TEST_KEY, runProbe, tempSpool } from "./helpers/run-probe";

/** Funnel failures at the TCP and TLS stages, each seen on loopback the way a blocked path shows them. */
let linkscope: LinkscopeStub;
const servers: (net.Server | http.Server)[] = [];

beforeAll(async () => {
  linkscope = await startLinkscopeStub(TEST_KEY);
});
afterAll(async () => {
  await linkscope?.close();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

async function listen<S extends net.Server>(server: S): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function funnelTo(target: string, device: string, env: Record<string, string> = {}) {
  const result = await runProbe(["--once", "--no-idle", "--server", linkscope.url, "--key", TEST_KEY, "--site", "lab", "--device", device, "--target", target, "--spool", tempSpool()], env);
  return { ...result, events: linkscope.events.filter((e) => e.device === device) };
}

describe("funnel failures", () => {
  it("classifies a closed port as refused at the tcp stage", async () => {
    const port = await closedPort();
    const { code, stderr, events } = await funnelTo(`https://127.0.0.1:${port}`, "probe-refused");
    expect(code).toBe(1);
    expect(stderr).toContain("failed at tcp: ECONNREFUSED");
    expect(events.filter((e) => e.type === "connect_failed")).toMatchObject([
      { stage: "tcp", errno: "ECONNREFUSED", endpoint: `127.0.0.1:${port}`, attrs: { outcome: "refused" } },
    ]);
    expect(events.find((e) => e.type === "probe")).toMatchObject({ kind: "reachability", result: { ok: false, failedStage: "tcp" } });
    expect(events.some((e) => e.type === "tls" || e.type === "connect")).toBe(false);
    expect(linkscope.rejected).toEqual([]);
  });

  it("reports a reset after the ClientHello (an SNI filter) at the tls stage", async () => {
    const port = await listen(net.createServer((socket) => socket.once("data", () => socket.resetAndDestroy())));
    const { code, events } = await funnelTo(`https://127.0.0.1:${port}`, "probe-sni-filter");
    expect(code).toBe(1);
    expect(events.filter((e) => e.type === "connect_failed")).toMatchObject([{ stage: "tls", errno: "ECONNRESET" }]);
  });

  it("reports a proxy that refuses the CONNECT as a tcp-stage failure naming its status", async () => {
    const proxy = http.createServer();
    proxy.on("connect", (_request, socket: net.Socket) => {
      socket.end("HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n");
    });
    const proxyPort = await listen(proxy);
    // HTTPS_PROXY covers the https target only; the events go to the plain-http stub directly.
    const { code, events } = await funnelTo("https://127.0.0.1:443", "probe-proxy-403", { HTTPS_PROXY: `http://127.0.0.1:${proxyPort}` });
    expect(code).toBe(1);
    expect(events.filter((e) => e.type === "connect_failed")).toMatchObject([
      { stage: "tcp", errno: "PROXY_FORBIDDEN", endpoint: "127.0.0.1:443", proxy: `127.0.0.1:${proxyPort}`, proxyStage: "connect", attrs: { proxy: `127.0.0.1:${proxyPort}` } },
    ]);
  });
});
