import { describe, expect, it } from "vitest";
import { StageFailure, errnoOf, tcpOutcome } from "@/lib/probe/failure";

describe("errnoOf", () => {
  it("takes Node's error code, the stage failure's errno, or reads 'socket hang up' as a reset", () => {
    expect(errnoOf(Object.assign(new Error("x"), { code: "ECONNREFUSED" }))).toBe("ECONNREFUSED");
    expect(errnoOf(new StageFailure("tls", "ERR_SSL_WRONG_VERSION_NUMBER", "x", 3))).toBe("ERR_SSL_WRONG_VERSION_NUMBER");
    expect(errnoOf(new Error("socket hang up"))).toBe("ECONNRESET");
    expect(errnoOf("weird", "EFALLBACK")).toBe("EFALLBACK");
  });
});

describe("tcpOutcome", () => {
  it.each([
    ["ECONNREFUSED", "refused"],
    ["ETIMEDOUT", "timed_out"],
    ["EHOSTUNREACH", "unreachable"],
    ["ENETUNREACH", "unreachable"],
    ["ECONNRESET", "reset"],
    ["PROXY_403", "other"],
  ])("%s is %s", (errno, outcome) => {
    expect(tcpOutcome(errno)).toBe(outcome);
  });
});
