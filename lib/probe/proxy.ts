import http from "node:http";
import type { Socket } from "node:net";
import { StageFailure, errnoOf, messageOf } from "./failure";
import type { Environment } from "./environment";

/**
 * The HTTP proxy to reach `target` through: `--proxy` wins, else HTTPS_PROXY / https_proxy
 * (HTTP_PROXY for plain http targets), minus hosts matched by NO_PROXY.
 */
export function proxyFor(target: URL, flag: string | undefined, env: Environment): URL | undefined {
  if (flag !== undefined) return flag === "" ? undefined : parseProxyUrl(flag);
  const fromEnv =
    target.protocol === "https:"
      ? env.HTTPS_PROXY ?? env.https_proxy
      : env.HTTP_PROXY ?? env.http_proxy;
  if (!fromEnv) return undefined;
  if (bypassesProxy(target, env.NO_PROXY ?? env.no_proxy ?? "")) return undefined;
  return parseProxyUrl(fromEnv);
}

export function parseProxyUrl(text: string): URL {
  const url = new URL(text.includes("://") ? text : `http://${text}`);
  if (url.protocol !== "http:") {
    throw new Error(`proxy ${text}: only http:// proxies (HTTP CONNECT) are supported`);
  }
  return url;
}

/** NO_PROXY: comma-separated hosts or domain suffixes (`.corp`, `corp`), optional `:port`, or `*`. */
export function bypassesProxy(target: URL, noProxy: string): boolean {
  const host = target.hostname.toLowerCase().replace(/^\[|\]$/g, "");
  const port = target.port || (target.protocol === "https:" ? "443" : "80");
  return noProxy
    .split(",")
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry.length > 0)
    .some((entry) => {
      if (entry === "*") return true;
      const [pattern, entryPort] = splitHostPort(entry);
      if (entryPort !== undefined && entryPort !== port) return false;
      const suffix = pattern.replace(/^\*?\./, "");
      return host === suffix || host.endsWith(`.${suffix}`);
    });
}

function splitHostPort(entry: string): [string, string | undefined] {
  const match = /^(.*):(\d+)$/.exec(entry);
  return match && !match[1].includes(":") ? [match[1], match[2]] : [entry, undefined];
}

export function proxyLabel(proxy: URL): string {
  return `${proxy.hostname}:${proxy.port || "80"}`;
}

/**
 * Asks the proxy, over an already connected socket, for a tunnel to host:port (HTTP CONNECT),
 * and resolves to the tunnelled socket. Refusals become a `tcp` stage failure `PROXY_<status>`:
 * for the device, the far end is unreachable at TCP level.
 */
export function openTunnel(
  proxySocket: Socket,
  proxy: URL,
  authority: string,
  timeoutMs: number,
): Promise<Socket> {
  const started = Date.now();
  const headers: Record<string, string> = { host: authority };
  if (proxy.username) {
    const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
    headers["proxy-authorization"] = `Basic ${Buffer.from(credentials).toString("base64")}`;
  }
  return new Promise((resolve, reject) => {
    const fail = (errno: string, message: string) => {
      proxySocket.destroy();
      reject(new StageFailure("tcp", errno, message, Date.now() - started));
    };
    const request = http.request({
      method: "CONNECT",
      path: authority,
      headers,
      createConnection: () => proxySocket,
    });
    const timer = setTimeout(() => {
      request.destroy();
      fail("ETIMEDOUT", `proxy ${proxyLabel(proxy)} did not answer CONNECT ${authority} within ${timeoutMs} ms`);
    }, timeoutMs);
    request.once("connect", (response, socket, head) => {
      clearTimeout(timer);
      if (response.statusCode !== 200) {
        socket.destroy();
        fail(`PROXY_${response.statusCode}`, `proxy ${proxyLabel(proxy)} refused CONNECT ${authority}: ${response.statusCode} ${response.statusMessage ?? ""}`.trim());
        return;
      }
      if (head.length > 0) socket.unshift(head);
      resolve(socket);
    });
    request.once("response", (response) => {
      clearTimeout(timer);
      response.resume();
      fail(`PROXY_${response.statusCode}`, `proxy ${proxyLabel(proxy)} answered CONNECT with ${response.statusCode}`);
    });
    request.once("error", (error) => {
      clearTimeout(timer);
      fail(errnoOf(error), `proxy ${proxyLabel(proxy)}: ${messageOf(error)}`);
    });
    request.end();
  });
}
