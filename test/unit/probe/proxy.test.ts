import { describe, expect, it } from "vitest";
import { bypassesProxy, proxyFor } from "@/lib/probe/proxy";

const target = new URL("https://tenant.cumulocity.com");

describe("proxyFor", () => {
  it("prefers --proxy, then HTTPS_PROXY, then https_proxy", () => {
    expect(proxyFor(target, "http://flag:3128", { HTTPS_PROXY: "http://env:8080" })?.host).toBe("flag:3128");
    expect(proxyFor(target, undefined, { HTTPS_PROXY: "http://env:8080", https_proxy: "http://lower:1" })?.host).toBe("env:8080");
    expect(proxyFor(target, undefined, { https_proxy: "lower:3128" })?.host).toBe("lower:3128");
  });
  it("uses HTTP_PROXY for plain http targets", () => {
    expect(proxyFor(new URL("http://x.example"), undefined, { HTTPS_PROXY: "http://s:1", HTTP_PROXY: "http://p:2" })?.host).toBe("p:2");
  });
  it("has no proxy after --no-proxy (an empty flag)", () => {
    expect(proxyFor(target, "", { HTTPS_PROXY: "http://env:8080" })).toBeUndefined();
  });
  it("keeps proxy credentials for Proxy-Authorization", () => {
    const proxy = proxyFor(target, "http://user:p%40ss@proxy:3128", {});
    expect([proxy?.username, decodeURIComponent(proxy?.password ?? "")]).toEqual(["user", "p@ss"]);
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
