import { describe, expect, it } from "vitest";
import { detectPortBlocked } from "../../../lib/analysis/portBlocked";
import { lastStartsOf } from "../../../lib/analysis/scopes";
import { HOUR, NOW, session, tcpFailure } from "./builders";

const every10min = (n: number) => Array.from({ length: n }, (_, i) => NOW - i * 600_000);

describe("port_blocked", () => {
  it("refused: ECONNREFUSED and never a connection", () => {
    const events = every10min(12).map((at, i) => tcpFailure(`hamburg-d${i % 3}`, at, "ECONNREFUSED", { elapsedMs: 12 }));
    const [f] = detectPortBlocked(new Map(), events);
    expect(f.evidence.mode).toBe("refused");
    expect(f.evidence.endpoint).toBe("acme.cumulocity.example:443");
    expect(f.evidence.affectedDeviceCount).toBe(3);
    expect(f.severity).toBe("critical");
    expect(f.summary).toContain("has succeeded at all in this window: 3 devices failed 12 attempts (12 ECONNREFUSED)");
    expect(f.summary).toContain("actively refused");
    expect(f.recommendation).toContain("allow outbound TCP from this site's network to acme.cumulocity.example on port 443");
  });

  it("dropped: connect timeouts and unreachables", () => {
    const events = every10min(10).map((at, i) => tcpFailure("hamburg-d0", at, i % 5 === 0 ? "EHOSTUNREACH" : "ETIMEDOUT", { elapsedMs: 130_000 }));
    const [f] = detectPortBlocked(new Map(), events);
    expect(f.evidence.mode).toBe("dropped");
    expect(f.summary).toContain("time out after ~130 s");
  });

  it("counts only failures after the last successful session", () => {
    const events = every10min(12).map((at) => tcpFailure("hamburg-d0", at, "ETIMEDOUT"));
    const recovered = session({ device: "hamburg-d1", start: NOW - 5 * 60_000 });
    expect(detectPortBlocked(lastStartsOf([recovered]), events)).toEqual([]);
    const before = session({ device: "hamburg-d1", start: NOW - 2 * HOUR });
    const [f] = detectPortBlocked(lastStartsOf([before]), events);
    expect(f.evidence.lastSuccess).toBe(new Date(NOW - 2 * HOUR).toISOString());
  });

  it("needs several failures over ten minutes, on the configured ports", () => {
    expect(detectPortBlocked(new Map(), every10min(2).map((at) => tcpFailure("hamburg-d0", at, "ETIMEDOUT")))).toEqual([]);
    expect(detectPortBlocked(new Map(), [0, 1, 2, 3].map((i) => tcpFailure("hamburg-d0", NOW - i * 1000, "ETIMEDOUT")))).toEqual([]);
    const mqtt = every10min(10).map((at) => tcpFailure("hamburg-d0", at, "ECONNREFUSED", { endpoint: "broker.example:8883" }));
    expect(detectPortBlocked(new Map(), mqtt)).toEqual([]);
    expect(detectPortBlocked(new Map(), mqtt, { ports: [8883] })).toHaveLength(1);
  });

  it("ignores failures at other stages", () => {
    const events = every10min(10).map((at) => tcpFailure("hamburg-d0", at, "SELF_SIGNED_CERT_IN_CHAIN", { stage: "tls" }));
    expect(detectPortBlocked(new Map(), events)).toEqual([]);
  });
});
