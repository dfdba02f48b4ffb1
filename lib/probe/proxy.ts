import http, { type IncomingHttpHeaders } from "node:http";
import type { Socket } from "node:net";
import type { Environment } from "./environment";
import { StageFailure, errnoOf, messageOf, type ProxyPart } from "./failure";

/** Where the proxy setting came from, so a message can say what to correct. */
export type ProxySource = "--proxy" | "HTTPS_PROXY" | "https_proxy" | "HTTP_PROXY" | "http_proxy";

/** An HTTP proxy to tunnel through (CONNECT), and where it was configured. */
export interface ProxyRoute {
  url: URL;
  /** `host:port`, never the credentials. */
  label: string;
  source: ProxySource;
}

/**
 * The HTTP proxy to reach `target` through: `--proxy` wins, else HTTPS_PROXY / https_proxy
 * (HTTP_PROXY for plain http targets), minus hosts matched by NO_PROXY.
 */
export function proxyFor(target: URL, flag: string | undefined, env: Environment): ProxyRoute | undefined {
  if (flag !== undefined) return flag === "" ? undefined : routeOf(flag, "--proxy");
  const names: ProxySource[] = target.protocol === "https:" ? ["HTTPS_PROXY", "https_proxy"] : ["HTTP_PROXY", "http_proxy"];
  const source = names.find((name) => env[name]);
  if (!source) return undefined;
  if (bypassesProxy(target, env.NO_PROXY ?? env.no_proxy ?? "")) return undefined;
  return routeOf(env[source] ?? "", source);
}

function routeOf(text: string, source: ProxySource): ProxyRoute {
  const url = parseProxyUrl(text);
  return { url, label: proxyLabel(url), source };
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

/** `proxy host:port (from HTTPS_PROXY)`: how messages name a proxy. */
export function describeProxy(route: ProxyRoute): string {
  return `proxy ${route.label} (from ${route.source})`;
}

const MAX_PROXY_ERROR = 256;

/**
 * The proxy's own account of an error: Squid's `X-Squid-Error` (`ERR_SECURE_CONNECT_FAIL 0`),
 * else RFC 9209's `Proxy-Status`. Present on answers the proxy made itself, not the origin's.
 */
export function proxyErrorOf(headers: IncomingHttpHeaders): string | undefined {
  const raw = headers["x-squid-error"] ?? headers["proxy-status"];
  const value = (Array.isArray(raw) ? raw.join(", ") : raw)?.trim();
  return value ? value.slice(0, MAX_PROXY_ERROR) : undefined;
}

/**
 * What a refused CONNECT means. 407 and 403 come from the proxy's own policy (the proxy was
 * reached, the tunnel was not allowed); a 5xx is the proxy reporting that *it* could not reach
 * the target (Squid: 503 `ERR_CONNECT_FAIL`, `ERR_DNS_FAIL`), a failure beyond the proxy.
 */
export function connectRefusal(status: number, headers: IncomingHttpHeaders): { errno: string; part: ProxyPart } {
  const error = proxyErrorOf(headers);
  const withError = error === undefined ? {} : { error };
  if (status === 407) {
    const realm = /realm="?([^",]*)"?/i.exec(String(headers["proxy-authenticate"] ?? ""))?.[1];
    return { errno: "PROXY_AUTH_REQUIRED", part: { stage: "connect", ...withError, ...(realm ? { realm } : {}) } };
  }
  if (status === 403) return { errno: "PROXY_FORBIDDEN", part: { stage: "connect", ...withError } };
  return { errno: `PROXY_${status}`, part: { stage: status >= 500 ? "origin" : "connect", ...withError } };
}

/**
 * Asks the proxy, over an already connected socket, for a tunnel to host:port (HTTP CONNECT),
 * and resolves to the tunnelled socket. A refusal is a `tcp` stage failure (for the device the
 * far end is unreachable at TCP level) whose proxy part says whether the proxy's policy or the
 * proxy's own path to the target refused it.
 */
export function openTunnel(proxySocket: Socket, route: ProxyRoute, authority: string, timeoutMs: number): Promise<Socket> {
  const started = Date.now();
  const headers: Record<string, string> = { host: authority };
  if (route.url.username) {
    const credentials = `${decodeURIComponent(route.url.username)}:${decodeURIComponent(route.url.password)}`;
    headers["proxy-authorization"] = `Basic ${Buffer.from(credentials).toString("base64")}`;
  }
  const proxy = describeProxy(route);
  return new Promise((resolve, reject) => {
    const fail = (errno: string, message: string, part: ProxyPart) => {
      proxySocket.destroy();
      reject(new StageFailure("tcp", errno, message, Date.now() - started, part));
    };
    const refused = (status: number, statusMessage: string | undefined, answer: IncomingHttpHeaders) => {
      const { errno, part } = connectRefusal(status, answer);
      const said = part.error ? ` (${part.error})` : "";
      const verb = part.stage === "origin" ? "could not open" : "refused";
      fail(errno, `${proxy} ${verb} the tunnel to ${authority}: ${status} ${statusMessage ?? ""}`.trimEnd() + said, part);
    };
    const request = http.request({
      method: "CONNECT",
      path: authority,
      headers,
      createConnection: () => proxySocket,
    });
    const timer = setTimeout(() => {
      request.destroy();
      fail("ETIMEDOUT", `${proxy} accepted the connection but did not answer CONNECT ${authority} within ${timeoutMs} ms`, { stage: "connect" });
    }, timeoutMs);
    request.once("connect", (response, socket, head) => {
      clearTimeout(timer);
      if (response.statusCode !== 200) {
        socket.destroy();
        refused(response.statusCode ?? 0, response.statusMessage, response.headers);
        return;
      }
      if (head.length > 0) socket.unshift(head);
      resolve(socket);
    });
    request.once("response", (response) => {
      clearTimeout(timer);
      response.resume();
      refused(response.statusCode ?? 0, response.statusMessage, response.headers);
    });
    request.once("error", (error) => {
      clearTimeout(timer);
      fail(errnoOf(error), `${proxy} dropped the CONNECT ${authority}: ${messageOf(error)}`, { stage: "connect" });
    });
    request.end();
  });
}
