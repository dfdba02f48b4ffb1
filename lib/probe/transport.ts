import { promises as dns } from "node:dns";
import net, { type Socket } from "node:net";
import tls, { type TLSSocket } from "node:tls";
import type { CertificateSummary } from "./events";
import { endpointOf } from "./events";
import { StageFailure, errnoOf, messageOf } from "./failure";
import { describeProxy, openTunnel, type ProxyRoute } from "./proxy";
import { presentedChain } from "./tls-chain";

export interface TransportOptions {
  proxy?: ProxyRoute;
  connectTimeoutMs: number;
  /** Trust anchors replacing Node's default store (undefined: the default store). */
  ca?: string[];
  /** Fail the `tls` stage when the chain is not trusted (for requests that carry the key). */
  requireTrusted: boolean;
}

export interface TlsHandshake {
  verified: boolean;
  error?: string;
  protocol?: string;
  cipher?: string;
  chain: CertificateSummary[];
}

/** One open connection to a target, and what each funnel stage found on the way. */
export interface OpenedTransport {
  socket: Socket;
  endpoint: string;
  addresses: string[];
  stageMs: { dns: number; tcp: number; tls?: number };
  tls?: TlsHandshake;
  /** The proxy the connection was tunnelled through (`host:port`). */
  via?: string;
}

/** The chain was not trusted and the connection carries the key: it was not used. */
export class UntrustedChain extends StageFailure {
  /** The issuer of the last certificate presented (the root or the interceptor's CA). */
  readonly issuer: string;

  constructor(endpoint: string, handshake: TlsHandshake, route: ProxyRoute | undefined, elapsedMs: number) {
    const issuer = handshake.chain[handshake.chain.length - 1]?.issuer ?? "unknown issuer";
    const seen = route ? `, as presented through ${describeProxy(route)}` : "";
    super("tls", handshake.error ?? "CERT_UNTRUSTED", `certificate of ${endpoint} not trusted (${handshake.error}; issuer ${issuer}${seen})`, elapsedMs, route ? { stage: "tunnel" } : undefined);
    this.issuer = issuer;
  }
}

export function targetPort(url: URL): number {
  if (url.port) return Number(url.port);
  return url.protocol === "https:" ? 443 : 80;
}

/** A path of the Linkscope API under the server URL (which may carry a base path). */
export function serverPath(server: URL, path: string): string {
  return `${server.pathname.replace(/\/$/, "")}${path}`;
}

export function bareHostname(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, "");
}

/**
 * Opens a fresh connection to `target`, stage by stage: DNS → TCP (direct, or to the proxy
 * followed by CONNECT) → TLS. Every socket has TCP keepalive off, so an idle connection
 * carries no bytes at all (the idle-timeout measurement depends on it).
 */
export async function openTransport(target: URL, options: TransportOptions): Promise<OpenedTransport> {
  const host = bareHostname(target);
  const port = targetPort(target);
  const endpoint = endpointOf(host, port);
  const route = options.proxy;
  const hop = route ? { host: bareHostname(route.url), port: targetPort(route.url) } : { host, port };
  // Until the tunnel is open, a failure is the proxy's: the device never got as far as the target.
  const toProxy = <T>(attempt: Promise<T>, stage: "dns" | "tcp"): Promise<T> =>
    route ? attempt.catch((error: unknown) => Promise.reject(notReachingProxy(error, route, stage))) : attempt;

  const dnsStarted = Date.now();
  const addresses = await toProxy(lookupHost(hop.host, options.connectTimeoutMs), "dns");
  const dnsMs = Date.now() - dnsStarted;

  const tcpStarted = Date.now();
  let socket = await toProxy(connectTcp(addresses, hop.port, options.connectTimeoutMs), "tcp");
  if (route) socket = await openTunnel(socket, route, endpoint, options.connectTimeoutMs);
  const tcpMs = Date.now() - tcpStarted;
  const via = route?.label;
  if (target.protocol !== "https:") {
    return { socket, endpoint, addresses, stageMs: { dns: dnsMs, tcp: tcpMs }, via };
  }

  const tlsStarted = Date.now();
  const secured = await handshakeTls(socket, host, options).catch((error: unknown) => Promise.reject(beyondTunnel(error, route)));
  const tlsMs = Date.now() - tlsStarted;
  const handshake = describeHandshake(secured);
  if (options.requireTrusted && !handshake.verified) {
    secured.destroy();
    throw new UntrustedChain(endpoint, handshake, route, tlsMs);
  }
  return { socket: secured, endpoint, addresses, stageMs: { dns: dnsMs, tcp: tcpMs, tls: tlsMs }, tls: handshake, via };
}

function notReachingProxy(error: unknown, route: ProxyRoute, stage: "dns" | "tcp"): StageFailure {
  const failure = error instanceof StageFailure ? error : new StageFailure(stage, errnoOf(error), messageOf(error), 0);
  return new StageFailure(failure.stage, failure.errno, `could not reach the ${describeProxy(route)}: ${failure.message}`, failure.elapsedMs, { stage });
}

/** A failure on a tunnel the proxy did open lies beyond the proxy. */
function beyondTunnel(error: unknown, route: ProxyRoute | undefined): unknown {
  if (!route || !(error instanceof StageFailure) || error.proxy) return error;
  return new StageFailure(error.stage, error.errno, `${error.message} (through ${describeProxy(route)})`, error.elapsedMs, { stage: "tunnel" });
}

async function lookupHost(host: string, timeoutMs: number): Promise<string[]> {
  if (net.isIP(host)) return [host];
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`DNS lookup of ${host} timed out`), { code: "ETIMEOUT" })), timeoutMs);
  });
  try {
    const found = await Promise.race([dns.lookup(host, { all: true }), timeout]);
    return found.map((entry) => entry.address);
  } catch (error) {
    throw new StageFailure("dns", errnoOf(error), `DNS lookup of ${host} failed: ${messageOf(error)}`, Date.now() - started);
  } finally {
    clearTimeout(timer);
  }
}

/** Tries each address in turn; the last failure is the one reported. */
async function connectTcp(addresses: string[], port: number, timeoutMs: number): Promise<Socket> {
  let lastFailure: StageFailure | undefined;
  for (const address of addresses) {
    try {
      return await connectOne(address, port, timeoutMs);
    } catch (error) {
      if (!(error instanceof StageFailure)) throw error;
      lastFailure = error;
    }
  }
  throw lastFailure ?? new StageFailure("tcp", "ENOTFOUND", "no address to connect to", 0);
}

function connectOne(address: string, port: number, timeoutMs: number): Promise<Socket> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: address, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new StageFailure("tcp", "ETIMEDOUT", `TCP connect to ${endpointOf(address, port)} timed out after ${timeoutMs} ms`, Date.now() - started));
    }, timeoutMs);
    socket.once("connect", () => {
      clearTimeout(timer);
      socket.removeAllListeners("error");
      socket.setKeepAlive(false);
      socket.setNoDelay(true);
      resolve(socket);
    });
    socket.once("error", (error) => {
      clearTimeout(timer);
      reject(new StageFailure("tcp", errnoOf(error), `TCP connect to ${endpointOf(address, port)}: ${messageOf(error)}`, Date.now() - started));
    });
  });
}

function handshakeTls(socket: Socket, host: string, options: TransportOptions): Promise<TLSSocket> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const secured = tls.connect({
      socket,
      // `host` is what the certificate is checked against (an IP address against its IP SANs);
      // SNI carries names only (RFC 6066), so an IP target sends none.
      host,
      servername: net.isIP(host) ? undefined : host,
      rejectUnauthorized: false,
      ca: options.ca,
      ALPNProtocols: ["http/1.1"],
    });
    const settle = () => {
      clearTimeout(timer);
      secured.removeListener("error", onError);
      secured.removeListener("close", onClose);
    };
    const fail = (errno: string, message: string) => {
      settle();
      secured.destroy();
      reject(new StageFailure("tls", errno, message, Date.now() - started));
    };
    const onError = (error: Error) => fail(errnoOf(error), `TLS handshake with ${host}: ${messageOf(error)}`);
    const onClose = () => fail("ECONNRESET", `TLS handshake with ${host}: connection closed`);
    const timer = setTimeout(() => fail("ETIMEDOUT", `TLS handshake with ${host} timed out after ${options.connectTimeoutMs} ms`), options.connectTimeoutMs);
    secured.once("secureConnect", () => {
      settle();
      resolve(secured);
    });
    secured.once("error", onError);
    secured.once("close", onClose);
  });
}

function describeHandshake(socket: TLSSocket): TlsHandshake {
  const error = socket.authorizationError;
  return {
    verified: socket.authorized,
    error: error === null || error === undefined ? undefined : String(error),
    protocol: socket.getProtocol() ?? undefined,
    cipher: socket.getCipher()?.name,
    chain: presentedChain(socket),
  };
}
