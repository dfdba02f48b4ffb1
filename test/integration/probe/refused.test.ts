import http from "node:http";
import { closedPort } from "./helpers/ports";
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

async function funnelTo(target: string, device: string, env: Record<string, string> = {}, extra: string[] = []) {
  const result = await runProbe(["--once", "--no-idle", "--server", linkscope.url, "--key", TEST_KEY, "--site", "lab", "--device", device, "--target", target, "--spool", tempSpool(), ...extra], env);
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

  it("tells a proxy that is not there (a wrong HTTPS_PROXY) from a blocked port: proxyStage tcp, the proxy named", async () => {
    const proxyPort = await closedPort();
    const { code, stdout, stderr, events } = await funnelTo("https://127.0.0.1:443", "probe-no-proxy-there", { HTTPS_PROXY: `http://127.0.0.1:${proxyPort}` });
    expect(code).toBe(1);
    expect(events.filter((e) => e.type === "connect_failed")).toMatchObject([
      { stage: "tcp", errno: "ECONNREFUSED", endpoint: "127.0.0.1:443", proxy: `127.0.0.1:${proxyPort}`, proxyStage: "tcp", attrs: { outcome: "refused", proxySource: "HTTPS_PROXY" } },
    ]);
    expect(stderr).toContain(`could not reach the proxy 127.0.0.1:${proxyPort} (from HTTPS_PROXY)`);
    expect(stdout).toContain(`What to do: nothing accepts connections at the proxy 127.0.0.1:${proxyPort}: check the proxy's host and port in the HTTPS_PROXY environment variable`);
    expect(stdout).not.toMatch(/allow outbound|port 443 (is )?blocked/i);
    expect(linkscope.rejected).toEqual([]);
  });

  it("reports a proxy that accepts the connection but never answers CONNECT at the connect step", async () => {
    const silent: net.Socket[] = [];
    const proxyPort = await listen(net.createServer((socket) => silent.push(socket)));
    try {
      const { code, events, stdout } = await funnelTo("https://127.0.0.1:443", "probe-silent-proxy", { HTTPS_PROXY: `http://127.0.0.1:${proxyPort}` }, ["--connect-timeout", "1"]);
      expect(code).toBe(1);
      expect(events.filter((e) => e.type === "connect_failed")).toMatchObject([{ stage: "tcp", errno: "ETIMEDOUT", proxy: `127.0.0.1:${proxyPort}`, proxyStage: "connect" }]);
      expect(stdout).toContain("never answered CONNECT");
    } finally {
      for (const socket of silent) socket.destroy();
    }
  });

  it("names a proxy's own 503 on the Bayeux stage even when no proxy is configured (a transparent one)", async () => {
    const port = await listen(
      http.createServer((request, response) => {
        request.resume();
        if (request.method === "GET") return response.end("ok");
        response.writeHead(503, { "x-squid-error": "ERR_CONNECT_FAIL 110", server: "squid/5.7" });
        response.end();
      }),
    );
    const { code, events, stdout } = await funnelTo(`http://127.0.0.1:${port}`, "probe-transparent-503", {}, ["--bayeux-path", "/cometd"]);
    expect(code).toBe(1);
    const [failure] = events.filter((e) => e.type === "connect_failed");
    expect(failure).toMatchObject({ stage: "bayeux", errno: "HTTP_503", proxyError: "ERR_CONNECT_FAIL 110" });
    expect(failure).not.toHaveProperty("proxy");
    expect(failure).not.toHaveProperty("proxyStage");
    expect(stdout).toContain("a proxy this probe was not told about answered for 127.0.0.1");
    expect(linkscope.rejected).toEqual([]);
  });
});
