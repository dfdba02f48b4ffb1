// CSRF origin checks and the post-login redirect target, as pure functions of a request.
import { describe, expect, test } from "vitest";
import { crossSiteAnonymousRejection, csrfRejection, isSameOrigin } from "@/lib/auth/principal";
import type { Principal } from "@/lib/auth/permissions";
import { safeNextPath } from "@/lib/auth/sign-in";

const req = (method: string, headers: Record<string, string>) => new Request("http://127.0.0.1:3000/api/v1/x", { method, headers });
const viewer: Principal = { kind: "user", userId: 1, email: "v@example.com", name: null, role: "viewer" };
const readKey: Principal = { kind: "key", keyId: 1, prefix: "abcdefgh", scope: "read", site: null };

describe("same origin", () => {
  test.each([
    ["matching Origin", { host: "dash.example", origin: "https://dash.example" }, true],
    ["matching Origin with port", { host: "dash.example:8443", origin: "https://dash.example:8443" }, true],
    ["Origin of another site", { host: "dash.example", origin: "https://evil.example" }, false],
    ["Origin on another port", { host: "dash.example", origin: "https://dash.example:444" }, false],
    ["opaque Origin", { host: "dash.example", origin: "null" }, false],
    ["opaque Origin does not fall back to Referer", { host: "dash.example", origin: "null", referer: "https://dash.example/x" }, false],
    ["no Origin, matching Referer", { host: "dash.example", referer: "https://dash.example/settings" }, true],
    ["no Origin, foreign Referer", { host: "dash.example", referer: "https://evil.example/dash.example" }, false],
    ["neither", { host: "dash.example" }, false],
    ["proxy's X-Forwarded-Host", { host: "10.0.0.5:3000", "x-forwarded-host": "dash.example", origin: "https://dash.example" }, true],
    ["case of the host", { host: "Dash.Example", origin: "https://dash.example" }, true],
  ])("%s", (_name, headers, same) => {
    expect(isSameOrigin(req("POST", headers as Record<string, string>))).toBe(same);
  });
});

describe("csrfRejection", () => {
  test("a cookie POST from another site: 403; from ours: allowed", async () => {
    const refused = csrfRejection(req("POST", { host: "dash.example", origin: "https://evil.example" }), viewer);
    expect(refused?.status).toBe(403);
    expect(csrfRejection(req("POST", { host: "dash.example", origin: "https://dash.example" }), viewer)).toBeNull();
    expect(csrfRejection(req("DELETE", { host: "dash.example" }), viewer)?.status).toBe(403);
  });
  test("reads and key-authenticated calls are exempt", () => {
    expect(csrfRejection(req("GET", { host: "dash.example", origin: "https://evil.example" }), viewer)).toBeNull();
    expect(csrfRejection(req("POST", { host: "dash.example", origin: "https://evil.example" }), readKey)).toBeNull();
  });
  test("login and setup: a foreign Origin is refused, none at all is allowed (not a browser)", () => {
    expect(crossSiteAnonymousRejection(req("POST", { host: "dash.example", origin: "https://evil.example" }))?.status).toBe(403);
    expect(crossSiteAnonymousRejection(req("POST", { host: "dash.example" }))).toBeNull();
    expect(crossSiteAnonymousRejection(req("POST", { host: "dash.example", origin: "https://dash.example" }))).toBeNull();
  });
});

describe("safeNextPath", () => {
  test.each([
    ["/sites/hamburg?range=7d#chart", "/sites/hamburg?range=7d#chart"],
    ["/", "/"],
    [undefined, "/"],
    ["https://evil.example/", "/"],
    ["//evil.example/", "/"],
    ["/\\evil.example", "/"],
    ["/\t/evil.example", "/"],
    ["javascript:alert(1)", "/"],
    ["sites", "/"],
    ["/login?next=/x", "/"],
    ["/setup", "/"],
    ["/api/v1/users", "/"],
    ["/loginx", "/loginx"],
  ])("%s → %s", (raw, expected) => {
    expect(safeNextPath(raw)).toBe(expected);
  });
});
