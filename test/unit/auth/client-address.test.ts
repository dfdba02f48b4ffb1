// The client's address: the socket unless LINKSCOPE_TRUST_PROXY says which forwarding hops to
// believe; a client writing its own X-Forwarded-For chooses nothing.
import { describe, expect, test } from "vitest";
import { clientAddress, clientAddressFrom, parseProxyTrust, PEER_HEADER } from "@/lib/auth/client-address";

const req = (peer: string | null, xff?: string) =>
  new Request("http://x/", { headers: { ...(peer !== null ? { [PEER_HEADER]: peer } : {}), ...(xff ? { "x-forwarded-for": xff } : {}) } });

describe("no trusted proxy (the default)", () => {
  test("the socket's address, whatever X-Forwarded-For says", () => {
    expect(clientAddress(req("198.51.100.7"), {})).toBe("198.51.100.7");
    expect(clientAddress(req("198.51.100.7", "203.0.113.1"), {})).toBe("198.51.100.7");
    expect(clientAddress(req("::ffff:198.51.100.7", "1.1.1.1, 2.2.2.2"), {})).toBe("198.51.100.7");
  });
  test("without the production server's peer header (next dev): the last forwarded entry Next.js fills in", () => {
    expect(clientAddress(req(null, "203.0.113.9"), {})).toBe("203.0.113.9");
    expect(clientAddress(req(null), {})).toBeNull();
  });
});

describe("LINKSCOPE_TRUST_PROXY as a hop count", () => {
  test("one proxy: the address it appended", () => {
    expect(clientAddress(req("10.0.0.2", "203.0.113.9"), { LINKSCOPE_TRUST_PROXY: "1" })).toBe("203.0.113.9");
    // A client's own entries sit left of what the proxy appended: they change nothing.
    expect(clientAddress(req("10.0.0.2", "6.6.6.6, 203.0.113.9"), { LINKSCOPE_TRUST_PROXY: "1" })).toBe("203.0.113.9");
  });
  test("two proxies", () => {
    expect(clientAddress(req("10.0.0.2", "6.6.6.6, 203.0.113.9, 10.0.0.9"), { LINKSCOPE_TRUST_PROXY: "2" })).toBe("203.0.113.9");
  });
  test("more hops than the chain: its first entry", () => {
    expect(clientAddress(req("10.0.0.2"), { LINKSCOPE_TRUST_PROXY: "1" })).toBe("10.0.0.2");
  });
});

describe("LINKSCOPE_TRUST_PROXY as addresses and CIDR ranges", () => {
  const env = { LINKSCOPE_TRUST_PROXY: "10.0.0.0/8, 192.168.1.7, fd00::/8" };
  test("the nearest hop outside the trusted networks", () => {
    expect(clientAddress(req("10.0.0.2", "203.0.113.9, 192.168.1.7"), env)).toBe("203.0.113.9");
    expect(clientAddress(req("fd00::1", "2001:db8::5"), env)).toBe("2001:db8::5");
  });
  test("a peer outside the list is the client, whatever it forwards", () => {
    expect(clientAddress(req("198.51.100.7", "203.0.113.9"), env)).toBe("198.51.100.7");
  });
  test("malformed settings are refused with the culprit named", () => {
    expect(() => parseProxyTrust("10.0.0.0/33")).toThrow(/10\.0\.0\.0\/33/);
    expect(() => parseProxyTrust("proxy.example")).toThrow(/proxy\.example/);
    expect(parseProxyTrust("")).toBeNull();
    expect(parseProxyTrust("0")).toBeNull();
  });
  test("rotating X-Forwarded-For from one untrusted peer always gives that peer", () => {
    const seen = new Set(Array.from({ length: 20 }, (_, i) => clientAddressFrom("198.51.100.7", `203.0.113.${i}`, parseProxyTrust("10.0.0.0/8"))));
    expect([...seen]).toEqual(["198.51.100.7"]);
  });
});
