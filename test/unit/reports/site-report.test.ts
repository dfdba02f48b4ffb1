// The report's guards that need no database: a finding's devices are cut to the link's
// site, and the window never spans more than a read may.
import { expect, test } from "vitest";
import { MAX_RANGE_MS } from "@/lib/queries/time-buckets";
import type { OfflineEvidence } from "@/lib/contract/evidence";
import { affected, reportWindow } from "@/lib/reports/site-report";
import { evidenceFor } from "../../helpers/evidence";

test("affected devices: only this site's, with the finding's own count when nothing was cut", () => {
  const own = new Set(["gw-hh-01", "gw-hh-02"]);
  const offline = (device: string | null, evidence: Partial<OfflineEvidence>) => ({ kind: "offline" as const, device, evidence: evidenceFor("offline", evidence) });
  expect(affected(offline(null, { affectedDevices: ["gw-hh-01", "gw-hh-02"], affectedDeviceCount: 40 }), own)).toEqual({
    affectedDevices: ["gw-hh-01", "gw-hh-02"],
    affectedCount: 40,
  });
  // A device of another site in the evidence is dropped, and so is the count that included it.
  expect(affected(offline(null, { affectedDevices: ["gw-hh-01", "gw-be-01"], affectedDeviceCount: 2 }), own)).toEqual({
    affectedDevices: ["gw-hh-01"],
    affectedCount: 1,
  });
  expect(affected(offline("gw-hh-02", {}), own)).toEqual({ affectedDevices: ["gw-hh-02"], affectedCount: 1 });
  expect(affected(offline("gw-be-09", {}), own)).toEqual({ affectedDevices: [], affectedCount: 0 });
});

test("the report window is the link's, at most 92 days", () => {
  const to = Date.UTC(2026, 10, 26);
  expect(reportWindow({ from: to - 86_400_000, to })).toEqual({ from: new Date(to - 86_400_000).toISOString(), to: new Date(to).toISOString() });
  expect(Date.parse(reportWindow({ from: 0, to }).from)).toBe(to - MAX_RANGE_MS);
});
