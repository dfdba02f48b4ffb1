/**
 * What the person running the probe should do about a failure that a proxy had a part in:
 * a wrong proxy setting, missing credentials, the proxy's policy, the proxy's own path, or an
 * intercepting proxy between the probe and its Linkscope server. Text only, no I/O.
 */
import { tcpOutcome, type StageFailure } from "./failure";
import type { ProxyRoute } from "./proxy";
import { UntrustedChain, bareHostname, targetPort } from "./transport";

/** How a connection that a proxy cut ends for the probe. */
const BROKEN = new Set(["ECONNRESET", "ESERVERCLOSED", "EPIPE"]);

/** How a message names the setting to correct. */
function settingOf(route: ProxyRoute): string {
  return route.source === "--proxy" ? "--proxy" : `the ${route.source} environment variable`;
}

/** `NO_PROXY=host` for this URL (host:port when other URLs on that host must keep the proxy). */
export function noProxyEntry(url: URL, keepProxyFor: readonly URL[] = []): string {
  const host = bareHostname(url);
  const shared = keepProxyFor.some((other) => bareHostname(other) === host && targetPort(other) !== targetPort(url));
  return `NO_PROXY=${shared ? `${host}:${targetPort(url)}` : host}`;
}

/**
 * The remedy for a failure with a proxy part, or undefined when the proxy is not what went wrong
 * (it opened the tunnel and the failure lies beyond it).
 */
export function proxyRemedy(failure: StageFailure, route: ProxyRoute | undefined, target: URL): string | undefined {
  const part = failure.proxy ?? (route ? { stage: "tunnel" as const } : undefined);
  if (!part) return undefined;
  const host = bareHostname(target);
  const port = targetPort(target);
  if (part.stage === "tunnel") {
    // Plain HTTP inside a CONNECT tunnel is what an inspecting proxy cuts: it expects a TLS ClientHello.
    if (!route || target.protocol !== "http:" || !BROKEN.has(failure.errno)) return undefined;
    return `the proxy ${route.label} opened the tunnel but cut the plain HTTP inside it (${failure.errno}): inspecting proxies expect TLS there. Use the https:// address, or reach ${host} without the proxy (NO_PROXY=${host} or --no-proxy).`;
  }
  if (!route) {
    return `a proxy this probe was not told about answered for ${host} (${part.error ?? failure.errno}): the network intercepts traffic transparently; ask IT which proxy it is and how ${host} port ${port} gets through it.`;
  }
  const proxy = `the proxy ${route.label}`;
  const setting = settingOf(route);
  switch (part.stage) {
    case "dns":
      return `the proxy's name ${bareHostname(route.url)} does not resolve: check the proxy address in ${setting}.`;
    case "tcp":
      return tcpOutcome(failure.errno) === "refused"
        ? `nothing accepts connections at ${proxy}: check the proxy's host and port in ${setting} (is the proxy running?); if this network allows direct connections, --no-proxy or NO_PROXY=${host} goes around it.`
        : `${proxy} does not answer (${failure.errno}): check the proxy address in ${setting} and that this network may reach it.`;
    case "connect":
      if (failure.errno === "PROXY_AUTH_REQUIRED") {
        const realm = part.realm ? ` (realm "${part.realm}")` : "";
        return route.url.username
          ? `${proxy} rejected the credentials in ${setting}${realm}: check the user name and password (URL-encode special characters such as @ and :).`
          : `${proxy} requires authentication${realm}: put the credentials in the proxy URL, http://USER:PASSWORD@${route.label}, in ${setting}.`;
      }
      if (failure.errno === "PROXY_FORBIDDEN") {
        return `${proxy} does not allow tunnels to ${host} port ${port}: ask IT to add it to the proxy's allow-list (Squid: the SSL_ports / http_access rules).`;
      }
      if (failure.errno === "ETIMEDOUT") {
        return `${proxy} accepted the connection but never answered CONNECT: check that ${setting} names an HTTP proxy's port (not a SOCKS or TLS one).`;
      }
      return `${proxy} refused the tunnel to ${host} port ${port} (${failure.errno}${part.error ? `, ${part.error}` : ""}): ask IT what its policy requires.`;
    case "origin":
      return failure.stage === "tcp"
        ? `${proxy} itself could not connect to ${host} port ${port}${part.error ? ` (${part.error})` : ""}: the block is beyond the proxy; ask IT to let the proxy reach ${host} on port ${port}.`
        : `${proxy} inspects TLS and could not set up or verify its own connection to ${host}${part.error ? ` (${part.error})` : ""}: ask IT to exempt ${host} from TLS inspection (splice it), or to make the proxy trust the platform's certificate chain.`;
  }
}

/**
 * What to do when the report could not be sent to the Linkscope server (the events stay
 * spooled). Undefined when there is nothing more specific to say than the failure itself.
 */
export function reportRemedy(failure: StageFailure, server: URL, route: ProxyRoute | undefined, target: URL): string | undefined {
  const exempt = noProxyEntry(server, [target]);
  if (failure instanceof UntrustedChain) {
    if (failure.errno === "ERR_TLS_CERT_ALTNAME_INVALID") {
      return `the Linkscope server's certificate is not issued for ${bareHostname(server)}${route ? ` (as presented through the proxy ${route.label})` : ""}: use the server's name or address as its certificate gives it in --server.`;
    }
    if (!route) return `the Linkscope server's certificate is not trusted (issuer ${failure.issuer}): pass its CA with --ca FILE if it is a private one; the key is not sent over an untrusted chain.`;
    return (
      `the report goes through the proxy ${route.label} (from ${settingOf(route)}), which presents its own certificate for ${bareHostname(server)} (issuer ${failure.issuer}): ` +
      `it intercepts TLS, so the ingest key is not sent through it. Exempt the server from the proxy (${exempt}), ` +
      `or pass the proxy's CA with --ca FILE if IT confirms it is the company's inspection CA, or give this machine a direct route to ${bareHostname(server)}.`
    );
  }
  if (!route) return undefined;
  const remedy = proxyRemedy(failure, route, server);
  if (remedy && failure.proxy?.stage !== "tunnel") return `${remedy} Or send the report around the proxy: ${exempt}.`;
  if (server.protocol === "http:") {
    return (
      `the proxy ${route.label} (from ${settingOf(route)}) broke the connection carrying the report to ${server.origin} (${failure.errno}): ` +
      `inspecting proxies expect TLS inside a CONNECT tunnel, not plain HTTP. Use the server's https:// address, exempt it (${exempt}), or run with --no-proxy.`
    );
  }
  return `the report to ${server.origin} went through the proxy ${route.label} (from ${settingOf(route)}) and failed (${failure.errno}): exempt the server (${exempt}) to rule the proxy out.`;
}
