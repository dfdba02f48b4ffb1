// The report's guards that need no database: a finding's devices are cut to the link's
// site, and the window never spans more than a read may.
import { expect, test } from "vitest";
import { MAX_RANGE_MS } from "@/lib/queries/time-buckets";
import { affected, reportWindow } from "@/lib/reports/site-report";

test("affected devices: only this site's, with the finding's own count when nothing was cut", () => {
  const own = new Set(["gw-hh-01", "gw-hh-02"]);
  expect(affected({ device: null, evidence: { affectedDevices: ["gw-hh-01", "gw-hh-02"], affectedDeviceCount: 40 } }, own)).toEqual({
    affectedDevices: ["gw-hh-01", "gw-hh-02"],
    affectedCount: 40,
  });
  // A device of another site in the evidence is dropped, and so is the count that included it.
  expect(affected({ device: null, evidence: { affectedDevices: ["gw-hh-01", "gw-be-01"], affectedDeviceCount: 2 } }, own)).toEqual({
    affectedDevices: ["gw-hh-01"],
    affectedCount: 1,
  });
  expect(affected({ device: "gw-hh-02", evidence: {} }, own)).toEqual({ affectedDevices: ["gw-hh-02"], affectedCount: 1 });
  expect(affected({ device: "gw-be-09", evidence: { affectedDevices: "not a list" } }, own)).toEqual({ affectedDevices: [], affectedCount: 0 });
});

test("the report window is the link's, at most 92 days", () => {
  const to = Date.UTC(2026, 10, 26);
  expect(reportWindow({ from: to - 86_400_000, to })).toEqual({ from: new Date(to - 86_400_000).toISOString(), to: new Date(to).toISOString() });
  expect(Date.parse(reportWindow({ from: 0, to }).from)).toBe(to - MAX_RANGE_MS);
});
