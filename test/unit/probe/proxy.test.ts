import { describe, expect, it } from "vitest";
import { bypassesProxy, connectRefusal, proxyErrorOf, proxyFor } from "@/lib/probe/proxy";

const target = new URL("https://tenant.cumulocity.com");

describe("proxyFor", () => {
  it("prefers --proxy, then HTTPS_PROXY, then https_proxy, and says which one it used", () => {
    expect(proxyFor(target, "http://flag:3128", { HTTPS_PROXY: "http://env:8080" })).toMatchObject({ label: "flag:3128", source: "--proxy" });
    expect(proxyFor(target, undefined, { HTTPS_PROXY: "http://env:8080", https_proxy: "http://lower:1" })).toMatchObject({ label: "env:8080", source: "HTTPS_PROXY" });
    expect(proxyFor(target, undefined, { https_proxy: "lower:3128" })).toMatchObject({ label: "lower:3128", source: "https_proxy" });
  });
  it("uses HTTP_PROXY for plain http targets", () => {
    expect(proxyFor(new URL("http://x.example"), undefined, { HTTPS_PROXY: "http://s:1", HTTP_PROXY: "http://p:2" })).toMatchObject({ label: "p:2", source: "HTTP_PROXY" });
  });
  it("has no proxy after --no-proxy (an empty flag)", () => {
    expect(proxyFor(target, "", { HTTPS_PROXY: "http://env:8080" })).toBeUndefined();
  });
  it("keeps proxy credentials for Proxy-Authorization, but never in the label", () => {
    const proxy = proxyFor(target, "http://user:p%40ss@proxy:3128", {});
    expect([proxy?.url.username, decodeURIComponent(proxy?.url.password ?? "")]).toEqual(["user", "p@ss"]);
    expect(proxy?.label).toBe("proxy:3128");
  });
  it("labels a proxy without a port with HTTP's default", () => {
    expect(proxyFor(target, "http://proxy.corp", {})?.label).toBe("proxy.corp:80");
  });
});

describe("bypassesProxy (NO_PROXY)", () => {
  it("matches hosts, domain suffixes, ports and *", () => {
    expect(bypassesProxy(target, "cumulocity.com")).toBe(true);
    expect(bypassesProxy(target, ".cumulocity.com")).toBe(true);
    expect(bypassesProxy(target, "*.cumulocity.com")).toBe(true);
    expect(bypassesProxy(target, "othercumulocity.com,example.org")).toBe(false);
    expect(bypassesProxy(target, "cumulocity.com:8443")).toBe(false);
    expect(bypassesProxy(target, "cumulocity.com:443")).toBe(true);
    expect(bypassesProxy(target, "*")).toBe(true);
    expect(bypassesProxy(new URL("http://127.0.0.1:3000"), "127.0.0.1")).toBe(true);
  });
});

describe("connectRefusal (what a proxy's answer to CONNECT means)", () => {
  it("reads 407 as authentication required, with the realm and Squid's error", () => {
    const answer = connectRefusal(407, { "proxy-authenticate": 'Basic realm="Corp proxy"', "x-squid-error": "ERR_CACHE_ACCESS_DENIED 0" });
    expect(answer).toEqual({ errno: "PROXY_AUTH_REQUIRED", part: { stage: "connect", realm: "Corp proxy", error: "ERR_CACHE_ACCESS_DENIED 0" } });
  });
  it("reads 403 as the proxy's policy refusing the tunnel", () => {
    expect(connectRefusal(403, { "x-squid-error": "ERR_ACCESS_DENIED 0" })).toEqual({ errno: "PROXY_FORBIDDEN", part: { stage: "connect", error: "ERR_ACCESS_DENIED 0" } });
  });
  it("reads a 5xx as the proxy failing to reach the target itself", () => {
    expect(connectRefusal(503, { "x-squid-error": "ERR_CONNECT_FAIL 111" })).toEqual({ errno: "PROXY_503", part: { stage: "origin", error: "ERR_CONNECT_FAIL 111" } });
    expect(connectRefusal(502, {})).toEqual({ errno: "PROXY_502", part: { stage: "origin" } });
  });
  it("keeps other refusals as PROXY_<status> of the connect step", () => {
    expect(connectRefusal(405, {})).toEqual({ errno: "PROXY_405", part: { stage: "connect" } });
  });
});

describe("proxyErrorOf", () => {
  it("takes X-Squid-Error, else RFC 9209 Proxy-Status, else nothing", () => {
    expect(proxyErrorOf({ "x-squid-error": "ERR_SECURE_CONNECT_FAIL 0", "proxy-status": "x" })).toBe("ERR_SECURE_CONNECT_FAIL 0");
    expect(proxyErrorOf({ "proxy-status": 'proxy.corp; error=tls_certificate_error' })).toBe("proxy.corp; error=tls_certificate_error");
    expect(proxyErrorOf({ via: "1.1 squid" })).toBeUndefined();
    expect(proxyErrorOf({ "x-squid-error": "E".repeat(400) })).toHaveLength(256);
  });
});
