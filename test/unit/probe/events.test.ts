import { describe, expect, it } from "vitest";
import { endpointOf, stampEvent } from "@/lib/probe/events";
import { distinguishedName } from "@/lib/probe/tls-chain";

describe("stampEvent", () => {
  it("adds a unique id, the probe's device and site, and an RFC 3339 time", () => {
    const at = new Date("2026-11-26T10:00:00.123Z");
    const first = stampEvent({ device: "probe-x", site: "hamburg" }, { type: "connect", session: "s1", endpoint: "h:443" }, at);
    const second = stampEvent({ device: "probe-x" }, { type: "connect", session: "s1", endpoint: "h:443" }, at);
    expect(first).toMatchObject({ device: "probe-x", site: "hamburg", at: "2026-11-26T10:00:00.123Z", type: "connect", session: "s1" });
    expect(first.id).not.toBe(second.id);
    expect(first.id.length).toBeLessThanOrEqual(128);
    expect("site" in second).toBe(false);
  });
});

describe("endpointOf", () => {
  it("writes host:port, IPv6 in brackets", () => {
    expect(endpointOf("example.com", 443)).toBe("example.com:443");
    expect(endpointOf("::1", 8443)).toBe("[::1]:8443");
  });
});

describe("distinguishedName", () => {
  it("joins Node's one-per-line DN, keeping the escapes Node already applied", () => {
    expect(distinguishedName("C=US\nO=Zscaler Inc.\nCN=Zscaler Intermediate Root CA")).toBe("C=US, O=Zscaler Inc., CN=Zscaler Intermediate Root CA");
    // X509Certificate#subject of /O=Acme, Inc./CN=a\+b, as Node 20 prints it
    expect(distinguishedName("O=Acme\\, Inc.\nCN=a\\+b")).toBe("O=Acme\\, Inc., CN=a\\+b");
  });
});
