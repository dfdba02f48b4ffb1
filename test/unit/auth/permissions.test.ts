// The access table of lib/auth/permissions.ts, one row per kind of caller, one column per
// question. A new permission or caller adds a column or a row here.
import { describe, expect, test } from "vitest";
import {
  canAcknowledgeFindings,
  canIngest,
  canManageKeys,
  canManageOwnSessions,
  canMoveDevices,
  canManageSettings,
  canManageUsers,
  canShareReports,
  canViewFleet,
  canViewSite,
  confinedSite,
  type Principal,
} from "@/lib/auth/permissions";
import type { Role } from "@/lib/contract/auth";

const hamburg = { id: 1, slug: "hamburg" };
const user = (role: Role): Principal => ({ kind: "user", userId: 1, email: `${role}@example.com`, name: null, role });
const key = (scope: "read" | "ingest", site: typeof hamburg | null = null): Principal => ({ kind: "key", keyId: 1, prefix: "abcdefgh", scope, site });
const share: Principal = { kind: "share", linkId: 1, site: hamburg };

const callers: [string, Principal][] = [
  ["admin", user("admin")],
  ["operator", user("operator")],
  ["viewer", user("viewer")],
  ["read key, fleet", key("read")],
  ["read key, hamburg", key("read", hamburg)],
  ["ingest key, fleet", key("ingest")],
  ["ingest key, hamburg", key("ingest", hamburg)],
  ["share link, hamburg", share],
];

type Column = [name: string, check: (p: Principal) => boolean];
const columns: Column[] = [
  ["canViewFleet", canViewFleet],
  ["canViewSite(hamburg)", (p) => canViewSite(p, "hamburg")],
  ["canViewSite(munich)", (p) => canViewSite(p, "munich")],
  ["canIngest", canIngest],
  ["canAcknowledgeFindings", canAcknowledgeFindings],
  ["canShareReports", canShareReports],
  ["canManageKeys", canManageKeys],
  ["canManageUsers", canManageUsers],
  ["canManageSettings", canManageSettings],
  ["canManageOwnSessions", canManageOwnSessions],
  ["canMoveDevices", canMoveDevices],
];

// prettier-ignore
const expected: Record<string, boolean[]> = {
  //                      fleet  ham    mun    ingest ack    share  keys   users  settings own  move
  "admin":               [true,  true,  true,  false, true,  true,  true,  true,  true,    true, true],
  "operator":            [true,  true,  true,  false, true,  true,  false, false, false,   true, true],
  "viewer":              [true,  true,  true,  false, false, false, false, false, false,   true, false],
  "read key, fleet":     [true,  true,  true,  false, false, false, false, false, false,   false, false],
  "read key, hamburg":   [false, true,  false, false, false, false, false, false, false,   false, false],
  "ingest key, fleet":   [false, false, false, true,  false, false, false, false, false,   false, false],
  "ingest key, hamburg": [false, false, false, true,  false, false, false, false, false,   false, false],
  "share link, hamburg": [false, true,  false, false, false, false, false, false, false,   false, false],
};

describe.each(callers)("%s", (name, principal) => {
  test.each(columns.map(([column, check], i) => [column, check, i] as const))("%s", (_column, check, i) => {
    expect(check(principal)).toBe(expected[name][i]);
  });
});

test("confinedSite: users are never confined; site keys and share links are", () => {
  expect(callers.map(([name, p]) => [name, confinedSite(p)])).toEqual([
    ["admin", null],
    ["operator", null],
    ["viewer", null],
    ["read key, fleet", null],
    ["read key, hamburg", "hamburg"],
    ["ingest key, fleet", null],
    ["ingest key, hamburg", "hamburg"],
    ["share link, hamburg", "hamburg"],
  ]);
});
